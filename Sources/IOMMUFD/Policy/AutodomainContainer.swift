public import Logging
import SystemPackage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// QEMU's *autodomain* policy for passthrough devices: one IOAS and the
/// hardware page tables (HWPTs) made for its devices, shared whenever the
/// kernel accepts a device on an existing one.
///
/// For each device ``attach(_:iommufd:wants:savedHWPT:)`` follows QEMU's
/// `hw/vfio/iommufd.c` (with the PASID series) rule by rule:
///
/// 1. A mediated device attaches to the IOAS directly: no HWPT, no GET_HW_INFO.
/// 2. Otherwise each existing HWPT is tried, newest first. `EINVAL` means
///    "incompatible" and the next is tried; any other error aborts the attach
///    and nothing is allocated.
/// 3. A reused HWPT needs no GET_HW_INFO and no allocation; the device's dirty
///    tracking is the HWPT's.
/// 4. Otherwise GET_HW_INFO decides the flags (``AutodomainRules/allocationFlags(for:wants:)``):
///    `dirtyTracking` from the capabilities, `nestParent` if the vIOMMU wants a
///    nesting parent, `pasid` if the device has a PASID width and the vIOMMU
///    wants PASID attach.
/// 5. With `nestParent`, VT-d's erratum 772415 flag gives the container the
///    bypass-read-only quirk.
/// 6. Live update (CPR, incoming): only the HWPT whose ID was saved is reused,
///    with no ioctl; if none matches, the saved ID is recorded as a new HWPT
///    with the computed flags, without allocating or attaching.
/// 7. HWPT_ALLOC on the IOAS with those flags; a failure leaves nothing behind.
/// 8. Attach to the new HWPT; a failure destroys it and aborts.
/// 9. The HWPT is recorded; the container supports dirty pages once any device
///    has dirty tracking, and a device without it in such a container is
///    logged as a warning.
///
/// ``detach(_:iommufd:)`` detaches (a failure is logged, not thrown) and the
/// last device out destroys its HWPT. ``attachPASID(_:of:to:)`` refuses, before
/// the kernel would, a PASID attach while the device's HWPT lacks `pasid`.
/// ``setDirtyTracking(_:iommufd:)`` and ``readDirtyBitmap(into:iommufd:clear:)``
/// work over every dirty-tracking HWPT.
///
/// Every decision is returned as an ``AttachDecision`` and logged at debug
/// level, like QEMU's trace events. A failed attach leaves the container and
/// the kernel as they were. The container is thread-safe; operations are
/// serialised.
public final class AutodomainContainer: Sendable {
    /// Behaviour beyond QEMU's, off by default so the default equals QEMU.
    public struct Options: Sendable, Hashable {
        /// When HWPT_ALLOC with `dirtyTracking` fails with `EOPNOTSUPP` (as
        /// nesting parents often do), retry once without it and say so.
        public var retryWithoutDirtyTracking: Bool

        /// Creates options.
        public init(retryWithoutDirtyTracking: Bool = false) {
            self.retryWithoutDirtyTracking = retryWithoutDirtyTracking
        }
    }

    /// One HWPT the container made (or recorded on live update).
    public struct ManagedHWPT: Sendable, Hashable {
        /// Its ID.
        public var id: HWPTID
        /// The flags it was allocated with.
        public var flags: HWPTAllocFlags
        /// The devices attached to it, newest first.
        public var devices: [DeviceID]
        /// Whether it tracks dirty pages.
        public var dirtyTracking: Bool { flags.contains(.dirtyTracking) }
    }

    /// The container's state at one moment.
    public struct Snapshot: Sendable, Hashable {
        /// The HWPTs, newest first.
        public var hwpts: [ManagedHWPT]
        /// Devices attached to the IOAS directly (mediated devices).
        public var ioasDevices: [DeviceID]
        /// PASID attachments made through the container: device → PASID → HWPT.
        public var pasids: [DeviceID: [UInt32: HWPTID]]
        /// Whether some device has IOMMU dirty tracking.
        public var dirtyPagesSupported: Bool
        /// Whether read-only mappings are bypassed on the nesting parent
        /// (VT-d erratum 772415).
        public var bypassReadOnly: Bool
        /// HWPTs whose last device left but whose destroy failed (e.g. the
        /// device's detach had failed and it still uses the HWPT); see
        /// ``AutodomainContainer/reclaim(iommufd:)``.
        public var undestroyedHWPTs: [HWPTID] = []

