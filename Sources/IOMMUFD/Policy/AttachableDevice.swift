/// A device the autodomain policy can attach to page tables.
///
/// The policy needs only these operations, so any device model can plug in:
/// ``VFIODevice`` (a real VFIO device cdev) and `IOMMUFDTesting`'s
/// `KernelMockDevice` (the kernel's `CONFIG_IOMMUFD_TEST` mock device) both
/// conform.
public protocol AttachableDevice: ~Copyable {
    /// The device's ID in its iommufd; `nil` until it is bound.
    var boundDeviceID: BoundDeviceID? { get }

    /// Whether the device is mediated (an mdev): such devices have no IOMMU
    /// of their own and attach to an IOAS directly.
    var isMediated: Bool { get }

    /// A short name for messages, e.g. `vfio0 (0000:00:03.0)`.
    var displayName: String { get }

    /// Attaches the device's non-PASID part (its RID) to a page table, or
    /// replaces the one it has.
    ///
    /// - Returns: The HWPT now attached.
    func attachPageTable(_ target: some AttachTargetID) throws(IOMMUFDError) -> HWPTID

    /// Detaches the device's non-PASID part.
    func detachPageTable() throws(IOMMUFDError)

    /// Attaches (or replaces) the page table of one PASID of the device.
    func attachPASID(_ pasid: UInt32, to hwpt: HWPTID) throws(IOMMUFDError)

    /// Detaches one PASID of the device.
    func detachPASID(_ pasid: UInt32) throws(IOMMUFDError)
}

extension VFIODevice: AttachableDevice {
    /// The ID from ``bind(to:token:)``.
    @inlinable public var boundDeviceID: BoundDeviceID? { deviceID }

    /// Whether sysfs showed the device as an mdev when it was opened
    /// (``VFIODeviceLocation/isMediated``).
    @inlinable public var isMediated: Bool { location.isMediated }

    /// `vfio0 (0000:00:03.0)`.
    public var displayName: String {
        location.pciAddress.map { "\(location.name) (\($0))" } ?? location.name
    }

    /// ``attach(to:pasid:)`` without a PASID. (Inlined into the policy,
    /// which then issues the ioctl itself.)
    @inlinable @inline(__always)
    public func attachPageTable<Target: AttachTargetID>(_ target: Target) throws(IOMMUFDError) -> HWPTID {
        try attach(pageTableID: target.rawValue, kindName: Target.kindName, pasid: nil)
    }

    /// ``detach(pasid:)`` without a PASID. (Inlined into the policy.)
    @inlinable @inline(__always)
    public func detachPageTable() throws(IOMMUFDError) {
        try detach(pasid: nil)
    }

    /// ``attach(to:pasid:)`` with a PASID.
    public func attachPASID(_ pasid: UInt32, to hwpt: HWPTID) throws(IOMMUFDError) {
        _ = try attach(to: hwpt, pasid: pasid)
    }

    /// ``detach(pasid:)`` with a PASID.
    public func detachPASID(_ pasid: UInt32) throws(IOMMUFDError) {
        try detach(pasid: pasid)
    }
}

extension AttachableDevice where Self: ~Copyable {
    /// ``detachPageTable()`` as the policy's detach calls it: for a
    /// ``VFIODevice``, its own inlinable method directly, not through the
    /// witness table, so the caller's frame issues the ioctl.
    ///
    /// Through the protocol, Swift 6.3's optimizer reaches a throwing
    /// requirement that has no generic parameter, of a type from another
    /// module, only through the witness table, even when the conforming type
    /// is known and the witness is inlinable (a generic requirement such as
    /// ``attachPageTable(_:)`` is inlined): one call and a frame more on
    /// every detach (Docs/Benchmarks.md, fix 22). The type test is resolved
    /// at compile time; other devices use the requirement.
    @inlinable @inline(__always)
    func detachPageTableDirectly() throws(IOMMUFDError) {
        if Self.self == VFIODevice.self {
            try withUnsafePointer(to: self) { (device) throws(IOMMUFDError) in
                try UnsafeRawPointer(device).assumingMemoryBound(to: VFIODevice.self).pointee.detach(pasid: nil)
            }
        } else {
            try detachPageTable()
        }
    }
}
