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
            if state.ioasDevices.contains(id) || state.hwptIndex(of: id) != nil {
                throw policyError(.autodomainAttach, device.displayName, code: .invalidArgument,
                                  hint: "\(id) is already attached through this container; detach it first")
            }
            // Made here and passed in: made inside attachLocked it costs ~30
            // more instructions per attach (callgrind, policy_attach_reuse).
            var attempt = Attempt(device: id, wants: wants, liveUpdate: savedHWPT != nil)
            let decision = try attachLocked(device, id: id, iommufd: iommufd, wants: wants, savedHWPT: savedHWPT,
                                            state: &state, attempt: &attempt)
            if debugLogging {
                logger.debug("\(device.displayName): \(decision.description)",
                             metadata: ["device": "\(id.rawValue)", "ioctls": "\(decision.ioctlCount)"])
            }
            return decision
        }
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

    @inline(__always)   // its only caller is attach's locked closure
    func attachLocked<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, id: BoundDeviceID, iommufd: borrowing IOMMUFD, wants: VIOMMUWants,
        savedHWPT: HWPTID?, state: inout Snapshot, attempt: inout Attempt
    ) throws(IOMMUFDError) -> AttachDecision {
        // Rule 1: mediated devices have no IOMMU of their own.
        if device.isMediated {
            if savedHWPT == nil {
                attempt.ioctls += 1
                _ = try device.attachPageTable(ioas)
            }
            state.ioasDevices.insert(id, at: 0)
            return AttachDecision(attempt, outcome: .attachedToIOAS(ioas), flags: [])
        }

        // Rules 2, 3 and 6: the existing HWPTs, newest first. (By index, holding
        // no copy of an entry, so adding the device mutates the list in place.)
        for index in state.hwpts.indices {
            let hwpt = state.hwpts[index].id, flags = state.hwpts[index].flags
            if let savedHWPT {
                guard hwpt == savedHWPT else { continue }
                state.hwpts[index].attachOrder.append(id)
                return AttachDecision(attempt, outcome: .resumed(hwpt), flags: flags)
            }
            attempt.ioctls += 1
            do throws(IOMMUFDError) {
                _ = try device.attachPageTable(hwpt)
            } catch where error.errno == Errno(rawValue: EINVAL) {
                attempt.rejections.append(AttachDecision.Rejection(hwpt: hwpt, error: error))
                continue
            }
            state.hwpts[index].attachOrder.append(id)
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
        state.hwpts.insert(ManagedHWPT(id: hwpt, flags: flags, attachOrder: [id]), at: 0)
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
