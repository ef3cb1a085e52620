#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
internal import CIOMMUFD
internal import CIOMMUFDSelftest
public import IOMMUFD
import Synchronization

/// The kernel's `CONFIG_IOMMUFD_TEST` mock device, created and driven
/// through `IOMMU_TEST_CMD` on an iommufd — of a real test kernel, or of a
/// ``KernelModel`` — and usable wherever the policy needs an
/// ``AttachableDevice``.
///
/// Creating one (`IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS`) makes a mock device,
/// binds it to the iommufd (a device ID) and attaches it at once to an IOAS
/// or HWPT; the kernel represents it by a *selftest object* (``stdevID``).
/// The mock IOMMU reports info type `0xfeedbeef`, accepts every HWPT flag,
/// has the aperture `0x1000000-0x7fffffff` and 2 KiB pages.
///
/// How the ``AttachableDevice`` operations map onto the test ABI:
/// - ``attachPageTable(_:)``: `IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE` (the mock
///   device is always attached, so every attach is a replace);
/// - ``detachPageTable()``: the test ABI has no detach without destroying
///   the device: it detaches the PASIDs this value attached, then destroys
///   the selftest object (`IOMMU_DESTROY` of ``stdevID``), which detaches,
///   unbinds and removes the mock device; the value is unusable afterwards
///   (``boundDeviceID`` becomes `nil`);
/// - ``attachPASID(_:to:)``: `IOMMU_TEST_OP_PASID_ATTACH`, or
///   `IOMMU_TEST_OP_PASID_REPLACE` when this value already attached the PASID;
/// - ``detachPASID(_:)``: `IOMMU_TEST_OP_PASID_DETACH`.
///
/// The device is destroyed when the value goes out of scope (errors are
/// ignored then: the iommufd may already be closed, which destroys it too).
public struct KernelMockDevice: ~Copyable, Sendable {
    /// `MOCK_FLAGS_DEVICE_*`.
    public struct Flags: FlagSet {
        /// The bits as the kernel reads them.
        public let rawValue: UInt32
        /// Wraps raw bits.
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// `MOCK_FLAGS_DEVICE_NO_DIRTY`: the device's IOMMU cannot track dirty pages.
        public static let noDirty = Flags(rawValue: UInt32(MOCK_FLAGS_DEVICE_NO_DIRTY))
        /// `MOCK_FLAGS_DEVICE_PASID`: the device has 20 PASID bits.
        public static let pasid = Flags(rawValue: UInt32(MOCK_FLAGS_DEVICE_PASID))
        /// Every defined flag with its name.
        public static let namedFlags: [(flag: Flags, name: String)] = [(.noDirty, "noDirty"), (.pasid, "pasid")]
    }

    /// The selftest object's ID (destroying it destroys the mock device).
    public let stdevID: UInt32
    /// The mock device's ID in the iommufd.
    public let deviceID: BoundDeviceID
    /// The HWPT the device was attached to when it was created.
    public let initialHWPT: HWPTID
    /// The flags it was created with.
    public let flags: Flags
    /// The iommufd descriptor it lives in.
    public let iommufd: CInt

    let backend: any SyscallBackend
    private let handle: Handle

    private final class Handle: Sendable {
        let state = Mutex(State())
        struct State {
            var destroyed = false
            var pasids: Set<UInt32> = []
        }
    }

    /// Creates a mock device in the iommufd open as descriptor number `descriptor`.
    ///
    /// - Parameters:
    ///   - descriptor: The iommufd's descriptor number.
    ///   - target: An IOAS or an HWPT to attach to.
    ///   - flags: `MOCK_FLAGS_DEVICE_*`.
    ///   - backend: The system-call backend the iommufd uses; the real
    ///     kernel when `nil`.
    public init(
        iommufdDescriptor descriptor: CInt, attachingTo target: some AttachTargetID, flags: Flags = [],
        backend: (any SyscallBackend)? = nil
    ) throws(IOMMUFDError) {
        let backend = backend ?? LinuxSyscalls.shared
        var command = Self.command(Int(IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS), id: target.rawValue)
        command.mock_domain_flags.dev_flags = flags.rawValue
        try Self.run(&command, descriptor, backend, "MOCK_DOMAIN_FLAGS", [target.reference])
        self.stdevID = command.mock_domain_flags.out_stdev_id
        self.deviceID = BoundDeviceID(rawValue: command.mock_domain_flags.out_idev_id)
        self.initialHWPT = HWPTID(rawValue: command.mock_domain_flags.out_hwpt_id)
        self.flags = flags
        self.iommufd = descriptor
        self.backend = backend
        self.handle = Handle()
    }

