import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

/// Each numbered rule of the autodomain policy, against the kernel model:
/// the exact ioctl sequence, the flags, the container state and the reason.
@Suite("autodomain policy rules")
struct AutodomainRuleTests {
    @Test("rule 1: a mediated device attaches to the IOAS directly, without GET_HW_INFO")
    func mediatedDevice() throws {
        var host = ModelHost.qemuIntelVTd(devices: 1)
        host.devices.append(.mediated(uuid: "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
                                      parent: PCIAddress(parsing: "0000:00:01.0")!, vfioIndex: 1, iommuGroup: 9))
        let model = KernelModel(host: host)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var mdev = try VFIODevice(opening: "vfio1", backend: model)
        try mdev.bind(to: iommufd)
        let log = LogCapture()
        let container = AutodomainContainer(ioas: ioas, iommufd: iommufd, logger: log.logger)
        model.clearTrace()

        let decision = try container.attach(mdev, iommufd: iommufd, wants: VIOMMUProfile.intelVTdWithPASID.wants)
        #expect(decision.outcome == .attachedToIOAS(ioas))
        #expect(model.ioctlNames == ["VFIO_DEVICE_ATTACH_IOMMUFD_PT"])
        #expect(model.ioctlTrace.first?["pt_id"] == UInt64(ioas.rawValue))
        #expect(decision.hardwareInfo == nil && decision.ioctlCount == 1)
        let mdevID = mdev.deviceID
        #expect(container.snapshot.ioasDevices == [mdevID].compactMap { $0 })
        #expect(container.snapshot.hwpts.isEmpty)
        #expect(log.messages.contains { $0.contains("mediated device") })
    }

