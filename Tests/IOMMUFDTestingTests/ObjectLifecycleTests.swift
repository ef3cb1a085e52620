#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

@Suite("Objects, IDs and lifetimes")
struct ObjectLifecycleTests {
    @Test func idsComeFromOneSpaceLowestFreeFirst() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let a = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        let b = try iommufd.allocateIOAS()
        let hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(a))
        #expect([a.rawValue, id.rawValue, b.rawValue, hwpt.rawValue] == [1, 2, 3, 4])
        try iommufd.destroy(b)
        #expect(try iommufd.allocateIOAS().rawValue == 3)
        try iommufd.destroy(hwpt)
        try iommufd.destroy(IOASID(rawValue: 3))
        let queue = try iommufd.allocateFaultQueue()
        #expect(queue.id.rawValue == 3)
    }

    @Test func failedCreationReleasesItsID() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        // A bad fault queue ID makes the kernel abort the HWPT after reserving its ID.
        #expect(failure { try iommufd.allocateHWPT(for: id, on: .ioas(ioas), faultQueue: FaultQueueID(rawValue: 99)) } == ENOENT)
        #expect(try iommufd.allocateHWPT(for: id, on: .ioas(ioas)).rawValue == 3)
        // An unsupported flag fails before any ID is reserved.
        #expect(failure { try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .dirtyTracking) } == EOPNOTSUPP)
        #expect(try iommufd.allocateIOAS().rawValue == 4)
    }

    @Test func unknownIDsAndWrongKinds() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        #expect(failure { try iommufd.destroy(IOASID(rawValue: 77)) } == ENOENT)
        #expect(failure { try iommufd.destroy(IOASID(rawValue: 0)) } == ENOENT)
        #expect(failure { try iommufd.destroy(IOASID(rawValue: id.rawValue)) } == EBUSY)
        #expect(failure { try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: ioas.rawValue)) } == ENOENT)
        #expect(failure { try iommufd.iovaRanges(of: IOASID(rawValue: id.rawValue)) } == ENOENT)
        #expect(failure { try iommufd.allocateHWPT(for: id, on: .ioas(IOASID(rawValue: 77))) } == EINVAL)
        #expect(failure { try iommufd.allocateHWPT(for: id, on: .ioas(IOASID(rawValue: id.rawValue))) } == EINVAL)
        #expect(failure { try device.attach(to: IOASID(rawValue: 77)) } == ENOENT)
        #expect(failure { try device.attach(to: IOASID(rawValue: id.rawValue)) } == EINVAL)
        #expect(failure { try iommufd.setDirtyTracking(true, for: HWPTID(rawValue: ioas.rawValue)) } == ENOENT)
        #expect(failure { try iommufd.hugePages(of: IOASID(rawValue: id.rawValue)) } == ENOENT)
    }

    @Test func destroyInUseIsBusy() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        let hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas))
        #expect(failure { try iommufd.destroy(ioas) } == EBUSY)        // the HWPT holds it
        try device.attach(to: hwpt)
        #expect(failure { try iommufd.destroy(hwpt) } == EBUSY)        // attached
        try device.detach()
        try iommufd.destroy(hwpt)
        try iommufd.destroy(ioas)
        #expect(model.liveObjects.map(\.kind) == [.device])
    }

    @Test func automaticDomainIsReusedAndDiesWithItsLastAttachment() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 2))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var first = try VFIODevice(opening: "vfio0", backend: model)
        var second = try VFIODevice(opening: "vfio1", backend: model)
        let firstID = try first.bind(to: iommufd)
        try second.bind(to: iommufd)
        let user = try iommufd.allocateHWPT(for: firstID, on: .ioas(ioas))
        let auto = try first.attach(to: ioas)
        #expect(auto != user, "automatic domain selection never picks a manually created HWPT")
        #expect(try second.attach(to: ioas) == auto)
        let object = try #require(model.liveObjects.first { $0.id == auto.rawValue })
        #expect(object.isAutomaticDomain)
        #expect(object.attachments.map(\.device.rawValue) == [2, 3])
        try first.detach()
        #expect(model.liveObjects.contains { $0.id == auto.rawValue })
        try second.detach()
        #expect(!model.liveObjects.contains { $0.id == auto.rawValue })
        #expect(failure { try iommufd.destroy(auto) } == ENOENT)
        try iommufd.destroy(user)
    }

    @Test func replacingMovesAwayFromAnAutomaticDomain() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let a = try iommufd.allocateIOAS()
        let b = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        try device.bind(to: iommufd)
        let first = try device.attach(to: a)
        let second = try device.attach(to: b)
        #expect(first != second)
        #expect(model.liveObjects.filter { $0.kind == .hwptPaging }.map(\.id) == [second.rawValue])
        #expect(try device.attach(to: b) == second, "attaching to the same IOAS again keeps the HWPT")
    }

    @Test func closingTheIOMMUFDDestroysEverything() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        do {
            let iommufd = try IOMMUFD(backend: model)
            let ioas = try iommufd.allocateIOAS()
            _ = try iommufd.allocateIOAS()
            let memory = Memory(0x4000)
            _ = try iommufd.map(memory.all, into: ioas)
            #expect(model.liveObjects.count == 2)
        }
        #expect(model.isQuiescent)
    }

    @Test func aBoundDeviceKeepsTheContextAlive() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        var device = try VFIODevice(opening: "vfio0", backend: model)
        do {
            let iommufd = try IOMMUFD(backend: model)
            let ioas = try iommufd.allocateIOAS()
            try device.bind(to: iommufd)
            try device.attach(to: ioas)
        }
        // The iommufd descriptor is closed, but the device holds the context.
        #expect(model.liveObjects.map(\.kind) == [.ioas, .device, .hwptPaging])
        #expect(model.openDescriptors.map(\.kind) == [.vfioDevice])
        device.close()
        #expect(model.isQuiescent)
    }

    @Test func faultQueueDescriptorHoldsTheObject() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let queue = try iommufd.allocateFaultQueue()
        let id = queue.id
        #expect(model.openDescriptors.map(\.kind) == [.iommufd, .faultQueue])
        #expect(failure { try iommufd.destroy(id) } == EBUSY)
        discard(queue)
        try iommufd.destroy(id)
        #expect(model.liveObjects.isEmpty)
    }

    @Test func unbindingLeavesATombstoneForTheVDevice() throws {
        let model = KernelModel(host: .empty)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
        let parent = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .nestParent)
        let viommu = try iommufd.allocateVIOMMU(type: .other(0xdead_beef), for: mock.deviceID, parent: parent)
        let vdevice = try iommufd.allocateVDevice(on: viommu, for: mock.deviceID, virtualID: 0x10)
        #expect(failure { try iommufd.allocateVDevice(on: viommu, for: mock.deviceID, virtualID: 0x11) } == EEXIST)
        #expect(failure { try iommufd.destroy(viommu) } == EBUSY)
        try mock.detachPageTable()
        // The vDEVICE went with the device, but its ID stays reserved.
        #expect(!model.liveObjects.contains { $0.id == vdevice.rawValue })
        #expect(failure { try iommufd.destroy(vdevice) } == ENOENT)
        let next = try iommufd.allocateIOAS()
        #expect(next.rawValue != vdevice.rawValue)
        #expect(next.rawValue == mock.stdevID)
        try iommufd.destroy(viommu)
        try iommufd.destroy(parent)
    }

    @Test func nestedHWPTsAndVIOMMUs() throws {
        let model = KernelModel(host: .empty)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
        let plain = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas))
        // Nested data the mock does not take, and a parent that is not a nesting parent.
        let data = NestedHWPTData.intelVTdStage1(IntelVTdStage1(pageTableAddress: 0x1000, addressWidth: 48))
        #expect(failure { try iommufd.allocateHWPT(for: mock.deviceID, on: .nestingParent(plain), data: data) } == EINVAL)
        let parent = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .nestParent)
        #expect(failure { try iommufd.allocateHWPT(for: mock.deviceID, on: .nestingParent(parent), data: data) } == EOPNOTSUPP)
        #expect(failure { try iommufd.allocateVIOMMU(type: .armSMMUv3, for: mock.deviceID, parent: parent) } == EOPNOTSUPP)
        #expect(failure { try iommufd.allocateVIOMMU(type: .other(0xdead_beef), for: mock.deviceID, parent: plain) } == EINVAL)
        let viommu = try iommufd.allocateVIOMMU(type: .other(0xdead_beef), for: mock.deviceID, parent: parent)
        #expect(failure { try iommufd.destroy(parent) } == EBUSY)
        let queue = try iommufd.allocateVEventQueue(on: viommu, type: .other(0xbeef_beef), depth: 8)
        #expect(failure { try iommufd.allocateVEventQueue(on: viommu, type: .other(0xbeef_beef), depth: 8) } == EEXIST)
        #expect(failure { try iommufd.allocateVEventQueue(on: viommu, type: .other(1), depth: 0) } == EINVAL)
        #expect(failure { try iommufd.allocateHWQueue(on: viommu, type: 1, index: 0, iova: 0, length: 0x1000) } == EOPNOTSUPP)
        #expect(failure { try iommufd.invalidate(.viommu(viommu), .armSMMUv3([ARMSMMUv3InvalidationCommand(word0: 1, word1: 2)])) } == EINVAL)
        let queueID = queue.id
        discard(queue)
        try iommufd.destroy(queueID)
        try iommufd.destroy(viommu)
        try iommufd.destroy(parent)
        try iommufd.destroy(plain)
    }
}
