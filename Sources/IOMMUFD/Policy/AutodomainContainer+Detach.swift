import Logging
import SystemPackage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension AutodomainContainer {
    /// What ``detach(_:iommufd:)`` did.
    public struct DetachOutcome: Sendable, Hashable {
        /// The HWPT the device left, if it was on one.
        public var leftHWPT: HWPTID? = nil
        /// Whether that HWPT was destroyed (the device was the last one on it).
        public var destroyedHWPT = false
        /// Failures that were logged instead of thrown.
        public var loggedFailures: [IOMMUFDError] = []
        /// The number of ioctls issued.
        public var ioctlCount = 0
    }

    /// Detaches a device: PASIDs attached through the container first, then
    /// the device (failures are logged, not thrown); the last device out
    /// destroys its HWPT.
    @discardableResult
    public func detach<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, iommufd: borrowing IOMMUFD
    ) -> DetachOutcome {
        guard let id = device.boundDeviceID else {
            return DetachOutcome()
        }
        return state.withLock { state -> DetachOutcome in
            var outcome = DetachOutcome()
            if !state.pasids.isEmpty, let pasids = state.pasids.removeValue(forKey: id) {
                for pasid in pasids.keys.sorted() {
                    outcome.ioctlCount += 1
                    do throws(IOMMUFDError) { try device.detachPASID(pasid) } catch { outcome.loggedFailures.append(error) }
                }
            }
            outcome.ioctlCount += 1
            do throws(IOMMUFDError) { try device.detachPageTable() } catch { outcome.loggedFailures.append(error) }

            if let index = state.ioasDevices.firstIndex(of: id) {
                state.ioasDevices.remove(at: index)
            } else if let index = state.hwptIndex(of: id) {
                let hwpt = state.hwpts[index].id
                outcome.leftHWPT = hwpt
                state.hwpts[index].remove(id)
                if state.hwpts[index].attachOrder.isEmpty {
                    state.hwpts.remove(at: index)
                    outcome.ioctlCount += 1
                    do throws(IOMMUFDError) {
                        try iommufd.destroy(hwpt)
                        outcome.destroyedHWPT = true
                    } catch {
                        outcome.loggedFailures.append(error)
                        state.undestroyedHWPTs.append(hwpt)
                    }
                }
            }
            for failure in outcome.loggedFailures {
                logger.warning("\(device.displayName): \(failure)")
            }
            if debugLogging {
                logger.debug("""
                    \(device.displayName): detached\(outcome.leftHWPT.map { " from \($0)" } ?? "")\
                    \(outcome.destroyedHWPT ? ", destroyed it (last device)" : "")
                    """)
            }
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
}
