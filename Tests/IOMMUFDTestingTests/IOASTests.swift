#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

@Suite("IO address spaces and dirty tracking")
struct IOASTests {
    @Test func mapChecksInTheKernelsOrder() throws {
        let model = KernelModel(host: .qemuIntelVTd())
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let memory = Memory(0x10000)
        #expect(try iommufd.map(memory.slice(0..<0x4000), into: ioas, at: .fixed(0x10_0000)) == 0x10_0000)
        #expect(failure { try iommufd.map(memory.slice(0..<0x4000), into: ioas, at: .fixed(0x10_2000)) } == EEXIST)
        #expect(failure { try iommufd.map(memory.slice(0..<0x1000), into: ioas, at: .fixed(0x20_0000), access: []) } == EINVAL)
        #expect(failure { try iommufd.map(memory.slice(0..<0), into: ioas, at: .fixed(0x20_0000)) } == EINVAL)
        #expect(failure { try iommufd.map(memory.slice(0..<0x1000), into: ioas, at: .fixed(.max - 0x800)) } == EOVERFLOW)
        #expect(try model.mappings(of: ioas).map(\.description) == ["0x100000+0x4000 rw"])
        let mapping = try #require(try model.mappings(of: ioas).first)
        #expect(mapping.userAddress == memory.address)
    }

    @Test func kernelChosenIOVAsFollowTheAllocator() throws {
        let model = KernelModel(host: .qemuIntelVTd())
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let memory = Memory(0x40_0000)
        // 2 MiB-aligned memory: the alignment comes from the length.
        #expect(try iommufd.map(memory.slice(0..<0x1000), into: ioas) == 0x1000)
        #expect(try iommufd.map(memory.slice(0..<0x4000), into: ioas) == 0x4000)
        #expect(try iommufd.map(memory.slice(0..<0x10000), into: ioas) == 0x10000)
        // Larger than 2 MiB: aligned to 2 MiB at most.
        #expect(try iommufd.map(memory.slice(0..<0x30_0000), into: ioas) == 0x20_0000)
        // A source address with a low set bit limits the alignment.
        #expect(try iommufd.map(memory.slice(0x1000..<0x9000), into: ioas) == 0x8000)
        // Allowed ranges confine the choice.
        try iommufd.allowIOVAs([IOVARange(start: 0x1000_0000, last: 0x1fff_ffff)], in: ioas)
        #expect(try iommufd.map(memory.slice(0..<0x1000), into: ioas) == 0x1000_0000)
    }

    @Test func unmapTakesWholeMappingsOnly() throws {
        let model = KernelModel(host: .qemuIntelVTd())
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let memory = Memory(0x10000)
        for iova: UInt64 in [0x10000, 0x20000, 0x30000] {
            try iommufd.map(memory.slice(0..<0x2000), into: ioas, at: .fixed(iova))
        }
        #expect(failure { try iommufd.unmap(ioas, iova: 0x10000, length: 0x1000) } == ENOENT)
        #expect(failure { try iommufd.unmap(ioas, iova: 0x40000, length: 0x1000) } == ENOENT)
        #expect(failure { try iommufd.unmap(ioas, iova: 0x10000, length: 0) } == EINVAL)
        // The first mapping is fully inside, the second is cut: ENOENT, and
        // the first is gone, as in the kernel.
        #expect(failure { try iommufd.unmap(ioas, iova: 0x10000, length: 0x11000) } == ENOENT)
        #expect(try model.mappings(of: ioas).map(\.iova) == [0x20000, 0x30000])
        #expect(try iommufd.unmap(ioas, iova: 0, length: 0x40000) == 0x4000)
        #expect(try iommufd.unmapAll(ioas) == 0)
    }

    @Test func copySharesPartsOfMappings() throws {
        let model = KernelModel(host: .qemuIntelVTd())
        let iommufd = try IOMMUFD(backend: model)
        let a = try iommufd.allocateIOAS()
        let b = try iommufd.allocateIOAS()
        let memory = Memory(0x8000)
        try iommufd.map(memory.slice(0..<0x4000), into: a, at: .fixed(0x10000))
        try iommufd.map(memory.slice(0x4000..<0x8000), into: a, at: .fixed(0x14000))
        // A copy may span two adjacent mappings and take parts of them.
        #expect(try iommufd.copy(from: a, iova: 0x12000, length: 0x4000, to: b, at: .fixed(0x50000)) == 0x50000)
        let copies = try model.mappings(of: b)
        #expect(copies.map(\.iova) == [0x50000, 0x52000])
        #expect(copies.map(\.userAddress) == [memory.address + 0x2000, memory.address + 0x4000])
        #expect(failure { try iommufd.unmap(b, iova: 0x50000, length: 0x2000) } == nil, "each piece is a mapping")
        #expect(failure { try iommufd.copy(from: a, iova: 0x17000, length: 0x2000, to: b) } == ENOENT)
        #expect(failure { try iommufd.copy(from: a, iova: 0x10000, length: 0x1000, to: IOASID(rawValue: 9)) } == ENOENT)
        #expect(failure { try iommufd.copy(from: a, iova: 0x10000, length: 0x1000, to: b, access: .readable) } == nil)
    }