    deinit {
        let destroyed = handle.state.withLock { state in
            let was = state.destroyed
            state.destroyed = true
            return was
        }
        if !destroyed { _ = try? Self.destroyObject(stdevID, iommufd, backend) }
    }

    /// Destroys the mock device now (see ``detachPageTable()``).
    public consuming func destroy() throws(IOMMUFDError) {
        try detachPageTable()
    }

    /// Whether the device was destroyed through ``detachPageTable()``.
    public var isDestroyed: Bool { handle.state.withLock { $0.destroyed } }

    /// The PASIDs this value attached and has not detached.
    public var attachedPASIDs: Set<UInt32> { handle.state.withLock { $0.pasids } }

    /// Replaces the device's page table (`IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE`).
    ///
    /// - Returns: The HWPT now attached (for an IOAS, the one the kernel chose).
    @discardableResult
    public func replace(with target: some AttachTargetID) throws(IOMMUFDError) -> HWPTID {
        try checkAlive("MOCK_DOMAIN_REPLACE")
        var command = Self.command(Int(IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE), id: stdevID)
        command.mock_domain_replace.pt_id = target.rawValue
        try Self.run(&command, iommufd, backend, "MOCK_DOMAIN_REPLACE", [deviceID.reference, target.reference])
        return HWPTID(rawValue: command.mock_domain_replace.pt_id)
    }

    /// Attaches a PASID of the device (`IOMMU_TEST_OP_PASID_ATTACH`; the kernel
    /// refuses a PASID already attached with `EBUSY`).
    @discardableResult
    public func attachPASID(_ pasid: UInt32, toTarget target: some AttachTargetID) throws(IOMMUFDError) -> HWPTID {
        try pasidOperation(Int(IOMMU_TEST_OP_PASID_ATTACH), "PASID_ATTACH", pasid, target)
    }

    /// Replaces the page table of an attached PASID (`IOMMU_TEST_OP_PASID_REPLACE`).
    @discardableResult
    public func replacePASID(_ pasid: UInt32, with target: some AttachTargetID) throws(IOMMUFDError) -> HWPTID {
        try pasidOperation(Int(IOMMU_TEST_OP_PASID_REPLACE), "PASID_REPLACE", pasid, target)
    }

    private func pasidOperation(_ op: Int, _ name: String, _ pasid: UInt32, _ target: some AttachTargetID) throws(IOMMUFDError) -> HWPTID {
        try checkAlive(name)
        var command = Self.command(op, id: stdevID)
        command.pasid_attach.pasid = pasid
        command.pasid_attach.pt_id = target.rawValue
        try Self.run(&command, iommufd, backend, name, [deviceID.reference, target.reference])
        handle.state.withLock { _ = $0.pasids.insert(pasid) }
        return HWPTID(rawValue: command.pasid_attach.pt_id)
    }

    /// Asks the kernel whether `pasid` is attached to `hwpt`, or, for `nil`,
    /// detached (`IOMMU_TEST_OP_PASID_CHECK_HWPT`).
    public func isPASID(_ pasid: UInt32, attachedTo hwpt: HWPTID?) throws(IOMMUFDError) -> Bool {
        try checkAlive("PASID_CHECK_HWPT")
        var command = Self.command(Int(IOMMU_TEST_OP_PASID_CHECK_HWPT), id: stdevID)
        command.pasid_check.pasid = pasid
        command.pasid_check.hwpt_id = hwpt?.rawValue ?? 0
        let rc = Self.call(&command, iommufd, backend)
        if rc == -EINVAL { return false }
        if rc < 0 { throw Self.error("PASID_CHECK_HWPT", rc, [deviceID.reference]) }
        return true
    }

