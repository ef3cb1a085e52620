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
}
