#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

@Suite("Trace, fault injection and leak accounting")
struct TraceAndFaultTests {
    @Test func traceRecordsDecodedCallsInOrder() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        _ = try device.attach(to: ioas)
        let memory = Memory(0x2000)
        try iommufd.map(memory.all, into: ioas, at: .fixed(0x10_0000), access: .readable)
        #expect(ioctlNames(model) == ["IOMMU_IOAS_ALLOC", "VFIO_DEVICE_BIND_IOMMUFD", "VFIO_DEVICE_ATTACH_IOMMUFD_PT", "IOMMU_IOAS_MAP"])
        let bind = model.ioctlTrace[1]
        #expect(bind.descriptor == device.descriptor.rawValue)
        #expect(bind["iommufd"] == UInt64(iommufd.descriptor.rawValue))
        #expect(bind["out_devid"] == UInt64(id.rawValue))
        let attach = model.ioctlTrace[2]
        #expect(attach.arguments.first { $0.name == "pt_id" }?.value == .number(UInt64(ioas.rawValue)))
        #expect(attach.outputs.first { $0.name == "pt_id" }?.value == .number(3))
        let map = model.ioctlTrace[3]
        #expect(map["flags"] == 0x5 && map["length"] == 0x2000 && map["iova"] == 0x10_0000 && map["user_va"] == memory.address)
        #expect(map.result == .success(0) && !map.injected)
        #expect(map.description.hasPrefix("#") && map.description.contains("IOMMU_IOAS_MAP(fd=3"))
        // File-system calls are traced too: the node and device checks around the opens.
        let kinds = model.trace.prefix { $0.operation != "IOMMU_IOAS_ALLOC" }.map(\.operation)
        #expect(kinds == ["stat", "realpath", "open", "fstat"])
        let beforeBind = model.trace.drop { $0.operation != "IOMMU_IOAS_ALLOC" }.dropFirst().prefix { $0.isIoctl == false }
        #expect(beforeBind.map(\.operation) == ["stat", "realpath", "realpath", "realpath", "open", "fstat"])
        #expect(model.trace.map(\.sequence) == Array(1...model.trace.count))
    }

    @Test func failuresAreTracedWithTheirErrno() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        _ = failure { try iommufd.destroy(IOASID(rawValue: 5)) }
        let entry = try #require(model.ioctlTrace.last)
        #expect(entry.operation == "IOMMU_DESTROY" && entry["id"] == 5)
        #expect(entry.result.errno == Errno(rawValue: ENOENT) && entry.outputs.isEmpty)
        // The library asks for the release while building the error.
        #expect(model.trace.last?.operation == "uname")
        model.clearTrace()
        #expect(model.trace.isEmpty)
    }

    @Test func selftestCommandsAreDecoded() throws {
        let model = KernelModel(host: .empty)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas, flags: .pasid)
        let create = try #require(model.ioctlTrace.last)
        #expect(create.operation == "IOMMU_TEST_CMD")
        #expect(create.text("op") == "MOCK_DOMAIN_FLAGS" && create["dev_flags"] == 4 && create["id"] == 1)
        #expect(create["out_stdev_id"] == 2 && create["out_idev_id"] == 3 && create["out_hwpt_id"] == 4)
        let hwpt = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .pasid)
        try mock.replace(with: hwpt)
        try mock.attachPASID(7, to: hwpt)
        let pasid = try #require(model.ioctlTrace.last)
        #expect(pasid.text("op") == "PASID_ATTACH" && pasid["pasid"] == 7 && pasid["pt_id"] == UInt64(hwpt.rawValue))
    }

    @Test func failTheNthCall() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        model.injectFault(Errno(rawValue: ENOMEM), on: .nthCall(2))
        let first = try iommufd.allocateIOAS()
        let error = caught { try iommufd.allocateIOAS() }
        #expect(error?.errno?.rawValue == ENOMEM && error?.code == .outOfResources)
        #expect(model.ioctlTrace.last?.injected == true)
        // The injected call changed nothing: the next ID is the one it would have had.
        #expect(try iommufd.allocateIOAS().rawValue == first.rawValue + 1)
        #expect(model.pendingFaultCount == 0)
    }

    @Test func failACallBySequenceNumber() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let next = (model.trace.last?.sequence ?? 0) + 1
        model.injectFault(Errno(rawValue: EIO), on: .callNumber(next))
        #expect(failure { try iommufd.allocateIOAS() } == EIO)
    }

    @Test func failTheNextIoctlOfAKind() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let memory = Memory(0x1000)
        model.injectFault(Errno(rawValue: EFAULT), on: .nextIoctl(.ioasMap), times: 2)
        _ = try iommufd.iovaRanges(of: ioas)                        // not a map: untouched
        #expect(failure { try iommufd.map(memory.all, into: ioas) } == EFAULT)
        #expect(failure { try iommufd.map(memory.all, into: ioas) } == EFAULT)
        #expect(failure { try iommufd.map(memory.all, into: ioas) } == nil)
        #expect(try model.mappings(of: ioas).count == 1)
    }

    @Test func failAnOpenOfOnePath() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 2))
        model.injectFault(Errno(rawValue: EBUSY), on: .nextCall(to: "open", path: "/dev/vfio/devices/vfio1"))
        let iommufd = try IOMMUFD(backend: model)
        _ = try VFIODevice(opening: "vfio0", backend: model)
        let error = caught { try VFIODevice(opening: "vfio1", backend: model) }
        #expect(error?.code == .deviceBusy)
        _ = try VFIODevice(opening: "vfio1", backend: model)
        _ = iommufd.descriptor
    }

    @Test func failAFileSystemCall() {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        model.injectFault(Errno(rawValue: EACCES), on: .nextCall(to: "stat"))
        let error = caught { try VFIODevice(opening: "vfio0", backend: model) }
        #expect(error?.code == .permissionDenied)
        model.injectFault(Errno(rawValue: EIO), on: .nextCall(to: "realpath"))
        #expect(model.canonicalPath("/dev/iommu") == nil)
        #expect(model.canonicalPath("/dev/iommu") == "/dev/iommu")
        model.injectFault(Errno(rawValue: EIO), on: .nextCall(to: "uname"))
        #expect(model.kernelRelease() == nil)
        model.injectFault(Errno(rawValue: EIO), on: .nthCall(5))
        model.clearFaults()
        #expect(model.pendingFaultCount == 0)
    }

    @Test func leaksAreVisible() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        // A device descriptor the test "forgets" to close.
        let leaked = model.open("/dev/vfio/devices/vfio0", flags: O_RDWR)
        var bind: [UInt32] = [24, 0, UInt32(iommufd.descriptor.rawValue), 0, 0, 0]
        #expect(bind.withUnsafeMutableBytes { model.ioctl(leaked, request: request(118), argument: $0.baseAddress!) } == 0)
        var attach: [UInt32] = [16, 0, ioas.rawValue, 0]
        #expect(attach.withUnsafeMutableBytes { model.ioctl(leaked, request: request(119), argument: $0.baseAddress!) } == 0)
        let kept = iommufd.relinquish()
        #expect(!model.isQuiescent)
        #expect(model.openDescriptors.map(\.kind) == [.iommufd, .vfioDevice])
        #expect(model.openDescriptors.map(\.path) == ["/dev/iommu", "/dev/vfio/devices/vfio0"])
        #expect(model.liveObjects.map(\.description) == ["IOAS 1", "DEVICE 2 (vfio0)", "HWPT_PAGING 3 (auto, IOAS 1) [device 2]"])
        #expect(model.close(kept.rawValue) == 0)
        #expect(model.liveObjects.count == 3, "the bound device keeps the context")
        #expect(model.close(leaked) == 0)
        #expect(model.isQuiescent)
    }

    @Test func concurrentCallsAreSerialised() async throws {
        let model = KernelModel(host: .qemuIntelVTd())
        let fd = model.open("/dev/iommu", flags: O_RDWR)
        let ids = await withTaskGroup(of: UInt32.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    var words: [UInt32] = [12, 0, 0]
                    _ = rawCommand(model, fd, 0x81, &words)
                    return words[2]
                }
            }
            var all: [UInt32] = []
            for await id in group { all.append(id) }
            return all
        }
        #expect(Set(ids) == Set(1...64))
        #expect(model.close(fd) == 0 && model.isQuiescent)
    }
}
