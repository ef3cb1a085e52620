public import Synchronization   // attach and detach are inlinable

/// The container's operations: each takes the lock and runs the same body as
/// ``AutodomainPolicy``'s.
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
    @inlinable @inline(__always) @discardableResult
    public func attach<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, iommufd: borrowing IOMMUFD, wants: VIOMMUWants, savedHWPT: HWPTID? = nil
    ) throws(IOMMUFDError) -> AttachDecision {
        try policy.withLock { (policy) throws(IOMMUFDError) -> AttachDecision in
            try policy.attachDevice(device, iommufd: iommufd, wants: wants, savedHWPT: savedHWPT)
        }
    }

    /// Detaches a device: PASIDs attached through the container first, then
    /// the device (failures are logged, not thrown); the last device out
    /// destroys its HWPT.
    @inlinable @inline(__always) @discardableResult
    public func detach<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, iommufd: borrowing IOMMUFD
    ) -> DetachOutcome {
        // Always inlined, as attach is, and the locked body an always-inlined
        // local function rather than a closure: only so does the caller's
        // optimizer inline it into the lock for every device type (for
        // VFIODevice it left a closure in any shape as a call;
        // Docs/Benchmarks.md, 19).
        @inline(__always) func detachLocked(_ policy: inout sending AutodomainPolicy) -> sending DetachOutcome {
            policy.detachDevice(device, iommufd: iommufd)
        }
        return policy.withLock(detachLocked)
    }

    /// Attaches one PASID of a device to an HWPT.
    ///
    /// Refused with ``IOMMUFDError/Code/incompatibleDomain`` — before the
    /// kernel's `EINVAL` — while the device's own HWPT lacks
    /// ``HWPTAllocFlags/pasid``, or when `hwpt` is one of the container's
    /// HWPTs and lacks it.
    public func attachPASID<Device: AttachableDevice & ~Copyable>(
        _ pasid: UInt32, of device: borrowing Device, to hwpt: HWPTID
    ) throws(IOMMUFDError) {
        try policy.withLock { (policy) throws(IOMMUFDError) in try policy.attachPASID(pasid, of: device, to: hwpt) }
    }

    /// Detaches one PASID of a device attached through ``attachPASID(_:of:to:)``.
    public func detachPASID<Device: AttachableDevice & ~Copyable>(
        _ pasid: UInt32, of device: borrowing Device
    ) throws(IOMMUFDError) {
        try policy.withLock { (policy) throws(IOMMUFDError) in try policy.detachPASID(pasid, of: device) }
    }

    /// Starts or stops dirty tracking on every dirty-tracking HWPT. When one
    /// fails, those already changed are set back and the error is thrown.
    public func setDirtyTracking(_ enabled: Bool, iommufd: borrowing IOMMUFD) throws(IOMMUFDError) {
        try policy.withLock { (policy) throws(IOMMUFDError) in try policy.setDirtyTracking(enabled, iommufd: iommufd) }
    }

    /// Reads the union of the dirty bitmaps of every dirty-tracking HWPT into
    /// `bitmap` (bits already set stay set). The lock is held only to list
    /// the HWPTs.
    public func readDirtyBitmap(into bitmap: inout DirtyBitmap, iommufd: borrowing IOMMUFD, clear: Bool = true) throws(IOMMUFDError) {
        let hwpts = try policy.withLock { (policy) throws(IOMMUFDError) -> [HWPTID] in
            try policy.checkIOMMUFD(iommufd, operation: .hwptGetDirtyBitmap)
            return policy.dirtyTrackingHWPTs
        }
        try AutodomainPolicy.readDirtyBitmaps(of: hwpts, into: &bitmap, iommufd: iommufd, clear: clear)
    }

    /// Retries destroying the HWPTs a detach could not destroy (see
    /// ``Snapshot/undestroyedHWPTs``), for example after a failed detach was
    /// retried by hand. QEMU forgets such HWPTs; the container keeps them so
    /// nothing leaks until the iommufd closes.
    ///
    /// - Returns: The failures, for the HWPTs still not destroyed.
    @discardableResult
    public func reclaim(iommufd: borrowing IOMMUFD) -> [IOMMUFDError] {
        policy.withLock { $0.reclaim(iommufd: iommufd) }
    }
}
