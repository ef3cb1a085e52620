import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

/// The policy over its whole input space: the flag matrix, every fault at
/// every ioctl, ioctl counts against QEMU's algorithm, kernel releases.
@Suite("autodomain policy matrix")
struct AutodomainMatrixTests {
    // MARK: Flag matrix

    static let infoTypes: [VendorData] = [
        .intelVTd(IntelVTdHardwareInfo(flags: .errata772415SPR17, capReg: 0x00d2_008c_222f_0606,
                                       ecapReg: 0x0000_4900_80f0_0f4a)),
        .armSMMUv3(ARMSMMUv3HardwareInfo(idr0: 0x080f_7e3f, idr1: 0x0e73_9d18, idr2: 0, idr3: 0x3c, idr4: 0,
                                         idr5: 0x0040_0075, iidr: 0x4832_243b, aidr: 1)),
        .amd(AMDHardwareInfo(efr: 0x29d3, efr2: 0)),
        .none,
    ]

    struct MatrixCase: Sendable, CustomTestStringConvertible {
        var dirty: Bool
        var wantNesting: Bool
        var pasidWidth: UInt8
        var wantPASIDAttach: Bool
        var vendor: VendorData

        var testDescription: String {
            "dirty=\(dirty) nesting=\(wantNesting) pasid=\(pasidWidth) wantPASID=\(wantPASIDAttach) "
                + "type=\(vendor.decoded?.typeName ?? "none")"
        }
    }

    static let matrix: [MatrixCase] = {
        var cases: [MatrixCase] = []
        for dirty in [false, true] {
            for nesting in [false, true] {
                for width: UInt8 in [0, 20] {
                    for wantPASID in [false, true] {
                        for vendor in infoTypes {
                            cases.append(MatrixCase(dirty: dirty, wantNesting: nesting, pasidWidth: width,
                                                    wantPASIDAttach: wantPASID, vendor: vendor))
                        }
                    }
                }
            }
        }
        return cases
    }()

    @Test("flags: dirty capability × nesting × PASID width × PASID attach × info type", arguments: matrix)
    func flagMatrix(_ c: MatrixCase) {
        let type: HardwareInfoType = switch c.vendor {
        case .intelVTd: .intelVTd
        case .armSMMUv3: .armSMMUv3
        case .amd: .amd
        default: .none
        }
        let info = HardwareInfo(type: type, vendorData: c.vendor, capabilities: c.dirty ? .dirtyTracking : [],
                                maxPASIDLog2: c.pasidWidth)
        var wants: VIOMMUWants = []
        if c.wantNesting { wants.insert(.nestingParent) }
        if c.wantPASIDAttach { wants.formUnion([.pasidSupported, .pasidAttach]) }
        let (flags, reasons) = AutodomainRules.allocationFlags(for: info, wants: wants)
        #expect(AutodomainRules.flags(for: info, wants: wants) == flags)

        #expect(flags.contains(.dirtyTracking) == c.dirty)
        #expect(flags.contains(.nestParent) == c.wantNesting)
        #expect(flags.contains(.pasid) == (c.pasidWidth > 0 && c.wantPASIDAttach))
        #expect(!flags.contains(.faultIDValid))
        #expect(reasons.contains { $0.hasPrefix(c.dirty ? "dirtyTracking:" : "no dirtyTracking:") })
        if flags.contains(.pasid) {
            #expect(reasons.contains("pasid: device PASID width 20, vIOMMU wants PASID attach"))
        }
        // The erratum quirk: VT-d (whose flags carry it here) with a nesting parent only.
        let isVTd = if case .intelVTd = c.vendor { true } else { false }
        #expect(AutodomainRules.bypassesReadOnly(info: info, flags: flags) == (isVTd && c.wantNesting))
        let plan = AutodomainRules.plan(hardwareInfo: info, wants: wants, isMediated: false)
        #expect(plan.action == .allocate && plan.flags == flags)
    }

    // MARK: Fault injection