    @Test func rangesNarrowWithApertureAndReservedRegions() throws {
        let model = KernelModel(host: .qemuIntelVTd())
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        let full = try iommufd.iovaRanges(of: ioas)
        #expect(rangesText(full) == "0x0-0xffffffffffffffff" && full.alignment == 1)
        let hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas))
        #expect(rangesText(try iommufd.iovaRanges(of: ioas)) == "0x0-0xffffffffffff")
        try device.attach(to: hwpt)
        let attached = try iommufd.iovaRanges(of: ioas)
        #expect(rangesText(attached) == "0x0-0xfedfffff,0xfef00000-0xffffffffffff" && attached.alignment == 0x1000)
        let memory = Memory(0x2000)
        #expect(failure { try iommufd.map(memory.slice(0..<0x1000), into: ioas, at: .fixed(0xfee0_0000)) } == EINVAL)
        #expect(failure { try iommufd.map(memory.slice(0..<0x1000), into: ioas, at: .fixed(0x1000_0800)) } == EINVAL)
        #expect(failure { try iommufd.allowIOVAs([IOVARange(start: 0xfeef_0000, last: 0xfef0_ffff)], in: ioas) } == EADDRINUSE)
        #expect(failure { try iommufd.allowIOVAs([IOVARange(start: 0, last: 0x1_0000_0000_0000)], in: ioas) } == EADDRINUSE)
        try device.detach()
        #expect(rangesText(try iommufd.iovaRanges(of: ioas)) == "0x0-0xffffffffffff")
    }

    @Test func mappingsConflictWithLaterReservations() throws {
        let model = KernelModel(host: .qemuIntelVTd())
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        let memory = Memory(0x1000)
        try iommufd.map(memory.all, into: ioas, at: .fixed(0x1_0000_0000_0000))
        // A domain whose aperture ends below the mapping cannot join the IOAS.
        #expect(failure { try iommufd.allocateHWPT(for: id, on: .ioas(ioas)) } == EADDRINUSE)
        #expect(failure { try device.attach(to: ioas) } == EADDRINUSE)
        try iommufd.unmapAll(ioas)
        try iommufd.allowIOVAs([IOVARange(start: 0xfee0_0000, last: 0xfee0_0fff)], in: ioas)
        #expect(failure { try device.attach(to: ioas) } == EADDRINUSE)
        #expect(model.liveObjects.filter { $0.kind == .hwptPaging }.isEmpty)
    }

    @Test func iovaRangesReportsTheTotalWhenTheArrayIsShort() throws {
        let model = KernelModel(host: .empty)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        for start: UInt64 in stride(from: 0x10_0000, to: 0x10_0000 * 12, by: 0x10_0000) {
            try KernelMockDevice.addReservedRange(IOVARange(start: start, last: start + 0xfff), to: ioas,
                                                  iommufd: iommufd.descriptor, backend: model)
        }
        // The library starts with room for 8 and retries after EMSGSIZE.
        #expect(try iommufd.iovaRanges(of: ioas).ranges.count == 12)
        #expect(model.ioctlTrace.filter { $0.operation == "IOMMU_IOAS_IOVA_RANGES" }.map(\.result) ==
                [.failure(Errno(rawValue: EMSGSIZE)), .success(0)])
    }

    @Test func options() throws {
        let model = KernelModel(host: .qemuIntelVTd())
        let iommufd = try IOMMUFD(backend: model)
        #expect(try iommufd.rlimitMode() == .perUser)
        try iommufd.setRLimitMode(.perProcess)
        #expect(try iommufd.rlimitMode() == .perProcess)
        let ioas = try iommufd.allocateIOAS()
        #expect(failure { try iommufd.setRLimitMode(.perUser) } == EBUSY)
        #expect(try iommufd.hugePages(of: ioas))
        try iommufd.setHugePages(false, of: ioas)
        #expect(try !iommufd.hugePages(of: ioas))
        #expect(try iommufd.iovaRanges(of: ioas).alignment == 0x1000)
        var host = ModelHost.qemuIntelVTd()
        host.capSysResource = false
        let unprivileged = KernelModel(host: host)
        let other = try IOMMUFD(backend: unprivileged)
        #expect(failure { try other.setRLimitMode(.perProcess) } == EPERM)
    }

    @Test func dirtyTrackingWithMarkDirty() throws {
        var host = ModelHost.twoIntelVTdUnits()
        host.devices.removeFirst()
        let model = KernelModel(host: host)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio1", backend: model)
        let id = try device.bind(to: iommufd)
        #expect(try iommufd.hardwareInfo(for: id).capabilities.contains(.dirtyTracking))
        let hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .dirtyTracking)
        try device.attach(to: hwpt)
        let memory = Memory(0x10000)
        try iommufd.map(memory.all, into: ioas, at: .fixed(0x100_0000))
        // Not tracking yet: writes leave no trace.
        #expect(try model.markDirty(hwpt: hwpt, iova: 0x100_0000, length: 0x1000) == 0)
        try iommufd.setDirtyTracking(true, for: hwpt)
        #expect(try model.markDirty(hwpt: hwpt, iova: 0x100_1800, length: 0x1000) == 2)
        #expect(try model.markDirty(hwpt: hwpt, iova: 0x200_0000, length: 0x1000) == 0, "not mapped")
        let peek = try iommufd.dirtyBitmap(of: hwpt, iova: 0x100_0000, length: 0x10000, pageSize: 0x1000, clear: false)
        #expect(peek.dirtyIOVAs == [0x100_1000, 0x100_2000])
        let coarse = try iommufd.dirtyBitmap(of: hwpt, iova: 0x100_0000, length: 0x10000, pageSize: 0x4000, clear: false)
        #expect(coarse.dirtyIOVAs == [0x100_0000])
        // Reading sets bits and never clears the caller's.
        var bitmap = try #require(DirtyBitmap(iova: 0x100_0000, length: 0x10000, pageSize: 0x1000))
        bitmap.markDirty(page: 9)
        try iommufd.readDirtyBitmap(of: hwpt, into: &bitmap)
        #expect(bitmap.dirtyIOVAs == [0x100_1000, 0x100_2000, 0x100_9000])
        #expect(try iommufd.dirtyBitmap(of: hwpt, iova: 0x100_0000, length: 0x10000, pageSize: 0x1000).dirtyPageCount == 0)
        // Unmapping forgets the dirty state.
        try model.markDirty(hwpt: hwpt, iova: 0x100_0000, length: 0x10000)
        try iommufd.unmapAll(ioas)
        try iommufd.map(memory.all, into: ioas, at: .fixed(0x100_0000))
        #expect(try iommufd.dirtyBitmap(of: hwpt, iova: 0x100_0000, length: 0x10000, pageSize: 0x1000).dirtyPageCount == 0)
        // Range checks.
        #expect(failure { try iommufd.dirtyBitmap(of: hwpt, iova: 0x100_0800, length: 0x800, pageSize: 0x800) } == EINVAL)
        #expect(failure { try iommufd.dirtyBitmap(of: HWPTID(rawValue: ioas.rawValue), iova: 0, length: 0x1000, pageSize: 0x1000) } == ENOENT)
        // Enabling again clears.
        try model.markDirty(hwpt: hwpt, iova: 0x100_0000, length: 0x1000)
        try iommufd.setDirtyTracking(true, for: hwpt)
        #expect(try iommufd.dirtyBitmap(of: hwpt, iova: 0x100_0000, length: 0x10000, pageSize: 0x1000).dirtyPageCount == 0)
        #expect(throws: ModelError.noSuchObject(ioas.rawValue)) { try model.markDirty(hwpt: HWPTID(rawValue: ioas.rawValue), iova: 0, length: 1) }
    }

    @Test func dirtyTrackingNeedsTheFlag() throws {
        let model = KernelModel(host: .qemuIntelVTd())
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        try device.bind(to: iommufd)
        let hwpt = try device.attach(to: ioas)
        let error = caught { try iommufd.setDirtyTracking(true, for: hwpt) }
        #expect(error?.errno?.rawValue == EOPNOTSUPP && error?.code == .unsupportedFeature)
        #expect(throws: ModelError.notDirtyTracking(hwpt.rawValue)) { try model.markDirty(hwpt: hwpt, iova: 0, length: 1) }
    }

    @Test func mapFileAndChangeProcess() throws {
        let model = KernelModel(host: .qemuIntelVTd())
        model.addFile(.regular([UInt8](repeating: 0, count: 0x4000)), at: "/tmp/memfd")
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let fd = model.open("/tmp/memfd", flags: O_RDWR)
        #expect(try iommufd.mapFile(fd, offset: 0, length: 0x4000, into: ioas) == 0x4000)
        try iommufd.changeProcess()
        let memory = Memory(0x1000)
        try iommufd.map(memory.all, into: ioas)
        #expect(failure { try iommufd.changeProcess() } == EINVAL)
        #expect(failure { try iommufd.mapFile(-1, offset: 0, length: 0x1000, into: ioas) } == EBADF)
        #expect(failure { try iommufd.mapFile(iommufd.descriptor.rawValue, offset: 0, length: 0x1000, into: ioas) } == EINVAL)
        _ = model.close(fd)
    }
}
