public import CIOMMUFD   // HWPT allocation is inlinable

/// Flags of `IOMMU_HWPT_ALLOC` (`enum iommufd_hwpt_alloc_flags`).
public struct HWPTAllocFlags: FlagSet {
    /// The bits as the kernel reads them.
    public let rawValue: UInt32
    /// Wraps raw bits.
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `IOMMU_HWPT_ALLOC_NEST_PARENT`: the HWPT can be the stage-2 parent of
    /// nested HWPTs and vIOMMUs. Linux 6.7.
    @inlinable public static var nestParent: HWPTAllocFlags {
        HWPTAllocFlags(rawValue: UInt32(IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue))
    }
    /// `IOMMU_HWPT_ALLOC_DIRTY_TRACKING`: the HWPT tracks dirty pages; only
    /// devices whose IOMMU can do so may attach. Linux 6.7.
    @inlinable public static var dirtyTracking: HWPTAllocFlags {
        HWPTAllocFlags(rawValue: UInt32(IOMMU_HWPT_ALLOC_DIRTY_TRACKING.rawValue))
    }
    /// `IOMMU_HWPT_FAULT_ID_VALID`: the allocation names a fault queue. Set by
    /// ``IOMMUFD/allocateHWPT(for:on:flags:data:faultQueue:)`` itself when a
    /// fault queue is given. Linux 6.11.
    @inlinable public static var faultIDValid: HWPTAllocFlags {
        HWPTAllocFlags(rawValue: UInt32(IOMMU_HWPT_FAULT_ID_VALID.rawValue))
    }
    /// `IOMMU_HWPT_ALLOC_PASID`: the HWPT can be attached to PASIDs; the page
    /// table on a device's non-PASID part (its RID) must carry it too before
    /// any PASID of the device can be attached. Linux 6.15.
    @inlinable public static var pasid: HWPTAllocFlags {
        HWPTAllocFlags(rawValue: UInt32(IOMMU_HWPT_ALLOC_PASID.rawValue))
    }

    /// Every defined flag with its name.
    public static let namedFlags: [(flag: HWPTAllocFlags, name: String)] = [
        (.nestParent, "nestParent"), (.dirtyTracking, "dirtyTracking"),
        (.faultIDValid, "faultIDValid"), (.pasid, "pasid"),
    ]

    /// Whether bits no named flag covers are set: the ``undefinedBits``
    /// check of the hot path, a constant mask.
    @inlinable var hasUndefinedBits: Bool {
        rawValue & ~UInt32(IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue | IOMMU_HWPT_ALLOC_DIRTY_TRACKING.rawValue
                           | IOMMU_HWPT_FAULT_ID_VALID.rawValue | IOMMU_HWPT_ALLOC_PASID.rawValue) != 0
    }

    /// The kernel's name of a single flag, e.g. `IOMMU_HWPT_ALLOC_PASID`.
    public var kernelName: String? {
        switch self {
        case .nestParent: "IOMMU_HWPT_ALLOC_NEST_PARENT"
        case .dirtyTracking: "IOMMU_HWPT_ALLOC_DIRTY_TRACKING"
        case .faultIDValid: "IOMMU_HWPT_FAULT_ID_VALID"
        case .pasid: "IOMMU_HWPT_ALLOC_PASID"
        default: nil
        }
    }

    /// The first Linux release whose iommufd accepts this single flag.
    public var introducedIn: KernelRelease? {
        switch self {
        case .nestParent, .dirtyTracking: KernelRelease(6, 7)
        case .faultIDValid: KernelRelease(6, 11)
        case .pasid: KernelRelease(6, 15)
        default: nil
        }
    }
}

/// What a new HWPT is built on (`iommu_hwpt_alloc.pt_id`).
public enum HWPTParent: Sendable, Hashable, CustomStringConvertible {
    /// A paging HWPT over the mappings of an IOAS.
    case ioas(IOASID)
    /// A nested (stage-1) HWPT over a nesting-parent HWPT.
    case nestingParent(HWPTID)
    /// A nested HWPT over a vIOMMU (Linux 6.13).
    case viommu(VIOMMUID)

    /// The raw object ID.
    @inlinable public var rawID: UInt32 {
        switch self {
        case .ioas(let id): id.rawValue
        case .nestingParent(let id): id.rawValue
        case .viommu(let id): id.rawValue
        }
    }

    /// The parent as a kind-tagged reference.
    public var reference: ObjectReference {
        switch self {
        case .ioas(let id): id.reference
        case .nestingParent(let id): id.reference
        case .viommu(let id): id.reference
        }
    }

    /// `"IOAS 1"`.
    public var description: String { reference.description }
}
