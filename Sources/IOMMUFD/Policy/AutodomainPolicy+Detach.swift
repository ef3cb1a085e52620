public import Logging   // the inlinable detach logs through its Logger
import SystemPackage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension AutodomainContainer {
    /// What `detach(_:iommufd:)` did.
    public struct DetachOutcome: Sendable, Hashable {
        /// The HWPT the device left, if it was on one.
        public var leftHWPT: HWPTID?
        /// Whether that HWPT was destroyed (the device was the last one on it).
        public var destroyedHWPT: Bool
        /// Failures that were logged instead of thrown.
        public var loggedFailures: [IOMMUFDError] {
            @inlinable get { failureStorage ?? [] }
            @inlinable set { failureStorage = newValue.isEmpty ? nil : newValue }
        }
        /// The number of ioctls issued.
        public var ioctlCount: Int
        /// The failures; `nil`, not an empty array, when there are none, so
        /// that dropping the common outcome releases no object at all (the
        /// empty array is a shared object whose release the runtime must
        /// check).
        @usableFromInline var failureStorage: [IOMMUFDError]?

        /// Nothing done yet. (Inlinable, as is the policy's detach.)
        @inlinable init() {
            leftHWPT = nil
            destroyedHWPT = false
            failureStorage = nil
            ioctlCount = 0
        }

        /// Adds a failure (out of line: failures are rare).
        @usableFromInline @inline(never)
        mutating func record(_ failure: IOMMUFDError) {
            if failureStorage == nil { failureStorage = [failure] } else { failureStorage!.append(failure) }
        }
    }
}

extension AutodomainPolicy {
    @usableFromInline typealias DetachOutcome = AutodomainContainer.DetachOutcome

    /// Detaches a device: PASIDs attached through the policy first, then the
    /// device (failures are logged, not thrown); the last device out destroys
    /// its HWPT.
    @inlinable @inline(__always) @discardableResult
    public mutating func detach<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, iommufd: borrowing IOMMUFD
    ) -> AutodomainContainer.DetachOutcome {
        detachDevice(device, iommufd: iommufd)
    }

    /// The body of the `detach` methods of ``AutodomainPolicy`` and
    /// ``AutodomainContainer``; the common case (no PASIDs, other devices left
    /// on the HWPT, no failure) makes nothing but the ioctl.
    @inlinable @inline(__always)
    mutating func detachDevice<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, iommufd: borrowing IOMMUFD
    ) -> DetachOutcome {
        var outcome = DetachOutcome()
        guard let id = device.boundDeviceID else { return outcome }
        if !state.pasids.isEmpty { detachPASIDs(of: device, id: id, outcome: &outcome) }
        outcome.ioctlCount += 1
        do throws(IOMMUFDError) { try device.detachPageTableDirectly() } catch { outcome.record(error) }

        if let hwpt = state.devices.remove(id) {
            outcome.leftHWPT = hwpt
            if !state.devices.isUsed(hwpt) { destroyUnused(hwpt, iommufd: iommufd, outcome: &outcome) }
        } else if !state.ioasDevices.isEmpty, let index = state.ioasDevices.firstIndex(of: id) {
            state.ioasDevices.remove(at: index)
        }
        if debugLogging || outcome.failureStorage != nil {
            Self.log(outcome, of: device, to: logger, debug: debugLogging)
        }
        return outcome
    }

    /// Detaches the PASIDs of a device attached through the policy.
    @usableFromInline @inline(never)
    mutating func detachPASIDs<Device: AttachableDevice & ~Copyable>(
        of device: borrowing Device, id: BoundDeviceID, outcome: inout DetachOutcome
    ) {
        guard let pasids = state.pasids.removeValue(forKey: id) else { return }
        for pasid in pasids.keys.sorted() {
            outcome.ioctlCount += 1
            do throws(IOMMUFDError) { try device.detachPASID(pasid) } catch { outcome.record(error) }
        }
    }

    /// The last device left an HWPT: forget it and destroy it (a failure is
    /// logged and the HWPT kept for ``reclaim(iommufd:)``).
    @usableFromInline @inline(never)
    mutating func destroyUnused(_ hwpt: HWPTID, iommufd: borrowing IOMMUFD, outcome: inout DetachOutcome) {
        state.hwpts.removeAll { $0.id == hwpt }
        outcome.ioctlCount += 1
        do throws(IOMMUFDError) {
            try iommufd.destroy(hwpt)
            outcome.destroyedHWPT = true
        } catch {
            outcome.record(error)
            state.undestroyedHWPTs.append(hwpt)
        }
    }

    /// Logs a detach: its failures as warnings, and at debug level what it did.
    @usableFromInline @inline(never)
    static func log<Device: AttachableDevice & ~Copyable>(
        _ outcome: DetachOutcome, of device: borrowing Device, to logger: Logger, debug: Bool
    ) {
        for failure in outcome.loggedFailures {
            logger.warning("\(device.displayName): \(failure)")
        }
        if debug {
            logger.debug("""
                \(device.displayName): detached\(outcome.leftHWPT.map { " from \($0)" } ?? "")\
                \(outcome.destroyedHWPT ? ", destroyed it (last device)" : "")
                """)
        }
    }

    /// Retries destroying the HWPTs a detach could not destroy (see
    /// ``AutodomainContainer/Snapshot/undestroyedHWPTs``), for example after a
    /// failed detach was retried by hand. QEMU forgets such HWPTs; the policy
    /// keeps them so nothing leaks until the iommufd closes.
    ///
    /// - Returns: The failures, for the HWPTs still not destroyed.
    @discardableResult
    public mutating func reclaim(iommufd: borrowing IOMMUFD) -> [IOMMUFDError] {
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
