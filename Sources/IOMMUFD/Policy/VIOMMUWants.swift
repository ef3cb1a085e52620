/// What the guest's virtual IOMMU needs from the host page tables (QEMU's
/// `enum viommu_flags`): set by the VMM from its vIOMMU configuration, never
/// from host capabilities.
public struct VIOMMUWants: FlagSet {
    /// The bits.
    public let rawValue: UInt64
    /// Wraps raw bits.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The vIOMMU builds nested (stage-1) page tables on a host nesting
    /// parent (`VIOMMU_FLAG_WANT_NESTING_PARENT`): accelerated SMMUv3, VT-d
    /// with first-stage translation passed through.
    public static let nestingParent = VIOMMUWants(rawValue: 1 << 0)
    /// The vIOMMU exposes PASIDs to the guest (`VIOMMU_FLAG_PASID_SUPPORTED`).
    public static let pasidSupported = VIOMMUWants(rawValue: 1 << 1)
    /// The vIOMMU attaches guest PASIDs to host page tables, so the device's
    /// own (RID) page table must be PASID-capable (`VIOMMU_FLAG_WANT_PASID_ATTACH`).
    /// Only the Intel VT-d vIOMMU does this; ARM SMMUv3 handles PASIDs in its
    /// guest context descriptors instead.
    public static let pasidAttach = VIOMMUWants(rawValue: 1 << 2)

    /// Every defined flag with its name.
    public static let namedFlags: [(flag: VIOMMUWants, name: String)] = [
        (.nestingParent, "nestingParent"), (.pasidSupported, "pasidSupported"), (.pasidAttach, "pasidAttach"),
    ]
}

/// The vIOMMU configurations `iommufd-info` and the tests compare.
public struct VIOMMUProfile: Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier, e.g. `intel-vtd-pasid`.
    public var identifier: String
    /// A human name.
    public var name: String
    /// What it wants from the host.
    public var wants: VIOMMUWants

    /// Creates a profile.
    public init(identifier: String, name: String, wants: VIOMMUWants) {
        self.identifier = identifier
        self.name = name
        self.wants = wants
    }

    /// The name.
    public var description: String { name }

    /// No vIOMMU: the guest sees untranslated DMA.
    public static let none = VIOMMUProfile(identifier: "none", name: "no vIOMMU", wants: [])
    /// QEMU's emulated Intel VT-d without PASID support.
    public static let intelVTd = VIOMMUProfile(identifier: "intel-vtd", name: "Intel VT-d", wants: [])
    /// QEMU's Intel VT-d with passthrough first-stage translation (`x-flts`/`fsts`) and
    /// PASID support (`pasid-bits` > 0): nesting parent plus PASID attach.
    public static let intelVTdWithPASID = VIOMMUProfile(
        identifier: "intel-vtd-pasid", name: "Intel VT-d with PASID",
        wants: [.nestingParent, .pasidSupported, .pasidAttach])
    /// QEMU's accelerated ARM SMMUv3 (nested translation); it never asks for PASID attach.
    public static let armSMMUv3Nested = VIOMMUProfile(
        identifier: "arm-smmuv3-nested", name: "ARM SMMUv3 (nested)", wants: [.nestingParent])

    /// The profiles `iommufd-info show` evaluates, in order.
    public static let standard: [VIOMMUProfile] = [.none, .intelVTd, .intelVTdWithPASID, .armSMMUv3Nested]
}
