/// SMMU_IDR2 (SMMUv3 specification 6.3.3), decoded.
public struct ARMSMMUv3IDR2: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt32

    /// Decodes `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The register's field table.
    public static let layout = RegisterLayout(
        name: "idr2", title: "SMMU_IDR2", width: 32,
        fields: [F.baVatos],
        reserved: [ReservedBitRange(10...31)])

    enum F {
        static let baVatos = RegisterFieldSpec.raw(
            "ba_vatos", "BA_VATOS", bits: 0...9, display: .hex, uapi: false, "Offset of the VATOS page, in 64 KiB units")
    }

    /// BA_VATOS: offset of the VATOS page in 64 KiB units.
    public var baVatos: Int { int(F.baVatos) }
}

/// SMMU_IDR4 (SMMUv3 specification 6.3.5): entirely implementation defined.
public struct ARMSMMUv3IDR4: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt32

    /// Wraps `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The register's field table: one implementation-defined field.
    public static let layout = RegisterLayout(
        name: "idr4", title: "SMMU_IDR4", width: 32,
        fields: [
            .raw("impl_def", "IMPLEMENTATION DEFINED", bits: 0...31, display: .hex, uapi: false,
                 "Implementation-defined features"),
        ],
        reserved: [])

    /// The implementation-defined contents.
    public var implementationDefined: UInt32 { rawValue }
}

/// SMMU_IIDR (SMMUv3 specification 6.3.7), decoded.
public struct ARMSMMUv3IIDR: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt32

    /// Decodes `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The register's field table.
    public static let layout = RegisterLayout(
        name: "iidr", title: "SMMU_IIDR", width: 32,
        fields: [F.implementer, F.revision, F.variant, F.productID],
        reserved: [])

    enum F {
        static let implementer = RegisterFieldSpec.raw(
            "implementer", "Implementer", bits: 0...11, display: .hex, "JEP106 code of the implementer (0x43b: Arm)")
        static let revision = RegisterFieldSpec.raw("revision", "Revision", bits: 12...15, "Minor revision")
        static let variant = RegisterFieldSpec.raw("variant", "Variant", bits: 16...19, "Major revision")
        static let productID = RegisterFieldSpec.raw(
            "productid", "ProductID", bits: 20...31, display: .hex, "Implementation-defined product ID")
    }

    /// Implementer: JEP106 continuation code (bits 11:8) and identity code
    /// (bits 6:0); 0x43B is Arm.
    public var implementer: Int { int(F.implementer) }
    /// Revision: minor revision.
    public var revision: Int { int(F.revision) }
    /// Variant: major revision.
    public var variant: Int { int(F.variant) }
    /// ProductID: the implementer's product number.
    public var productID: Int { int(F.productID) }
}

/// SMMU_AIDR (SMMUv3 specification 6.3.8), decoded.
public struct ARMSMMUv3AIDR: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt32

    /// Decodes `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The register's field table.
    public static let layout = RegisterLayout(
        name: "aidr", title: "SMMU_AIDR", width: 32,
        fields: [F.archMinorRev, F.archMajorRev],
        reserved: [ReservedBitRange(8...31)])

    enum F {
        static let archMinorRev = RegisterFieldSpec.raw(
            "arch_minor_rev", "ArchMinorRev", bits: 0...3, "Architecture minor revision (SMMUv3.x)")
        static let archMajorRev = RegisterFieldSpec.raw(
            "arch_major_rev", "ArchMajorRev", bits: 4...7, "Architecture major revision (0 for SMMUv3)")
    }

    /// ArchMinorRev: the x of SMMUv3.x.
    public var archMinorRev: Int { int(F.archMinorRev) }
    /// ArchMajorRev: 0 for SMMUv3.
    public var archMajorRev: Int { int(F.archMajorRev) }

    /// "SMMUv3.2" for major revision 0, otherwise "major.minor".
    public var versionString: String {
        archMajorRev == 0 ? "SMMUv3.\(archMinorRev)" : "\(archMajorRev).\(archMinorRev)"
    }
}
