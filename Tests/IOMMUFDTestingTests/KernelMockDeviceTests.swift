#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

/// Drives any policy device generically, as the autodomain policy will.
func cycle(_ device: borrowing some AttachableDevice & ~Copyable, _ first: HWPTID, _ second: HWPTID) throws(IOMMUFDError) -> [HWPTID] {
    [try device.attachPageTable(first), try device.attachPageTable(second)]
}

@Suite("The kernel mock device")
struct KernelMockDeviceTests {
    @Test func createReplaceAndDestroy() throws {
        let model = KernelModel(host: .empty)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
        #expect(mock.stdevID == 2 && mock.deviceID.rawValue == 3 && mock.initialHWPT.rawValue == 4)
        #expect(model.liveObjects.map(\.kind) == [.ioas, .mockDevice, .device, .hwptPaging])
        #expect(model.liveObjects[1].deviceName == "iommufd_mock0")
        let info = try iommufd.hardwareInfo(for: mock.deviceID)
        #expect(info.type == .unknown(0xfeed_beef) && info.capabilities == [.dirtyTracking, .pciATSNotSupported])
        #expect(info.vendorData == .unknown(type: 0xfeed_beef, bytes: [0, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde]))
        let ranges = try iommufd.iovaRanges(of: ioas)
        #expect(rangesText(ranges) == "0x1000000-0x7fffffff" && ranges.alignment == 0x800)
        let a = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas))
        let b = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: [.nestParent, .dirtyTracking])
        #expect(try cycle(mock, a, b) == [a, b])
        #expect(mock.boundDeviceID == mock.deviceID && !mock.isMediated)
        #expect(mock.displayName == "mock device (stdev 2, device 3)")
        try mock.detachPageTable()
        #expect(mock.isDestroyed && mock.boundDeviceID == nil)
        #expect(caught { try mock.replace(with: a) }?.code == .programmerError)
        #expect(model.liveObjects.map(\.kind) == [.ioas, .hwptPaging, .hwptPaging])
        try iommufd.destroy(a)
        try iommufd.destroy(b)
    }

    @Test func goingOutOfScopeDestroysTheDevice() throws {
        let model = KernelModel(host: .empty)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        do {
            let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
            _ = mock.stdevID
        }
        #expect(model.liveObjects.map(\.kind) == [.ioas])
        #expect(model.ioctlTrace.last?.operation == "IOMMU_DESTROY")
    }

    @Test func pasidOperations() throws {
        let model = KernelModel(host: .empty)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas, flags: .pasid)
        #expect(try iommufd.hardwareInfo(for: mock.deviceID).maxPASIDLog2 == 20)
        let capable = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .pasid)
        let other = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .pasid)
        #expect(failure { try mock.attachPASID(1, to: capable) } == EINVAL, "the RID's automatic domain lacks the PASID flag")
        try mock.replace(with: capable)
        try mock.attachPASID(1, to: capable)
        #expect(try mock.isPASID(1, attachedTo: capable) && !(try mock.isPASID(1, attachedTo: other)))
        try mock.attachPASID(1, to: other)                 // a replace, since it is attached
        #expect(try mock.isPASID(1, attachedTo: other))
        #expect(failure { try mock.attachPASID(1, toTarget: other) } == EBUSY)
        #expect(mock.attachedPASIDs == [1])
        // The mock driver's fault injection on PASID 1024: every second set fails.
        try mock.attachPASID(1024, to: capable)
        #expect(failure { try mock.replacePASID(1024, with: other) } == ENOMEM)
        try mock.replacePASID(1024, with: other)
        try mock.detachPASID(1)
        #expect(try mock.isPASID(1, attachedTo: nil))
        // Destroying detaches the PASIDs this value attached first.
        try mock.detachPageTable()
        try iommufd.destroy(capable)
        try iommufd.destroy(other)
    }

    @Test func testCommandsWithoutADevice() throws {
        let model = KernelModel(host: .empty)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        try KernelMockDevice.addReservedRange(IOVARange(start: 0x1000, last: 0x1fff), to: ioas, iommufd: iommufd.descriptor, backend: model)
        #expect(rangesText(try iommufd.iovaRanges(of: ioas)) == "0x0-0xfff,0x2000-0xffffffffffffffff")
        let error = caught {
            try KernelMockDevice.addReservedRange(IOVARange(start: 0, last: 0xfff), to: IOASID(rawValue: 9), iommufd: iommufd.descriptor, backend: model)
        }
        #expect(error?.errno?.rawValue == ENOENT && error?.operation.name == "IOMMU_TEST_CMD(ADD_RESERVED)")
        let memory = Memory(0x1000)
        #expect(failure { try iommufd.map(memory.all, into: ioas, at: .fixed(0x1000)) } == EINVAL)
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
        let dirty = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .dirtyTracking)
        try mock.replace(with: dirty)
        try iommufd.map(memory.all, into: ioas, at: .fixed(0x100_0000))
        try iommufd.setDirtyTracking(true, for: dirty)
        var bitmap = try #require(DirtyBitmap(iova: 0x100_0000, length: 0x1000, pageSize: 0x800))
        bitmap.markDirty(page: 1)
        #expect(try KernelMockDevice.setDirty(hwpt: dirty, iova: 0x100_0000, pageSize: 0x800, bitmap: bitmap,
                                              iommufd: iommufd.descriptor, backend: model) == 1)
        #expect(try iommufd.dirtyBitmap(of: dirty, iova: 0x100_0000, length: 0x1000, pageSize: 0x1000).dirtyIOVAs == [0x100_0000])
    }

    @Test func noMockDevicesWithoutTheTestConfig() throws {
        let model = KernelModel(host: .empty, kernel: .linux7_2.withoutIOMMUFDTest)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let error = caught { try KernelMockDevice(in: iommufd, attachingTo: ioas) }
        #expect(error?.errno?.rawValue == ENOTTY && error?.code == .unsupportedByKernel)
    }

    @Test func invalidDeviceFlagsAndTargets() throws {
        let model = KernelModel(host: .empty)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        #expect(failure { try KernelMockDevice(in: iommufd, attachingTo: ioas, flags: KernelMockDevice.Flags(rawValue: 2)) } == EINVAL)
        #expect(failure { try KernelMockDevice(in: iommufd, attachingTo: IOASID(rawValue: 42)) } == ENOENT)
        // Every failure released its IDs and its mock device.
        #expect(model.liveObjects.map(\.kind) == [.ioas])
        let mock = try KernelMockDevice(iommufd: iommufd.descriptor, attachingTo: ioas, backend: model)
        #expect(mock.stdevID == 2)
        #expect(model.liveObjects.first { $0.kind == .mockDevice }?.deviceName == "iommufd_mock0")
    }
}