    /// The ioctls of attaching the second device of a two-unit host:
    /// ATTACH(existing) = EINVAL, GET_HW_INFO, HWPT_ALLOC, ATTACH(new).
    static let attachSteps = ["VFIO_DEVICE_ATTACH_IOMMUFD_PT", "IOMMU_GET_HW_INFO", "IOMMU_HWPT_ALLOC",
                              "VFIO_DEVICE_ATTACH_IOMMUFD_PT"]
    static let errnos: [CInt] = [1, 5, 12, 13, 14, 16, 22, 25, 95]   // EPERM EIO ENOMEM EACCES EFAULT EBUSY EINVAL ENOTTY EOPNOTSUPP

    struct FaultCase: Sendable, CustomTestStringConvertible {
        var step: Int
        var errno: CInt
        var testDescription: String { "fail ioctl \(step + 1) with \(Errno(rawValue: errno).symbolicName)" }
    }

    static let faultCases: [FaultCase] = attachSteps.indices.flatMap { step in errnos.map { FaultCase(step: step, errno: $0) } }

    /// Runs `body` on a two-unit host where the first device is attached
    /// through the container and the second is bound, ready to attach.
    static func withSecondAttach(
        _ body: (KernelModel, borrowing IOMMUFD, AutodomainContainer, borrowing VFIODevice) throws -> Void
    ) throws {
        let f = try PolicyFixture(host: .twoIntelVTdUnits())
        let (model, container) = (f.model, f.container)
        try container.attach(f.first, iommufd: f.iommufd, wants: [])
        try body(model, f.iommufd, container, f.second)
    }

    @Test("a fault at any ioctl of an attach leaves kernel and container unchanged", arguments: faultCases)
    func attachFaults(_ c: FaultCase) throws {
        // A fault-free run on an identical model gives the trace sequence
        // number of the step-th ioctl of the attach (the model is deterministic).
        var sequence = 0
        try Self.withSecondAttach { model, iommufd, container, second in
            let before = model.trace.count
            try container.attach(second, iommufd: iommufd, wants: [])
            let ioctls = model.trace.dropFirst(before).filter(\.isIoctl)
            #expect(ioctls.map(\.operation) == Self.attachSteps)
            sequence = ioctls[ioctls.startIndex + c.step].sequence
        }
        try Self.withSecondAttach { model, iommufd, container, second in
            let snapshot = container.snapshot, objects = model.liveObjects, descriptors = model.openDescriptors
            model.injectFault(Errno(rawValue: c.errno), on: .callNumber(sequence))
            let result = Result { () throws(IOMMUFDError) in try container.attach(second, iommufd: iommufd, wants: []) }
            #expect(model.pendingFaultCount == 0, "the fault did not fire")
            if c.step == 0 && c.errno == 22 {
                // EINVAL on a reuse attempt is the kernel's own answer: the policy moves on.
                let decision = try result.get()
                guard case .allocated = decision.outcome else { Issue.record("expected an allocation"); return }
            } else {
                #expect(throws: IOMMUFDError.self) { try result.get() }
                #expect(container.snapshot == snapshot, "the container changed after a failed attach")
                #expect(model.liveObjects == objects, "a kernel object leaked: \(model.liveObjects)")
                #expect(model.openDescriptors == descriptors)
            }
        }
    }

    @Test("a fault at any ioctl of a detach is logged and nothing leaks once the detach is retried",
          arguments: [0, 1], errnos)
    func detachFaults(_ step: Int, _ errno: CInt) throws {
        let f = try PolicyFixture(host: .qemuIntelVTd(devices: 2))
        let (model, container) = (f.model, f.container)
        try container.attach(f.first, iommufd: f.iommufd, wants: [])
        model.injectFault(Errno(rawValue: errno),
                          on: .nextCall(to: step == 0 ? "VFIO_DEVICE_DETACH_IOMMUFD_PT" : "IOMMU_DESTROY"))
        let outcome = container.detach(f.first, iommufd: f.iommufd)
        // A failed detach leaves the device on the HWPT, so its destroy fails too (EBUSY).
        let expected = step == 0 ? [Errno(rawValue: errno), Errno(rawValue: 16)] : [Errno(rawValue: errno)]
        #expect(outcome.loggedFailures.map(\.errno) == expected)
        #expect(container.snapshot.undestroyedHWPTs.count == 1)
        #expect(container.snapshot.hwpts.isEmpty)
        // Recovery: the caller retries the detach, then reclaims.
        try f.first.detach()
        #expect(container.reclaim(iommufd: f.iommufd).isEmpty)
        #expect(model.live(.hwptPaging).isEmpty, "an HWPT leaked: \(model.liveObjects)")
    }