    // MARK: - Plumbing

    static func command(_ op: Int, id: UInt32) -> iommu_test_cmd {
        var command = iommu_test_cmd()
        command.size = UInt32(MemoryLayout<iommu_test_cmd>.size)
        command.op = UInt32(op)
        command.id = id
        return command
    }

    static func call(_ command: inout iommu_test_cmd, _ fd: CInt, _ backend: any SyscallBackend) -> CInt {
        var rc: CInt
        repeat {
            rc = withUnsafeMutableBytes(of: &command) { backend.ioctl(fd, request: CIOMMUFD_IOMMU_TEST_CMD, argument: $0.baseAddress!) }
        } while rc == -EINTR
        return rc
    }

    /// Issues a test command; the objects its error names are gathered only
    /// when it fails.
    static func run(
        _ command: inout iommu_test_cmd, _ fd: CInt, _ backend: any SyscallBackend, _ name: String,
        _ objects: @autoclosure () -> [ObjectReference]
    ) throws(IOMMUFDError) {
        let rc = call(&command, fd, backend)
        if rc < 0 { throw error(name, rc, objects()) }
    }

    /// The operation of a test command, as errors name it.
    static func operation(_ name: String) -> IOMMUFDError.Operation {
        IOMMUFDError.Operation("IOMMU_TEST_CMD(\(name))", introducedIn: KernelRelease(6, 2))
    }

    private func checkAlive(_ name: String) throws(IOMMUFDError) {
        if isDestroyed {
            throw IOMMUFDError(code: .programmerError, operation: Self.operation(name), objects: [deviceID.reference],
                               hint: "the mock device was destroyed (detachPageTable destroys it)")
        }
    }
}

extension KernelMockDevice: AttachableDevice {
    /// The device ID, until the device is destroyed.
    public var boundDeviceID: BoundDeviceID? { isDestroyed ? nil : deviceID }

    /// Mock devices are not mediated.
    public var isMediated: Bool { false }

    /// `mock device (stdev 2, device 3)`.
    public var displayName: String { "mock device (stdev \(stdevID), device \(deviceID.rawValue))" }

    /// ``replace(with:)``: the mock device is always attached.
    public func attachPageTable(_ target: some AttachTargetID) throws(IOMMUFDError) -> HWPTID {
        try replace(with: target)
    }

    /// Detaches the PASIDs this value attached, then destroys the device
    /// (the test ABI has no other way to detach its RID).
    public func detachPageTable() throws(IOMMUFDError) {
        try checkAlive("destroy")
        for pasid in attachedPASIDs.sorted() { try detachPASID(pasid) }
        handle.state.withLock { $0.destroyed = true }
        try Self.destroyObject(stdevID, iommufd, backend)
    }

    /// ``attachPASID(_:toTarget:)``, or ``replacePASID(_:with:)`` when attached.
    public func attachPASID(_ pasid: UInt32, to hwpt: HWPTID) throws(IOMMUFDError) {
        if attachedPASIDs.contains(pasid) {
            _ = try replacePASID(pasid, with: hwpt)
        } else {
            _ = try attachPASID(pasid, toTarget: hwpt)
        }
    }

    /// `IOMMU_TEST_OP_PASID_DETACH` (detaching a PASID that is not attached succeeds).
    public func detachPASID(_ pasid: UInt32) throws(IOMMUFDError) {
        try checkAlive("PASID_DETACH")
        var command = Self.command(Int(IOMMU_TEST_OP_PASID_DETACH), id: stdevID)
        command.pasid_detach.pasid = pasid
        try Self.run(&command, iommufd, backend, "PASID_DETACH", [deviceID.reference])
        handle.state.withLock { _ = $0.pasids.remove(pasid) }
    }
}