@Suite("Policy devices")
struct PolicyDeviceTests {
    @Test func vfioAndMockDevicesDriveTheSameWay() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var vfio = try VFIODevice(opening: "vfio0", backend: model)
        let vfioID = try vfio.bind(to: iommufd)
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
        let vfioA = try iommufd.allocateHWPT(for: vfioID, on: .ioas(ioas))
        let vfioB = try iommufd.allocateHWPT(for: vfioID, on: .ioas(ioas), flags: .pasid)
        let mockA = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas))
        let mockB = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .pasid)
        #expect(try cycle(vfio, vfioA, vfioB) == [vfioA, vfioB])
        #expect(try cycle(mock, mockA, mockB) == [mockA, mockB])
        try vfio.attachPASID(3, to: vfioB)
        try mock.attachPASID(3, to: mockB)
        try vfio.detachPASID(3)
        try mock.detachPASID(3)
        // Domains of another driver are refused by both.
        #expect(failure { try vfio.attachPageTable(mockA) } == EINVAL)
        #expect(failure { try mock.attachPageTable(vfioA) } == EINVAL)
        try vfio.detachPageTable()
        try mock.detachPageTable()
        for hwpt in [vfioA, vfioB, mockA, mockB] { try iommufd.destroy(hwpt) }
        try iommufd.destroy(ioas)
        #expect(model.liveObjects.map(\.kind) == [.device])
    }

    @Test func mediatedDevicesHaveNoPASIDs() throws {
        var host = ModelHost.qemuIntelVTd(devices: 0)
        host.devices.append(.mediated(uuid: "1e2d8f3c-0000-4000-8000-000000000001", parent: PCIAddress(bus: 0, device: 4, function: 0)!,
                                      vfioIndex: 0, iommuGroup: 9))
        let model = KernelModel(host: host)
        let iommufd = try IOMMUFD(backend: model)
        var mdev = try VFIODevice(opening: "vfio0", backend: model)
        try mdev.bind(to: iommufd)
        #expect(failure { try mdev.detachPASID(1) } == EOPNOTSUPP)
        #expect(failure { try mdev.attachPageTable(HWPTID(rawValue: 1)) } == ENOENT)
        #expect(model.canonicalPath("/sys/bus/mdev/devices/1e2d8f3c-0000-4000-8000-000000000001")
                == "/sys/devices/pci0000:00/0000:00:04.0/1e2d8f3c-0000-4000-8000-000000000001")
        #expect(model.canonicalPath("/sys/dev/char/252:0/subsystem") == "/sys/class/vfio-dev")
    }
}