    // MARK: Ioctl count against QEMU

    /// QEMU's `iommufd_cdev_autodomains_get()`, counted: a device tries every
    /// HWPT of the container newest first until one accepts it (one ATTACH
    /// each); if none does, GET_HW_INFO + HWPT_ALLOC + ATTACH. With devices
    /// arriving group by group in round-robin order over `groups` mutually
    /// incompatible IOMMUs, device k (0-based) of group g sees the HWPTs of the
    /// groups already served. Closed form for N devices, N ≥ M, round-robin:
    /// first round (k < M): device k tries k HWPTs and allocates → k + 3;
    /// later rounds: the compatible HWPT is at position M − g from the head
    /// (g = k mod M; newest first) → M − g attaches.
    static func qemuIoctlCount(devices: Int, groups: Int) -> Int {
        var total = 0
        for k in 0..<devices {
            let g = k % groups
            total += k < groups ? k + 3 : groups - g
        }
        return total
    }

    @Test("attaching N devices over M incompatible IOMMUs never takes more ioctls than QEMU",
          arguments: [(1, 1), (2, 1), (4, 2), (6, 3), (8, 4), (9, 3)])
    func ioctlCount(_ shape: (devices: Int, groups: Int)) throws {
        let perUnit = shape.devices / shape.groups
        let model = KernelModel(host: .incompatibleIntelVTdUnits(shape.groups, devicesPerUnit: perUnit))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let container = AutodomainContainer(ioas: ioas, iommufd: iommufd)
        var ours = 0
        model.clearTrace()
        // Round-robin over the units: device index unit * perUnit + i.
        for i in 0..<perUnit {
            for unit in 0..<shape.groups {
                var device = try VFIODevice(opening: "vfio\(unit * perUnit + i)", backend: model)
                try device.bind(to: iommufd)
                ours += try container.attach(device, iommufd: iommufd, wants: []).ioctlCount
                _ = device.relinquish()   // keep it bound; the model closes it with the iommufd test
            }
        }
        let traced = model.ioctlTrace.filter { $0.operation != "VFIO_DEVICE_BIND_IOMMUFD" }.count
        #expect(ours == traced, "the decision's count disagrees with the trace")
        #expect(ours <= Self.qemuIoctlCount(devices: shape.devices, groups: shape.groups))
        #expect(container.snapshot.hwpts.count == shape.groups)
    }

    // MARK: Kernel releases

    @Test("before 6.15 the device reports no PASID width: pasid is never requested and nothing fails",
          arguments: [KernelProfile.linux6_7, .linux6_11, .linux6_13])
    func oldKernels(_ kernel: KernelProfile) throws {
        let f = try MockPolicyFixture(kernel: kernel)
        let device = try f.mock(.pasid)
        let container = f.container()
        let decision = try container.attach(device, iommufd: f.iommufd, wants: VIOMMUProfile.intelVTdWithPASID.wants)
        #expect(decision.hardwareInfo?.maxPASIDLog2 == 0)
        #expect(!decision.flags.contains(.pasid))
        #expect(decision.reasons.contains("no pasid: the vIOMMU wants PASID attach, but the device reports no PASID width"))
    }

    @Test("on 7.2 the same device gets the pasid flag", arguments: [KernelProfile.linux6_15, .linux6_17, .linux7_2])
    func newKernels(_ kernel: KernelProfile) throws {
        let f = try MockPolicyFixture(kernel: kernel)
        let device = try f.mock(.pasid)
        let container = f.container()
        let decision = try container.attach(device, iommufd: f.iommufd, wants: VIOMMUProfile.intelVTdWithPASID.wants)
        #expect(decision.flags.contains(.pasid))
    }
}