    @Test("rules 2 and 4: an incompatible HWPT is skipped on EINVAL and a new one allocated")
    func incompatibleThenAllocate() throws {
        let f = try PolicyFixture(host: .twoIntelVTdUnits())
        let (model, container) = (f.model, f.container)
        let log = f.log

        let a = try container.attach(f.first, iommufd: f.iommufd, wants: [])
        guard case .allocated(let hwptA) = a.outcome else { Issue.record("not allocated: \(a)"); return }
        model.clearTrace()
        let b = try container.attach(f.second, iommufd: f.iommufd, wants: [])
        guard case .allocated(let hwptB) = b.outcome else { Issue.record("not allocated: \(b)"); return }

        #expect(model.ioctlNames == ["VFIO_DEVICE_ATTACH_IOMMUFD_PT", "IOMMU_GET_HW_INFO", "IOMMU_HWPT_ALLOC",
                                     "VFIO_DEVICE_ATTACH_IOMMUFD_PT"])
        #expect(model.ioctlTrace[0]["pt_id"] == UInt64(hwptA.rawValue))
        #expect(model.ioctlTrace[0].result.errno == Errno(rawValue: 22))
        #expect(model.ioctlTrace[3]["pt_id"] == UInt64(hwptB.rawValue))
        #expect(b.rejections.map(\.hwpt) == [hwptA])
        #expect(b.ioctlCount == 4)
        // Newest first, each with its device.
        #expect(container.snapshot.hwpts.map(\.id) == [hwptB, hwptA])
        let ids = [f.ids.second, f.ids.first]
        #expect(container.snapshot.hwpts.map(\.devices) == [[ids[0]], [ids[1]]])
        // The second unit tracks dirty pages: its HWPT got the flag.
        #expect(b.flags == .dirtyTracking && a.flags == [])
        #expect(b.description.hasPrefix("allocated \(hwptB) with [dirtyTracking] (\(hwptA) incompatible: EINVAL)"))
        #expect(log.messages.contains { $0.contains("\(hwptA) incompatible: EINVAL") })
    }

    @Test("rule 2: another errno while trying an HWPT aborts and allocates nothing")
    func otherErrnoAborts() throws {
        let f = try PolicyFixture(host: .twoIntelVTdUnits())
        let (model, container) = (f.model, f.container)
        try container.attach(f.first, iommufd: f.iommufd, wants: [])
        let before = (container.snapshot, model.liveObjects)
        model.clearTrace()
        model.injectFault(Errno(rawValue: 12), on: .nextCall(to: "VFIO_DEVICE_ATTACH_IOMMUFD_PT"))

        let error = #expect(throws: IOMMUFDError.self) { try container.attach(f.second, iommufd: f.iommufd, wants: []) }
        #expect(error?.errno == Errno(rawValue: 12) && error?.operation == .vfioDeviceAttachIOMMUFDPT)
        #expect(model.ioctlNames == ["VFIO_DEVICE_ATTACH_IOMMUFD_PT"])
        #expect(container.snapshot == before.0 && model.liveObjects == before.1)
    }

    @Test("rule 3: a compatible HWPT is reused: no GET_HW_INFO, no allocation, its dirty tracking")
    func reuse() throws {
        let f = try PolicyFixture(host: .qemuIntelVTd(devices: 2))
        let (model, container) = (f.model, f.container)
        let log = f.log
        let a = try container.attach(f.first, iommufd: f.iommufd, wants: [])
        model.clearTrace()
        let b = try container.attach(f.second, iommufd: f.iommufd, wants: [])

        #expect(b.outcome == .reused(try #require(a.outcome.hwpt)))
        #expect(model.ioctlNames == ["VFIO_DEVICE_ATTACH_IOMMUFD_PT"])
        #expect(b.hardwareInfo == nil && b.ioctlCount == 1 && b.rejections.isEmpty)
        #expect(b.dirtyTracking == a.dirtyTracking)
        #expect(container.snapshot.hwpts.count == 1)
        let ids = [f.ids.second, f.ids.first]
        #expect(container.snapshot.hwpts[0].devices == ids)
        #expect(b.description == "reused \(a.outcome.hwpt!)")
        #expect(log.messages.last == "vfio1 (0000:00:02.0): reused \(a.outcome.hwpt!)")
    }

    @Test("rule 4: the PASID rule on a mock device reporting PASID width 20")
    func pasidRule() throws {
        let f = try MockPolicyFixture()
        let model = f.model
        let ioas = f.ioas
        let device = try f.mock(.pasid)
        let log = LogCapture()
        let container = f.container(logger: log.logger)
        model.clearTrace()

        let decision = try container.attach(device, iommufd: f.iommufd, wants: VIOMMUProfile.intelVTdWithPASID.wants)
        #expect(decision.flags == [.dirtyTracking, .nestParent, .pasid])
        #expect(decision.hardwareInfo?.maxPASIDLog2 == 20)
        #expect(model.ioctlNames == ["IOMMU_GET_HW_INFO", "IOMMU_HWPT_ALLOC", "IOMMU_TEST_CMD.MOCK_DOMAIN_REPLACE"])
        #expect(model.ioctlTrace[1]["flags"] == UInt64(HWPTAllocFlags([.dirtyTracking, .nestParent, .pasid]).rawValue))
        #expect(decision.reasons.contains("pasid: device PASID width 20, vIOMMU wants PASID attach"))
        #expect(log.messages.last?.contains("pasid: device PASID width 20, vIOMMU wants PASID attach") == true)

        // The PASID attach then succeeds.
        let pasidHWPT = try f.iommufd.allocateHWPT(for: device.deviceID, on: .ioas(ioas), flags: .pasid)
        try container.attachPASID(7, of: device, to: pasidHWPT)
        #expect(try device.isPASID(7, attachedTo: pasidHWPT))
        #expect(container.snapshot.pasids[device.deviceID] == [7: pasidHWPT])
    }

    @Test("rule 4: ARM SMMUv3 never asks for PASID attach, so no pasid flag")
    func smmuNoPASID() throws {
        let f = try MockPolicyFixture()
        let device = try f.mock(.pasid)
        let container = f.container()
        let decision = try container.attach(device, iommufd: f.iommufd, wants: VIOMMUProfile.armSMMUv3Nested.wants)
        #expect(decision.flags == [.dirtyTracking, .nestParent])
        #expect(decision.reasons.contains(
            "no pasid: device PASID width 20, but the vIOMMU does not want PASID attach"))
    }

    @Test("rule 5: a VT-d nesting parent with erratum 772415 marks the container bypass-read-only")
    func errataQuirk() throws {
        // A VT-d unit with nesting (ECAP.NEST) and the erratum flag.
        let ecap: UInt64 = 0x0001_6900_84f0_0f4a
        let profile = DeviceProfile.intelVTd(extendedCapability: ecap, flags: 0x1)
        let host = ModelHost(
            iommus: [.intelVTd(extendedCapability: ecap)],
            devices: (0..<2).map {
                HostDevice(address: PCIAddress(bus: 0, device: UInt8($0 + 1), function: 0)!, vfioIndex: $0,
                           iommuGroup: $0 + 1, iommu: "dmar0", profile: profile)
            })
        let f = try PolicyFixture(host: host)
        let decision = try f.container.attach(f.first, iommufd: f.iommufd, wants: .nestingParent)
        #expect(decision.flags.contains(.nestParent))
        #expect(f.container.snapshot.bypassReadOnly)
        #expect(decision.reasons.contains { $0.contains("erratum 772415") })
        // Without nestParent the quirk does not apply.
        #expect(!AutodomainRules.bypassesReadOnly(info: try #require(decision.hardwareInfo), flags: []))
    }

    @Test("rule 6: live update reuses only the saved HWPT, or records it without allocating")
    func liveUpdate() throws {
        let f = try PolicyFixture()
        let model = f.model
        // The previous process (f.container): one HWPT with both devices.
        let saved = try #require(try f.container.attach(f.first, iommufd: f.iommufd, wants: []).outcome.hwpt)
        try f.container.attach(f.second, iommufd: f.iommufd, wants: [])

        // The new process's container knows nothing yet.
        let after = AutodomainContainer(ioas: f.ioas, iommufd: f.iommufd)
        model.clearTrace()
        let a = try after.attach(f.first, iommufd: f.iommufd, wants: [], savedHWPT: saved)
        #expect(a.outcome == .recordedSaved(saved))
        #expect(model.ioctlNames == ["IOMMU_GET_HW_INFO"])
        model.clearTrace()
        let b = try after.attach(f.second, iommufd: f.iommufd, wants: [], savedHWPT: saved)
        #expect(b.outcome == .resumed(saved) && b.ioctlCount == 0)
        #expect(model.ioctlNames.isEmpty)
        #expect(after.snapshot.hwpts.map(\.id) == [saved])
        #expect(after.snapshot.hwpts[0].devices.count == 2)
    }

    @Test("rule 7: a refused allocation aborts and leaves nothing behind")
    func allocationRefused() throws {
        let f = try PolicyFixture(host: .qemuIntelVTd(devices: 2))
        let (model, container) = (f.model, f.container)
        let objects = model.liveObjects
        model.clearTrace()
        // QEMU's emulated VT-d has no nesting: the kernel refuses nestParent.
        let error = #expect(throws: IOMMUFDError.self) {
            try container.attach(f.first, iommufd: f.iommufd, wants: .nestingParent)
        }
        #expect(error?.code == .unsupportedFeature && error?.operation == .hwptAlloc)
        #expect(error?.hint.contains("nestParent") == true)
        #expect(model.ioctlNames == ["IOMMU_GET_HW_INFO", "IOMMU_HWPT_ALLOC"])
        #expect(model.liveObjects == objects)
        #expect(container.snapshot.hwpts.isEmpty)
    }

    @Test("rule 8: a failed attach to the new HWPT destroys it")
    func attachToNewFails() throws {
        let f = try PolicyFixture(host: .qemuIntelVTd(devices: 2))
        let (model, container) = (f.model, f.container)
        let objects = model.liveObjects
        model.clearTrace()
        model.injectFault(Errno(rawValue: 16), on: .nextCall(to: "VFIO_DEVICE_ATTACH_IOMMUFD_PT"))
        let error = #expect(throws: IOMMUFDError.self) { try container.attach(f.first, iommufd: f.iommufd, wants: []) }
        #expect(error?.errno == Errno(rawValue: 16))
        #expect(model.ioctlNames == ["IOMMU_GET_HW_INFO", "IOMMU_HWPT_ALLOC", "VFIO_DEVICE_ATTACH_IOMMUFD_PT",
                                     "IOMMU_DESTROY"])
        #expect(model.ioctlTrace[3]["id"] == model.ioctlTrace[1]["out_hwpt_id"])
        #expect(model.liveObjects == objects)
        #expect(container.snapshot.hwpts.isEmpty)
    }

    @Test("rule 9: dirty pages supported once any device has it; a device without it is warned about")
    func dirtyPagesSupported() throws {
        let f = try MockPolicyFixture()
        let dirty = try f.mock()
        let clean = try f.mock(.noDirty)
        let log = LogCapture()
        let container = f.container(logger: log.logger)
        let a = try container.attach(dirty, iommufd: f.iommufd, wants: [])
        #expect(a.dirtyTracking && container.snapshot.dirtyPagesSupported)
        #expect(log.warnings.isEmpty)
        let b = try container.attach(clean, iommufd: f.iommufd, wants: [])
        // The dirty-tracking HWPT refuses a device that cannot track: a new HWPT.
        #expect(b.rejections.map(\.hwpt) == [a.outcome.hwpt!] && !b.dirtyTracking)
        #expect(container.snapshot.dirtyPagesSupported)
        #expect(log.warnings == ["the IOMMU of \(clean.displayName) does not support dirty tracking"])
    }

    @Test("rule 10: detach; a failed detach is logged, not thrown; the last device out destroys the HWPT")
    func detach() throws {
        let f = try PolicyFixture(host: .qemuIntelVTd(devices: 2))
        let (model, container) = (f.model, f.container)
        let log = f.log
        let hwpt = try #require(try container.attach(f.first, iommufd: f.iommufd, wants: []).outcome.hwpt)
        try container.attach(f.second, iommufd: f.iommufd, wants: [])

        model.clearTrace()
        model.injectFault(Errno(rawValue: 5), on: .nextCall(to: "VFIO_DEVICE_DETACH_IOMMUFD_PT"))
        let out1 = container.detach(f.first, iommufd: f.iommufd)
        #expect(out1.leftHWPT == hwpt && !out1.destroyedHWPT && out1.loggedFailures.count == 1)
        #expect(log.warnings.count == 1 && log.warnings[0].contains("VFIO_DEVICE_DETACH_IOMMUFD_PT failed"))
        #expect(model.ioctlNames == ["VFIO_DEVICE_DETACH_IOMMUFD_PT"])

        // The first device is still attached in the kernel, so the last
        // device out cannot destroy the HWPT: logged, and kept for reclaim.
        model.clearTrace()
        let out2 = container.detach(f.second, iommufd: f.iommufd)
        #expect(!out2.destroyedHWPT && out2.loggedFailures.map(\.code) == [.objectBusy])
        #expect(model.ioctlNames == ["VFIO_DEVICE_DETACH_IOMMUFD_PT", "IOMMU_DESTROY"])
        #expect(model.ioctlTrace[1]["id"] == UInt64(hwpt.rawValue))
        #expect(container.snapshot.hwpts.isEmpty && container.snapshot.undestroyedHWPTs == [hwpt])

        // Retrying the detach by hand, then reclaiming, leaves nothing behind.
        try f.first.detach()
        #expect(container.reclaim(iommufd: f.iommufd).isEmpty)
        #expect(container.snapshot.undestroyedHWPTs.isEmpty)
        #expect(model.live(.hwptPaging).isEmpty)
    }

    @Test("rule 10: the last device out destroys the HWPT")
    func lastDeviceDestroys() throws {
        let f = try PolicyFixture(host: .qemuIntelVTd(devices: 2))
        let (model, container) = (f.model, f.container)
        let hwpt = try #require(try container.attach(f.first, iommufd: f.iommufd, wants: []).outcome.hwpt)
        try container.attach(f.second, iommufd: f.iommufd, wants: [])
        let out1 = container.detach(f.first, iommufd: f.iommufd)
        #expect(out1.leftHWPT == hwpt && !out1.destroyedHWPT && out1.ioctlCount == 1)
        model.clearTrace()
        let out2 = container.detach(f.second, iommufd: f.iommufd)
        #expect(out2.destroyedHWPT && out2.loggedFailures.isEmpty && out2.ioctlCount == 2)
        #expect(model.ioctlNames == ["VFIO_DEVICE_DETACH_IOMMUFD_PT", "IOMMU_DESTROY"])
        #expect(container.snapshot.hwpts.isEmpty)
        #expect(model.live(.hwptPaging).isEmpty)
    }

    @Test("rule 11: a PASID attach is refused before the kernel while the RID HWPT lacks pasid")
    func pasidAttachRefused() throws {
        let f = try MockPolicyFixture()
        let model = f.model
        let ioas = f.ioas
        let device = try f.mock(.pasid)
        let container = f.container()
        let decision = try container.attach(device, iommufd: f.iommufd, wants: [])   // no PASID attach wanted
        #expect(!decision.flags.contains(.pasid))
        let target = try f.iommufd.allocateHWPT(for: device.deviceID, on: .ioas(ioas), flags: .pasid)
        model.clearTrace()
        let error = #expect(throws: IOMMUFDError.self) { try container.attachPASID(3, of: device, to: target) }
        #expect(error?.code == .incompatibleDomain && error?.operation == .autodomainPASIDAttach)
        #expect(error?.hint.contains("without IOMMU_HWPT_ALLOC_PASID") == true)
        #expect(model.ioctlNames.isEmpty)
        // The kernel itself would refuse it too (EINVAL):
        #expect(throws: IOMMUFDError.self) { try device.attachPASID(3, to: target) }
    }

    @Test("rule 12: dirty tracking on every dirty HWPT, rolled back when one fails; the bitmaps' union")
    func containerDirtyTracking() throws {
        let f = try MockPolicyFixture()
        let model = f.model
        let ioas = f.ioas
        try f.iommufd.setHugePages(false, of: ioas)
        let a = try f.mock()
        let b = try f.mock(.pasid)
        let container = f.container()
        let hwptA = try #require(try container.attach(a, iommufd: f.iommufd, wants: []).outcome.hwpt)
        let decisionB = try container.attach(b, iommufd: f.iommufd, wants: [])
        #expect(decisionB.outcome == .reused(hwptA))

        // A device that cannot track gets an HWPT of its own, without dirty tracking.
        let c = try f.mock(.noDirty)
        let decisionC = try container.attach(c, iommufd: f.iommufd, wants: [])
        #expect(!decisionC.dirtyTracking)
        let dirtyHWPTs = container.snapshot.hwpts.filter(\.dirtyTracking).map(\.id)
        #expect(dirtyHWPTs == [hwptA])

        model.clearTrace()
        try container.setDirtyTracking(true, iommufd: f.iommufd)
        #expect(model.ioctlNames == ["IOMMU_HWPT_SET_DIRTY_TRACKING"])

        // Mark pages dirty and read the union.
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 21, alignment: 1 << 21)
        defer { memory.deallocate() }
        let iova = try f.iommufd.map(UnsafeRawBufferPointer(memory), into: ioas)
        _ = try model.markDirty(hwpt: hwptA, iova: iova + 0x1000, length: 0x1000)
        var bitmap = try #require(DirtyBitmap(iova: iova, length: 1 << 21, pageSize: 4096))
        try container.readDirtyBitmap(into: &bitmap, iommufd: f.iommufd)
        #expect(bitmap.dirtyIOVAs == [iova + 0x1000])
        try container.setDirtyTracking(false, iommufd: f.iommufd)
    }

    @Test("rule 12: when one HWPT fails to start, the ones already started are stopped again")
    func dirtyTrackingRollback() throws {
        let f = try MockPolicyFixture(host: .twoIntelVTdUnits())
        let model = f.model
        // Two dirty-tracking HWPTs from two mock devices of different dirty capability groups.
        let a = try f.mock()
        let container = f.container()
        let hwptA = try #require(try container.attach(a, iommufd: f.iommufd, wants: []).outcome.hwpt)
        var vtd = try VFIODevice(opening: "vfio1", backend: model)   // dmar1 tracks dirty pages
        try vtd.bind(to: f.iommufd)
        let hwptB = try #require(try container.attach(vtd, iommufd: f.iommufd, wants: []).outcome.hwpt)
        #expect(container.snapshot.hwpts.map(\.id) == [hwptB, hwptA])
        let allDirty = container.snapshot.hwpts.allSatisfy { $0.dirtyTracking }
        #expect(allDirty)

        model.clearTrace()
        model.injectFault(Errno(rawValue: 95), on: .nthCall(2))   // the second HWPT's start
        let error = #expect(throws: IOMMUFDError.self) { try container.setDirtyTracking(true, iommufd: f.iommufd) }
        #expect(error?.errno == Errno(rawValue: 95))
        #expect(model.ioctlNames == ["IOMMU_HWPT_SET_DIRTY_TRACKING", "IOMMU_HWPT_SET_DIRTY_TRACKING",
                                     "IOMMU_HWPT_SET_DIRTY_TRACKING"])
        let calls = model.ioctlTrace
        #expect(calls[0]["hwpt_id"] == UInt64(hwptB.rawValue) && calls[0]["flags"] == 1)
        #expect(calls[1]["hwpt_id"] == UInt64(hwptA.rawValue) && calls[1].result.errno == Errno(rawValue: 95))
        #expect(calls[2]["hwpt_id"] == UInt64(hwptB.rawValue) && calls[2]["flags"] == 0)
    }

    @Test("rule 13: opt-in retry without dirtyTracking when the kernel refuses it")
    func retryWithoutDirtyTracking() throws {
        for retry in [false, true] {
            let f = try MockPolicyFixture()
            let model = f.model
            let ioas = f.ioas
            let device = try f.mock()
            let container = AutodomainContainer(ioas: ioas, iommufd: f.iommufd,
                                                options: .init(retryWithoutDirtyTracking: retry))
            model.injectFault(Errno(rawValue: 95), on: .nextCall(to: "IOMMU_HWPT_ALLOC"))
            model.clearTrace()
            if retry {
                let decision = try container.attach(device, iommufd: f.iommufd, wants: [])
                #expect(decision.droppedDirtyTracking && decision.flags == [])
                #expect(decision.reasons.contains { $0.contains("retried without it") })
                #expect(model.ioctlNames == ["IOMMU_GET_HW_INFO", "IOMMU_HWPT_ALLOC", "IOMMU_HWPT_ALLOC",
                                             "IOMMU_TEST_CMD.MOCK_DOMAIN_REPLACE"])
                #expect(model.ioctlTrace[2]["flags"] == 0)
            } else {
                #expect(throws: IOMMUFDError.self) { try container.attach(device, iommufd: f.iommufd, wants: []) }
                #expect(model.ioctlNames == ["IOMMU_GET_HW_INFO", "IOMMU_HWPT_ALLOC"])
            }
        }
    }

    @Test("a device must be bound, and cannot be attached twice")
    func misuse() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let container = AutodomainContainer(ioas: ioas, iommufd: iommufd)
        let unbound = #expect(throws: IOMMUFDError.self) { try container.attach(device, iommufd: iommufd, wants: []) }
        #expect(unbound?.hint.contains("bound") == true)
        try device.bind(to: iommufd)
        try container.attach(device, iommufd: iommufd, wants: [])
        let twice = #expect(throws: IOMMUFDError.self) { try container.attach(device, iommufd: iommufd, wants: []) }
        #expect(twice?.hint.contains("already attached") == true)
        // Another iommufd is refused.
        let other = try IOMMUFD(backend: model)
        let wrong = #expect(throws: IOMMUFDError.self) { try container.attach(device, iommufd: other, wants: []) }
        #expect(wrong?.code == .programmerError)
    }

    @Test("an HWPT lists its devices newest first through attaches and detaches in any order")
    func deviceOrder() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 4))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let container = AutodomainContainer(ioas: ioas, iommufd: iommufd)
        func open(_ index: Int) throws -> VFIODevice {
            var device = try VFIODevice(opening: "vfio\(index)", backend: model)
            try device.bind(to: iommufd)
            try container.attach(device, iommufd: iommufd, wants: [])
            return device
        }
        let d0 = try open(0), d1 = try open(1), d2 = try open(2), d3 = try open(3)
        let ids = [d0.deviceID!, d1.deviceID!, d2.deviceID!, d3.deviceID!]
        #expect(container.snapshot.hwpts.map(\.devices) == [[ids[3], ids[2], ids[1], ids[0]]])
        container.detach(d1, iommufd: iommufd)   // from the middle
        #expect(container.snapshot.hwpts.map(\.devices) == [[ids[3], ids[2], ids[0]]])
        container.detach(d3, iommufd: iommufd)   // the newest
        #expect(container.snapshot.hwpts.map(\.devices) == [[ids[2], ids[0]]])
        try container.attach(d1, iommufd: iommufd, wants: [])
        #expect(container.snapshot.hwpts.map(\.devices) == [[ids[1], ids[2], ids[0]]])
        #expect(container.snapshot.hwpt(of: ids[0])?.devices == [ids[1], ids[2], ids[0]])
        #expect(container.snapshot.hwpt(of: ids[3]) == nil)
        container.detach(d0, iommufd: iommufd)   // the oldest
        container.detach(d2, iommufd: iommufd)
        #expect(container.snapshot.hwpts.map(\.devices) == [[ids[1]]])
        container.detach(d1, iommufd: iommufd)
        #expect(container.snapshot.hwpts.isEmpty && model.live(.hwptPaging).isEmpty)
    }

    @Test("20 devices over two HWPTs (more than the device table holds at first): order and HWPT lifetime")
    func manyDevicesOverTwoHWPTs() throws {
        let model = KernelModel(host: .incompatibleIntelVTdUnits(2, devicesPerUnit: 10))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let container = AutodomainContainer(ioas: ioas, iommufd: iommufd)
        final class Opened {   // VFIODevice is not copyable: a dictionary holds it boxed
            let device: VFIODevice
            init(_ device: consuming VFIODevice) { self.device = device }
        }
        var devices: [Int: Opened] = [:]
        var ids: [BoundDeviceID] = []
        var decisions: [AttachDecision] = []
        for index in 0..<20 {   // vfio0–9 on unit 0, vfio10–19 on unit 1; attached alternately
            let node = index % 2 == 0 ? index / 2 : 10 + index / 2
            var device = try VFIODevice(opening: "vfio\(node)", backend: model)
            ids.append(try device.bind(to: iommufd))
            decisions.append(try container.attach(device, iommufd: iommufd, wants: []))
            devices[index] = Opened(device)
        }
        // Unit 0's devices after the first: the newest HWPT (unit 1's) refuses, the older one takes them.
        let (hwptA, hwptB) = (try #require(decisions[0].outcome.hwpt), try #require(decisions[1].outcome.hwpt))
        #expect(decisions[2].outcome == .reused(hwptA) && decisions[2].ioctlCount == 2)
        #expect(decisions[2].rejections.map(\.hwpt) == [hwptB])
        #expect(decisions[3].outcome == .reused(hwptB) && decisions[3].ioctlCount == 1 && decisions[3].rejections.isEmpty)
        let even = ids.indices.filter { $0 % 2 == 0 }.map { ids[$0] }
        let odd = ids.indices.filter { $0 % 2 == 1 }.map { ids[$0] }
        #expect(container.snapshot.hwpts.map(\.devices) == [odd.reversed(), even.reversed()])
        // Detach every third device, oldest first: the others keep their order.
        for index in stride(from: 0, to: 20, by: 3) {
            container.detach(devices.removeValue(forKey: index)!.device, iommufd: iommufd)
        }
        let kept = Set(devices.keys)
        #expect(container.snapshot.hwpts.map(\.devices) == [
            odd.indices.filter { kept.contains(2 * $0 + 1) }.map { odd[$0] }.reversed(),
            even.indices.filter { kept.contains(2 * $0) }.map { even[$0] }.reversed(),
        ])
        #expect(container.snapshot.hwpt(of: ids[0]) == nil && container.snapshot.hwpt(of: ids[1])?.devices.count == 7)
        // Attach two of them again: they are the newest now.
        for index in [3, 0] {
            var device = try VFIODevice(opening: "vfio\(index % 2 == 0 ? index / 2 : 10 + index / 2)", backend: model)
            ids[index] = try device.bind(to: iommufd)
            try container.attach(device, iommufd: iommufd, wants: [])
            devices[index] = Opened(device)
        }
        #expect(container.snapshot.hwpt(of: ids[3])?.devices.first == ids[3])
        #expect(container.snapshot.hwpt(of: ids[0])?.devices.first == ids[0])
        #expect(container.snapshot.hwpt(of: ids[1])?.devices.count == 8)
        #expect(container.snapshot.hwpt(of: ids[2])?.devices.count == 7)
        for index in devices.keys.sorted() where index % 2 == 1 {
            container.detach(devices.removeValue(forKey: index)!.device, iommufd: iommufd)
        }
        #expect(container.snapshot.hwpts.count == 1 && model.live(.hwptPaging).count == 1)
        for index in devices.keys.sorted() {
            container.detach(devices.removeValue(forKey: index)!.device, iommufd: iommufd)
        }
        #expect(container.snapshot.hwpts.isEmpty && model.live(.hwptPaging).isEmpty)
    }

    @Test("decisions compare by their facts, the out-of-line ones (rejections, hardware info) included")
    func decisionEquality() throws {
        let f = try PolicyFixture(host: .incompatibleIntelVTdUnits(2, devicesPerUnit: 1))
        let a = try f.container.attach(f.first, iommufd: f.iommufd, wants: [])
        let b = try f.container.attach(f.second, iommufd: f.iommufd, wants: [])
        #expect(b.rejections.map(\.hwpt) == [a.outcome.hwpt!] && b.hardwareInfo != nil)
        #expect(a.rejections.isEmpty && a.hardwareInfo != nil)
        #expect(a == a && b == b && a != b)
        #expect(Set([a, b, a]).count == 2)
        f.container.detach(f.second, iommufd: f.iommufd)
        let again = try f.container.attach(f.second, iommufd: f.iommufd, wants: [])
        // The same facts (the kernel hands the freed ID out again) in separately
        // made details: equal, and equal hashes.
        #expect(again.outcome == b.outcome && again.rejections == b.rejections && again.hardwareInfo == b.hardwareInfo)
        #expect(again == b && again.hashValue == b.hashValue)
    }
}
