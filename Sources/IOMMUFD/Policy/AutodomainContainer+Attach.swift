import Logging
import SystemPackage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension AutodomainContainer {
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
    struct Attempt {
        var device: BoundDeviceID
        var cpr: Bool
        var ioctls = 0
        var reasons: [String] = []
        var rejections: [AttachDecision.Rejection] = []
    }

    func attachLocked<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, id: BoundDeviceID, iommufd: borrowing IOMMUFD, wants: VIOMMUWants,
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

    func decision(
        _ attempt: Attempt, outcome: AttachDecision.Outcome, flags: HWPTAllocFlags, info: HardwareInfo?
    ) -> AttachDecision {
        AttachDecision(
            device: attempt.device, outcome: outcome, flags: flags, dirtyTracking: flags.contains(.dirtyTracking),
            rejections: attempt.rejections, hardwareInfo: info, droppedDirtyTracking: false,
            reasons: attempt.reasons, ioctlCount: attempt.ioctls)
    }
}
