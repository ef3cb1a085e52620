import IOMMUFD
import IOMMUFDTesting
import Testing

/// `AutodomainPolicy`, the policy owned by its caller without a lock: the
/// same decisions, ioctls and state as the container's for the same calls.
@Suite("autodomain policy value")
struct AutodomainPolicyValueTests {
    /// One run of a scenario: 6 devices over 3 incompatible VT-d units,
    /// attached round-robin, two detached from the middle, one attached again.
    struct Run: Equatable {
        var decisions: [String] = []
        var ioctls: [String] = []
        var hwptDevices: [[UInt32]] = []
        var detaches: [String] = []
    }

    final class Opened {   // VFIODevice is not copyable: arrays hold it boxed
        let device: VFIODevice
        init(_ device: consuming VFIODevice) { self.device = device }
    }

    /// Runs the scenario, attaching and detaching through `attach` and `detach`.
    static func run(
        attach: (borrowing VFIODevice, borrowing IOMMUFD) throws(IOMMUFDError) -> AttachDecision,
        detach: (borrowing VFIODevice, borrowing IOMMUFD) -> AutodomainContainer.DetachOutcome,
        snapshot: () -> AutodomainContainer.Snapshot,
        model: KernelModel, iommufd: borrowing IOMMUFD
    ) throws -> Run {
        var run = Run()
        var devices: [Opened] = []
        for index in 0..<6 {
            let node = (index % 3) * 2 + index / 3   // round-robin over the units
            var device = try VFIODevice(opening: "vfio\(node)", backend: model)
            try device.bind(to: iommufd)
            let decision = try attach(device, iommufd)
            run.decisions.append("\(decision.outcome) \(decision.ioctlCount) \(decision.rejections.map(\.hwpt))")
            devices.append(Opened(device))
        }
        for index in [1, 3] {
            let outcome = detach(devices[index].device, iommufd)
            run.detaches.append("\(outcome.leftHWPT.map { "\($0)" } ?? "-") \(outcome.destroyedHWPT) \(outcome.ioctlCount)")
        }
        let again = try attach(devices[3].device, iommufd)
        run.decisions.append("\(again.outcome) \(again.ioctlCount)")
        run.ioctls = model.ioctlTrace.map(\.operation)
        run.hwptDevices = snapshot().hwpts.map { $0.devices.map(\.rawValue) }
        return run
    }

    @Test("the value and the container decide, issue and record the same")
    func sameAsContainer() throws {
        let host = ModelHost.incompatibleIntelVTdUnits(3, devicesPerUnit: 2)

        let valueModel = KernelModel(host: host)
        let valueIOMMUFD = try IOMMUFD(backend: valueModel)
        var policy = AutodomainPolicy(ioas: try valueIOMMUFD.allocateIOAS(), iommufd: valueIOMMUFD)
        let byValue = try Self.run(
            attach: { (device, iommufd) throws(IOMMUFDError) in try policy.attach(device, iommufd: iommufd, wants: []) },
            detach: { device, iommufd in policy.detach(device, iommufd: iommufd) },
            snapshot: { policy.snapshot }, model: valueModel, iommufd: valueIOMMUFD)

        let containerModel = KernelModel(host: host)
        let containerIOMMUFD = try IOMMUFD(backend: containerModel)
        let container = AutodomainContainer(ioas: try containerIOMMUFD.allocateIOAS(), iommufd: containerIOMMUFD)
        let byContainer = try Self.run(
            attach: { (device, iommufd) throws(IOMMUFDError) in
                try container.attach(device, iommufd: iommufd, wants: [])
            },
            detach: { device, iommufd in container.detach(device, iommufd: iommufd) },
            snapshot: { container.snapshot }, model: containerModel, iommufd: containerIOMMUFD)

        #expect(byValue == byContainer)
        // And the scenario did what it says: 3 HWPTs, reuses after refusals, a re-attach.
        #expect(byValue.hwptDevices.count == 3 && byValue.hwptDevices.map(\.count).reduce(0, +) == 5)
        #expect(byValue.decisions.filter { $0.hasPrefix("allocated") }.count == 3)
        #expect(byValue.ioctls.filter { $0 == "VFIO_DEVICE_DETACH_IOMMUFD_PT" }.count == 2)
        #expect(byValue.decisions[3] == "reused(HWPT 3) 3 [HWPT 7, HWPT 5]")   // unit 0 after two refusals
        #expect(byValue.decisions[6] == "reused(HWPT 3) 3")                    // re-attached
        #expect(byValue.detaches == ["HWPT 5 false 1", "HWPT 3 false 1"])
    }

    @Test("an owned policy drives the kernel's mock devices through the generic path")
    func mockDevicesGeneric() throws {
        let f = try MockPolicyFixture()
        var policy = AutodomainPolicy(ioas: f.ioas, iommufd: f.iommufd)
        let first = try f.mock(), second = try f.mock()
        let a = try policy.attach(first, iommufd: f.iommufd, wants: [])
        let b = try policy.attach(second, iommufd: f.iommufd, wants: [])
        guard case .allocated(let hwpt) = a.outcome else { Issue.record("not allocated: \(a)"); return }
        #expect(b.outcome == .reused(hwpt) && b.ioctlCount == 1)
        #expect(policy.snapshot.hwpts.map(\.id) == [hwpt] && policy.snapshot.hwpts[0].devices.count == 2)
        let wrong = #expect(throws: IOMMUFDError.self) { try policy.attach(first, iommufd: f.iommufd, wants: []) }
        #expect(wrong?.hint.contains("already attached through this policy") == true)
        #expect(policy.detach(second, iommufd: f.iommufd).destroyedHWPT == false)
        #expect(policy.detach(first, iommufd: f.iommufd).destroyedHWPT == true)
        #expect(policy.snapshot.hwpts.isEmpty)
    }

    @Test("an owned policy reads the dirty bitmap of its dirty-tracking HWPTs only")
    func dirtyBitmapByValue() throws {
        let f = try MockPolicyFixture()
        try f.iommufd.setHugePages(false, of: f.ioas)
        var policy = AutodomainPolicy(ioas: f.ioas, iommufd: f.iommufd)
        let dirtyDevice = try f.mock(), plainDevice = try f.mock(.noDirty)
        let dirty = try #require(try policy.attach(dirtyDevice, iommufd: f.iommufd, wants: []).outcome.hwpt)
        let plain = try #require(try policy.attach(plainDevice, iommufd: f.iommufd, wants: []).outcome.hwpt)
        #expect(dirty != plain)
        try policy.setDirtyTracking(true, iommufd: f.iommufd)

        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 21, alignment: 1 << 21)
        defer { memory.deallocate() }
        let iova = try f.iommufd.map(UnsafeRawBufferPointer(memory), into: f.ioas)
        _ = try f.model.markDirty(hwpt: dirty, iova: iova + 0x2000, length: 0x1000)
        var bitmap = try #require(DirtyBitmap(iova: iova, length: 1 << 21, pageSize: 4096))
        f.model.clearTrace()
        try policy.readDirtyBitmap(into: &bitmap, iommufd: f.iommufd)
        #expect(bitmap.dirtyIOVAs == [iova + 0x2000])
        #expect(f.model.ioctlNames == ["IOMMU_HWPT_GET_DIRTY_BITMAP"], "only the dirty-tracking HWPT is read")
        try policy.setDirtyTracking(false, iommufd: f.iommufd)
        policy.detach(plainDevice, iommufd: f.iommufd)
        policy.detach(dirtyDevice, iommufd: f.iommufd)
    }
}