        /// The HWPT a device is attached to.
        public func hwpt(of device: DeviceID) -> ManagedHWPT? {
            hwpts.first { $0.devices.contains(device) }
        }
    }

    /// The IOAS the container maps guest memory into.
    public let ioas: IOASID
    /// The options.
    public let options: Options
    /// Where decisions are logged (debug level; warnings for failed detaches).
    public let logger: Logger

    private let iommufdDescriptor: CInt
    private let state: Mutex<Snapshot>

    /// Creates a container for an IOAS of `iommufd` (it does not take
    /// ownership of the IOAS).
    public init(ioas: IOASID, iommufd: borrowing IOMMUFD, options: Options = .init(),
                logger: Logger = Logger(label: "iommufd.autodomain")) {
        self.ioas = ioas
        self.options = options
        self.logger = logger
        self.iommufdDescriptor = iommufd.descriptor.rawValue
        self.state = Mutex(Snapshot(hwpts: [], ioasDevices: [], pasids: [:], dirtyPagesSupported: false,
                                    bypassReadOnly: false))
    }

    /// The current state.
    public var snapshot: Snapshot { state.withLock { $0 } }

    // MARK: - Attach

    /// Attaches a bound device following the autodomain rules.
    ///
    /// - Parameters:
    ///   - device: A device bound to `iommufd` and not yet in this container.
    ///   - iommufd: The iommufd the container was made for.
    ///   - wants: What the guest's vIOMMU needs.
    ///   - savedHWPT: For a live-update (CPR) incoming device, the HWPT ID it
    ///     was attached to before; `nil` otherwise.
    /// - Returns: The decision and its explanation.
    /// - Throws: ``IOMMUFDError``; nothing is left allocated and the
    ///   container is unchanged.
    @discardableResult
    public func attach<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, iommufd: borrowing IOMMUFD, wants: VIOMMUWants, savedHWPT: HWPTID? = nil
    ) throws(IOMMUFDError) -> AttachDecision {
        try checkIOMMUFD(iommufd, operation: .autodomainAttach)
        guard let id = device.boundDeviceID else {
            throw policyError(.autodomainAttach, device.displayName, code: .invalidArgument,
                              hint: "the device must be bound to the iommufd first")
        }
        return try state.withLock { (state) throws(IOMMUFDError) -> AttachDecision in
            if state.ioasDevices.contains(id) || state.hwpt(of: id) != nil {
                throw policyError(.autodomainAttach, device.displayName, code: .invalidArgument,
                                  hint: "\(id) is already attached through this container; detach it first")
            }
            var attempt = Attempt(device: id, cpr: savedHWPT != nil)
            let decision = try attachLocked(device, id: id, iommufd: iommufd, wants: wants, savedHWPT: savedHWPT,
                                            state: &state, attempt: &attempt)
            logger.debug("\(device.displayName): \(decision.description)",
                         metadata: ["device": "\(id.rawValue)", "ioctls": "\(decision.ioctlCount)"])
            return decision
        }
    }

    /// The bookkeeping of one attach: ioctls issued and reasons given.
    private struct Attempt {
        var device: DeviceID
        var cpr: Bool
        var ioctls = 0
        var reasons: [String] = []
        var rejections: [AttachDecision.Rejection] = []
    }

    private func attachLocked<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, id: DeviceID, iommufd: borrowing IOMMUFD, wants: VIOMMUWants,
        savedHWPT: HWPTID?, state: inout Snapshot, attempt: inout Attempt
    ) throws(IOMMUFDError) -> AttachDecision {
        // Rule 1: mediated devices have no IOMMU of their own.
        if device.isMediated {
            if savedHWPT == nil {
                attempt.ioctls += 1
                _ = try device.attachPageTable(ioas)
                attempt.reasons.append("mediated device: attached to \(ioas) directly")
            } else {
                attempt.reasons.append("mediated device on live update: already attached to \(ioas)")
            }
            state.ioasDevices.insert(id, at: 0)
            return decision(attempt, outcome: .attachedToIOAS(ioas), flags: [], info: nil)
        }

        // Rules 2, 3 and 6: the existing HWPTs, newest first.
        for (index, hwpt) in state.hwpts.enumerated() {
            if let savedHWPT {
                guard hwpt.id == savedHWPT else { continue }
                attempt.reasons.append("live update: \(hwpt.id) is the saved HWPT")
                state.hwpts[index].devices.insert(id, at: 0)
                return decision(attempt, outcome: .resumed(hwpt.id), flags: hwpt.flags, info: nil)
            }
            attempt.ioctls += 1
            do throws(IOMMUFDError) {
                _ = try device.attachPageTable(hwpt.id)
            } catch where error.errno == Errno(rawValue: EINVAL) {
                attempt.rejections.append(AttachDecision.Rejection(hwpt: hwpt.id, error: error))
                attempt.reasons.append("tried \(hwpt.id): incompatible (EINVAL)")
                continue
            }
            attempt.reasons.append("reused \(hwpt.id): the kernel accepted the device"
                                   + (hwpt.dirtyTracking ? "; dirty tracking from the HWPT" : ""))
            state.hwpts[index].devices.insert(id, at: 0)
            return decision(attempt, outcome: .reused(hwpt.id), flags: hwpt.flags, info: nil)
        }

        // Rule 4: a new HWPT; its flags come from the hardware information.
        attempt.ioctls += 1
        let info = try iommufd.hardwareInfo(for: id)
        var (flags, reasons) = AutodomainRules.allocationFlags(for: info, wants: wants)
        attempt.reasons += reasons
        // Rule 5.
        let bypassReadOnly = AutodomainRules.bypassesReadOnly(info: info, flags: flags)
        if bypassReadOnly {
            attempt.reasons.append("nesting parent on VT-d with erratum 772415: read-only mappings bypassed")
        }

        let hwpt: HWPTID
        var dropped = false
        if let savedHWPT {
            // Rule 6: record what the previous process allocated.
            hwpt = savedHWPT
            attempt.reasons.append("live update: recorded saved \(savedHWPT) without allocating")
        } else {
            // Rule 7.
            do throws(IOMMUFDError) {
                attempt.ioctls += 1
                hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: flags)
            } catch where options.retryWithoutDirtyTracking && flags.contains(.dirtyTracking)
                && error.errno == Errno(rawValue: EOPNOTSUPP) {
                flags.remove(.dirtyTracking)
                dropped = true
                attempt.reasons.append("HWPT_ALLOC with dirtyTracking refused (EOPNOTSUPP): retried without it")
                attempt.ioctls += 1
                hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: flags)
            }
            // Rule 8.
            attempt.ioctls += 1
            do throws(IOMMUFDError) {
                _ = try device.attachPageTable(hwpt)
            } catch {
                attempt.ioctls += 1
                do throws(IOMMUFDError) {
                    try iommufd.destroy(hwpt)
                } catch let destroyError {
                    logger.warning("destroying \(hwpt) after a failed attach failed: \(destroyError)")
                }
                throw error
            }
            attempt.reasons.append("allocated \(hwpt) with \(flags) and attached")
        }

        // Rule 9.
        state.hwpts.insert(ManagedHWPT(id: hwpt, flags: flags, devices: [id]), at: 0)
        let deviceDirty = flags.contains(.dirtyTracking)
        state.dirtyPagesSupported = state.dirtyPagesSupported || deviceDirty
        state.bypassReadOnly = state.bypassReadOnly || bypassReadOnly
        if state.dirtyPagesSupported && !deviceDirty {
            logger.warning("the IOMMU of \(device.displayName) does not support dirty tracking")
            attempt.reasons.append("warning: the container tracks dirty pages but this device's IOMMU cannot")
        }
        var result = decision(attempt, outcome: savedHWPT == nil ? .allocated(hwpt) : .recordedSaved(hwpt),
                              flags: flags, info: info)
        result.droppedDirtyTracking = dropped
        return result
    }

    private func decision(
        _ attempt: Attempt, outcome: AttachDecision.Outcome, flags: HWPTAllocFlags, info: HardwareInfo?
    ) -> AttachDecision {
        AttachDecision(
            device: attempt.device, outcome: outcome, flags: flags, dirtyTracking: flags.contains(.dirtyTracking),
            rejections: attempt.rejections, hardwareInfo: info, droppedDirtyTracking: false,
            reasons: attempt.reasons, ioctlCount: attempt.ioctls)
    }

    // MARK: - Detach

    /// What ``detach(_:iommufd:)`` did.
    public struct DetachOutcome: Sendable, Hashable {
        /// The HWPT the device left, if it was on one.
        public var leftHWPT: HWPTID?
        /// Whether that HWPT was destroyed (the device was the last one on it).
        public var destroyedHWPT: Bool
        /// Failures that were logged instead of thrown.
        public var loggedFailures: [IOMMUFDError]
        /// The number of ioctls issued.
        public var ioctlCount: Int
    }

    /// Detaches a device: PASIDs attached through the container first, then
    /// the device (failures are logged, not thrown); the last device out
    /// destroys its HWPT.
    @discardableResult
    public func detach<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, iommufd: borrowing IOMMUFD
    ) -> DetachOutcome {
        guard let id = device.boundDeviceID else {
            return DetachOutcome(leftHWPT: nil, destroyedHWPT: false, loggedFailures: [], ioctlCount: 0)
        }
        return state.withLock { state -> DetachOutcome in
            var outcome = DetachOutcome(leftHWPT: nil, destroyedHWPT: false, loggedFailures: [], ioctlCount: 0)
            func log(_ error: IOMMUFDError) {
                outcome.loggedFailures.append(error)
                logger.warning("\(device.displayName): \(error)")
            }
            for pasid in (state.pasids[id] ?? [:]).keys.sorted() {
                outcome.ioctlCount += 1
                do throws(IOMMUFDError) { try device.detachPASID(pasid) } catch { log(error) }
            }
            state.pasids[id] = nil
            outcome.ioctlCount += 1
            do throws(IOMMUFDError) { try device.detachPageTable() } catch { log(error) }

            if let index = state.ioasDevices.firstIndex(of: id) {
                state.ioasDevices.remove(at: index)
            } else if let index = state.hwpts.firstIndex(where: { $0.devices.contains(id) }) {
                let hwpt = state.hwpts[index].id
                outcome.leftHWPT = hwpt
                state.hwpts[index].devices.removeAll { $0 == id }
                if state.hwpts[index].devices.isEmpty {
                    state.hwpts.remove(at: index)
                    outcome.ioctlCount += 1
                    do throws(IOMMUFDError) {
                        try iommufd.destroy(hwpt)
                        outcome.destroyedHWPT = true
                    } catch {
                        log(error)
                        state.undestroyedHWPTs.append(hwpt)
                    }
                }
            }
            let left = outcome.leftHWPT.map { " from \($0)" } ?? ""
            let destroyed = outcome.destroyedHWPT ? ", destroyed it (last device)" : ""
            logger.debug("\(device.displayName): detached\(left)\(destroyed)")
            return outcome
        }
    }

    /// Retries destroying the HWPTs a detach could not destroy (see
    /// ``Snapshot/undestroyedHWPTs``), for example after a failed detach was
    /// retried by hand. QEMU forgets such HWPTs; the container keeps them so
    /// nothing leaks until the iommufd closes.
    ///
    /// - Returns: The failures, for the HWPTs still not destroyed.
    @discardableResult
    public func reclaim(iommufd: borrowing IOMMUFD) -> [IOMMUFDError] {
        state.withLock { state in
            var failures: [IOMMUFDError] = []
            state.undestroyedHWPTs.removeAll { hwpt in
                do throws(IOMMUFDError) {
                    try iommufd.destroy(hwpt)
                    return true
                } catch {
                    failures.append(error)
                    return false
                }
            }
            return failures
        }
    }

    // MARK: - PASID

    /// Attaches one PASID of a device to an HWPT.
    ///
    /// Refused with ``IOMMUFDError/Code/incompatibleDomain`` — before the
    /// kernel's `EINVAL` — while the device's own HWPT lacks
    /// ``HWPTAllocFlags/pasid``, or when `hwpt` is one of the container's
    /// HWPTs and lacks it.
    public func attachPASID<Device: AttachableDevice & ~Copyable>(
        _ pasid: UInt32, of device: borrowing Device, to hwpt: HWPTID
    ) throws(IOMMUFDError) {
        guard let id = device.boundDeviceID else {
            throw policyError(.autodomainPASIDAttach, device.displayName, code: .invalidArgument,
                              hint: "the device must be bound and attached first")
        }
        try state.withLock { (state) throws(IOMMUFDError) in
            guard let rid = state.hwpt(of: id) else {
                throw policyError(.autodomainPASIDAttach, device.displayName, code: .invalidArgument,
                                  hint: "\(id) is not attached to an HWPT of this container")
            }
            guard rid.flags.contains(.pasid) else {
                throw policyError(
                    .autodomainPASIDAttach, device.displayName, code: .incompatibleDomain,
                    objects: [id.reference, rid.id.reference, hwpt.reference],
                    hint: "\(rid.id), the device's own page table, was allocated without IOMMU_HWPT_ALLOC_PASID "
                        + "(flags \(rid.flags)); the kernel refuses PASID attach until it has it. Attach with a "
                        + "vIOMMU that wants PASID attach on a device with a PASID width")
            }
            if let target = state.hwpts.first(where: { $0.id == hwpt }), !target.flags.contains(.pasid) {
                throw policyError(
                    .autodomainPASIDAttach, device.displayName, code: .incompatibleDomain,
                    objects: [id.reference, hwpt.reference],
                    hint: "\(hwpt) was allocated without IOMMU_HWPT_ALLOC_PASID and cannot serve a PASID")
            }
            try device.attachPASID(pasid, to: hwpt)
            state.pasids[id, default: [:]][pasid] = hwpt
            logger.debug("\(device.displayName): PASID \(pasid) attached to \(hwpt)")
        }
    }

    /// Detaches one PASID of a device attached through ``attachPASID(_:of:to:)``.
    public func detachPASID<Device: AttachableDevice & ~Copyable>(
        _ pasid: UInt32, of device: borrowing Device
    ) throws(IOMMUFDError) {
        guard let id = device.boundDeviceID else { return }
        try state.withLock { (state) throws(IOMMUFDError) in
            try device.detachPASID(pasid)
            state.pasids[id]?[pasid] = nil
            if state.pasids[id]?.isEmpty == true { state.pasids[id] = nil }
        }
    }

    // MARK: - Dirty tracking

    /// Starts or stops dirty tracking on every dirty-tracking HWPT. When one
    /// fails, those already changed are set back and the error is thrown.
    public func setDirtyTracking(_ enabled: Bool, iommufd: borrowing IOMMUFD) throws(IOMMUFDError) {
        try checkIOMMUFD(iommufd, operation: .hwptSetDirtyTracking)
        try state.withLock { (state) throws(IOMMUFDError) in
            var changed: [HWPTID] = []
            for hwpt in state.hwpts where hwpt.dirtyTracking {
                do throws(IOMMUFDError) {
                    try iommufd.setDirtyTracking(enabled, for: hwpt.id)
                    changed.append(hwpt.id)
                } catch {
                    for done in changed {
                        do throws(IOMMUFDError) {
                            try iommufd.setDirtyTracking(!enabled, for: done)
                        } catch let rollback {
                            logger.warning("rolling back dirty tracking of \(done) failed: \(rollback)")
                        }
                    }
                    throw error
                }
            }
            logger.debug("dirty tracking \(enabled ? "started" : "stopped") on \(changed.count) HWPT(s)")
        }
    }

    /// Reads the union of the dirty bitmaps of every dirty-tracking HWPT into
    /// `bitmap` (bits already set stay set).
    public func readDirtyBitmap(into bitmap: inout DirtyBitmap, iommufd: borrowing IOMMUFD, clear: Bool = true) throws(IOMMUFDError) {
        try checkIOMMUFD(iommufd, operation: .hwptGetDirtyBitmap)
        let hwpts = state.withLock { $0.hwpts.filter(\.dirtyTracking).map(\.id) }
        for hwpt in hwpts {
            try iommufd.readDirtyBitmap(of: hwpt, into: &bitmap, clear: clear)
        }
    }

    // MARK: - Helpers

    private func checkIOMMUFD(_ iommufd: borrowing IOMMUFD, operation: IOMMUFDError.Operation) throws(IOMMUFDError) {
        guard iommufd.descriptor.rawValue == iommufdDescriptor else {
            throw IOMMUFDError(
                code: .programmerError, operation: operation, objects: [ioas.reference],
                hint: "the container belongs to the iommufd on descriptor \(iommufdDescriptor), not "
                    + "\(iommufd.descriptor.rawValue)")
        }
    }

    private func policyError(
        _ operation: IOMMUFDError.Operation, _ name: String, code: IOMMUFDError.Code,
        objects: [ObjectReference] = [], hint: String
    ) -> IOMMUFDError {
        IOMMUFDError(code: code, operation: operation, objects: objects, path: name, hint: hint)
    }
}

extension IOMMUFDError.Operation {
    /// The autodomain policy's attach of a device.
    public static let autodomainAttach = IOMMUFDError.Operation("autodomain attach")
    /// The autodomain policy's attach of a device PASID.
    public static let autodomainPASIDAttach = IOMMUFDError.Operation("autodomain PASID attach")
}
