/// The AMD IOMMU Extended Feature 2 Register (EFR2, MMIO offset 0x1A0),
/// decoded.
///
/// Only the fields the Linux amd-iommu driver names are decoded; every
/// other set bit is reported as undefined. None of these fields is on the
/// UAPI's VMM-allowed list.
public struct AMDExtendedFeatures2: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt64

    /// Decodes `rawValue`.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The register's field table.
    public static let layout = RegisterLayout(
        name: "efr2", title: "Extended Feature 2 Register (EFR2)", width: 64,
        fields: [F.sevsnpioSup, F.gcr3trpmode, F.snpavicsup, F.numIntRemapSup, F.htRangeIgnore],
        reserved: [
            ReservedBitRange(0...0, "not named by Linux"), ReservedBitRange(2...2, "not named by Linux"),
            ReservedBitRange(4...4, "not named by Linux"), ReservedBitRange(10...10, "not named by Linux"),
            ReservedBitRange(12...63, "not named by Linux"),
        ])

    enum F {
        static let sevsnpioSup = RegisterFieldSpec.flag(
            "sevsnpio_sup", "SEVSNPIOSup", bit: 1, uapi: false, "SEV-SNP trusted I/O (SEV-TIO)")
        static let gcr3trpmode = RegisterFieldSpec.flag(
            "gcr3trpmode", "GCR3TRPMode", bit: 3, uapi: false, "GCR3 table root pointer holds a guest physical address")
        static let snpavicsup = RegisterFieldSpec.raw(
            "snpavicsup", "SNPAVICSup", bits: 5...7,
            display: .names(["none", "guest virtual APIC mode", "", "", "", "", "", ""]), uapi: false,
            "Interrupt virtualization with SEV-SNP")
        static let numIntRemapSup = RegisterFieldSpec.raw(
            "num_int_remap_sup", "NumIntRemapSup", bits: 8...9,
            display: .names(["512 entries", "2048 entries", "", ""]), uapi: false,
            "Interrupt remapping table size")
        static let htRangeIgnore = RegisterFieldSpec.flag(
            "ht_range_ignore", "HTRangeIgnore", bit: 11, uapi: false, "HyperTransport address range is not reserved")
    }

    /// SEVSNPIOSup: SEV-SNP trusted I/O.
    public var sevsnpioSup: Bool { flag(F.sevsnpioSup) }
    /// GCR3TRPMode: GCR3 table root pointers are guest physical addresses.
    public var gcr3trpmode: Bool { flag(F.gcr3trpmode) }
    /// SNPAVICSup: 1 when guest virtual APIC mode works with SEV-SNP.
    public var snpavicsup: Int { int(F.snpavicsup) }
    /// NumIntRemapSup: 0 for 512-entry, 1 for 2048-entry remapping tables.
    public var numIntRemapSup: Int { int(F.numIntRemapSup) }
    /// HTRangeIgnore: the HyperTransport range need not be reserved.
    public var htRangeIgnore: Bool { flag(F.htRangeIgnore) }

    /// The set bits that belong to no field.
    public var reservedBitsSet: UInt64 { Self.layout.undefinedBits(in: rawValue) }
}
