import Logging
public import SystemPackage   // attach is inlinable
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension AutodomainPolicy {
    /// Attaches a bound device following the autodomain rules (see
    /// ``AutodomainContainer`` for the rules).
    ///
    /// - Parameters:
    ///   - device: A device bound to `iommufd` and not yet attached through
    ///     this policy.
    ///   - iommufd: The iommufd the policy was made for.
    ///   - wants: What the guest's vIOMMU needs.
    ///   - savedHWPT: For a live-update (CPR) incoming device, the HWPT ID it
    ///     was attached to before; `nil` otherwise.
    /// - Returns: The decision and its explanation.
    /// - Throws: ``IOMMUFDError``; nothing is left allocated and the policy is
    ///   unchanged.
    @inlinable @inline(__always) @discardableResult
    public mutating func attach<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, iommufd: borrowing IOMMUFD, wants: VIOMMUWants, savedHWPT: HWPTID? = nil
    ) throws(IOMMUFDError) -> AttachDecision {
        // Always inlined, as detach is: the caller's optimizer then sees the
        // common path whole, keeps the policy in place and drops the
        // decision's empty details with a single release (Docs/Benchmarks.md,
        // 19).
        try attachDevice(device, iommufd: iommufd, wants: wants, savedHWPT: savedHWPT)
    }

    /// The body of the `attach` methods of ``AutodomainPolicy`` and
    /// ``AutodomainContainer``. The common case — the newest HWPT
    /// accepts the device (rule 2's first try) — is handled here with one
    /// ioctl and nothing else that calls out of line; every other case is
    /// ``attachBeyondFirstTry(_:id:iommufd:wants:savedHWPT:rejectedNewest:)``.
    @inlinable @inline(__always)
    mutating func attachDevice<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, iommufd: borrowing IOMMUFD, wants: VIOMMUWants, savedHWPT: HWPTID?
    ) throws(IOMMUFDError) -> AttachDecision {
        try checkIOMMUFD(iommufd, operation: .autodomainAttach)
        guard let id = device.boundDeviceID else { throw Self.notBound(device, operation: .autodomainAttach) }
        if state.isAttached(id) { throw Self.alreadyAttached(device, id) }
        var rejectedNewest: AttachDecision.Rejection? = nil
        // Rule 2's first try, inline (the loop in attachBeyondFirstTry is the
        // same rule for the older HWPTs; change them together).
        if savedHWPT == nil, !device.isMediated, let newest = state.hwpts.first {
            do throws(IOMMUFDError) {
                _ = try device.attachPageTable(newest.id)
                state.devices.append(id, on: newest.id)
                let decision = AttachDecision(device: id, reused: newest.id, flags: newest.flags, wants: wants)
                if debugLogging { Self.log(decision, of: device, to: logger) }
                return decision
            } catch where error.errno == .invalidArgument {
                rejectedNewest = AttachDecision.Rejection(hwpt: newest.id, error: error)
            }
        }
        let decision = try attachBeyondFirstTry(device, id: id, iommufd: iommufd, wants: wants,
                                                savedHWPT: savedHWPT, rejectedNewest: rejectedNewest)
        if debugLogging { Self.log(decision, of: device, to: logger) }
        return decision
    }

    /// The bookkeeping of one attach: the facts its decision is explained
    /// from, gathered without building any text (the explanation is rendered
    /// only when someone reads it).
    struct Attempt {
        var device: BoundDeviceID
        var wants: VIOMMUWants
        var liveUpdate: Bool
        var ioctls = 0
        var rejections: [AttachDecision.Rejection] = []
    }

    /// Every attach but a reuse of the newest HWPT on the first try;
    /// `rejectedNewest` is that first try when the newest HWPT refused the
    /// device.
    @usableFromInline @inline(never)
    mutating func attachBeyondFirstTry<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, id: BoundDeviceID, iommufd: borrowing IOMMUFD, wants: VIOMMUWants,
        savedHWPT: HWPTID?, rejectedNewest: AttachDecision.Rejection?
    ) throws(IOMMUFDError) -> AttachDecision {
        var attempt = Attempt(device: id, wants: wants, liveUpdate: savedHWPT != nil)
        if let rejectedNewest {
            attempt.ioctls = 1
            attempt.rejections = [rejectedNewest]
        }
        // Rule 1: mediated devices have no IOMMU of their own.
        if device.isMediated {
            if savedHWPT == nil {
                attempt.ioctls += 1
                _ = try device.attachPageTable(ioas)
            }
            state.ioasDevices.insert(id, at: 0)
            return AttachDecision(attempt, outcome: .attachedToIOAS(ioas), flags: [])
        }

        // Rules 2, 3 and 6: the existing HWPTs, newest first (after the
        // newest, if it refused the device already: attachDevice tries it
        // inline, the same way; change them together).
        for index in state.hwpts.indices.dropFirst(rejectedNewest == nil ? 0 : 1) {
            let hwpt = state.hwpts[index].id, flags = state.hwpts[index].flags
            if let savedHWPT {
                guard hwpt == savedHWPT else { continue }
                state.devices.append(id, on: hwpt)
                return AttachDecision(attempt, outcome: .resumed(hwpt), flags: flags)
            }
            attempt.ioctls += 1
            do throws(IOMMUFDError) {
                _ = try device.attachPageTable(hwpt)
            } catch where error.errno == Errno(rawValue: EINVAL) {
                attempt.rejections.append(AttachDecision.Rejection(hwpt: hwpt, error: error))
                continue
            }
            state.devices.append(id, on: hwpt)
            return AttachDecision(attempt, outcome: .reused(hwpt), flags: flags)
        }

        // Rule 4: a new HWPT; its flags come from the hardware information.
        attempt.ioctls += 1
        let info = try iommufd.hardwareInfo(for: id)
        var flags = AutodomainRules.flags(for: info, wants: wants)
        // Rule 5.
        let bypassReadOnly = AutodomainRules.bypassesReadOnly(info: info, flags: flags)

        let hwpt: HWPTID
        var dropped = false
        if let savedHWPT {
            // Rule 6: record what the previous process allocated.
            hwpt = savedHWPT
        } else {
            // Rule 7.
            do throws(IOMMUFDError) {
                attempt.ioctls += 1
                hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: flags)
            } catch where options.retryWithoutDirtyTracking && flags.contains(.dirtyTracking)
                && error.errno == Errno(rawValue: EOPNOTSUPP) {
                flags.remove(.dirtyTracking)
                dropped = true
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
        }

        // Rule 9.
        state.hwpts.insert(AutodomainContainer.HWPTRecord(id: hwpt, flags: flags), at: 0)
        state.devices.append(id, on: hwpt)
        let deviceDirty = flags.contains(.dirtyTracking)
        state.dirtyPagesSupported = state.dirtyPagesSupported || deviceDirty
        state.bypassReadOnly = state.bypassReadOnly || bypassReadOnly
        let lacksDirtyTracking = state.dirtyPagesSupported && !deviceDirty
        if lacksDirtyTracking {
            logger.warning("the IOMMU of \(device.displayName) does not support dirty tracking")
        }
        return AttachDecision(attempt, outcome: savedHWPT == nil ? .allocated(hwpt) : .recordedSaved(hwpt),
                              flags: flags, hardwareInfo: info, bypassReadOnly: bypassReadOnly,
                              droppedDirtyTracking: dropped, lacksContainerDirtyTracking: lacksDirtyTracking)
    }
}
