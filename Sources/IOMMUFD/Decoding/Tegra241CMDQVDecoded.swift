/// The NVIDIA Tegra241 CMDQV information `IOMMU_GET_HW_INFO` returns
/// (`struct iommu_hw_info_tegra241_cmdqv`), decoded.
///
/// The three bytes mirror 4-bit fields of the CMDQV PARAM register, so each
/// byte's upper nibble is reported as reserved when set. For the field list
/// and JSON the bytes are packed into one 24-bit value, `version` in bits
/// 7:0, `log2vcmdqs` in 15:8 and `log2vsids` in 23:16 (their order in the
/// UAPI structure).
public struct Tegra241CMDQVDecoded: DecodedIOMMURegisters, Hashable {
    /// The CMDQV hardware version (PARAM bits 3:0).
    public let version: UInt8
    /// Log2 of the number of VCMDQs of one virtual interface (PARAM bits 7:4
    /// of the VMM's emulated PARAM register).
    public let log2VCMDQs: UInt8
    /// Log2 of the number of StreamID replacements of one virtual interface
    /// (PARAM bits 15:12).
    public let log2VSIDs: UInt8

    /// Decodes `struct iommu_hw_info_tegra241_cmdqv`.
    public init(version: UInt8, log2VCMDQs: UInt8, log2VSIDs: UInt8) {
        self.version = version
        self.log2VCMDQs = log2VCMDQs
        self.log2VSIDs = log2VSIDs
    }

    /// The field table of the packed bytes.
    public static let layout = RegisterLayout(
        name: "cmdqv", title: "iommu_hw_info_tegra241_cmdqv (version, log2vcmdqs, log2vsids)", width: 24,
        fields: [
            .raw("version", "CMDQV_VER", bits: 0...3, "CMDQ-V hardware version (PARAM[3:0])"),
            .raw("log2vcmdqs", "NUM_VCMDQ_LOG2", bits: 8...11, display: .log2("VCMDQs"),
                 "VCMDQs per virtual interface (PARAM[7:4])"),
            .raw("log2vsids", "NUM_SID_PER_VM_LOG2", bits: 16...19, display: .log2("SIDs"),
                 "StreamID replacements per virtual interface (PARAM[15:12])"),
        ],
        reserved: [
            ReservedBitRange(4...7, "beyond PARAM field width"), ReservedBitRange(12...15, "beyond PARAM field width"),
            ReservedBitRange(20...23, "beyond PARAM field width"),
        ])

    /// The three bytes packed as described above.
    public var packed: UInt64 {
        UInt64(version) | UInt64(log2VCMDQs) << 8 | UInt64(log2VSIDs) << 16
    }

    /// The number of VCMDQs (2^log2VCMDQs, saturating).
    public var vcmdqs: UInt64 { RegisterFieldTransform.powerOfTwo(base: 0, step: 1).apply(UInt64(log2VCMDQs)) }
    /// The number of StreamID replacements (2^log2VSIDs, saturating).
    public var vsids: UInt64 { RegisterFieldTransform.powerOfTwo(base: 0, step: 1).apply(UInt64(log2VSIDs)) }

    /// The global PARAM register a VMM emulates from these values: version
    /// in 3:0, log2 VCMDQs in 7:4, log2 VINTFs = 0 in 11:8 (one virtual
    /// interface per VM), log2 SIDs in 15:12. Each value is truncated to its
    /// four bits.
    public var param: UInt32 {
        UInt32(version & 0xf) | UInt32(log2VCMDQs & 0xf) << 4 | UInt32(log2VSIDs & 0xf) << 12
    }

    /// `"tegra241-cmdqv"`.
    public var typeName: String { "tegra241-cmdqv" }
    /// The title line of the text form.
    public var title: String { "NVIDIA Tegra241 CMDQV (IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV)" }

    /// The packed bytes.
    public var registers: [DecodedRegister] {
        [DecodedRegister(layout: Self.layout, value: packed)]
    }

    /// Nothing about translation: the CMDQV is a command-queue extension of
    /// an SMMUv3, whose own registers carry the facts.
    public var facts: IOMMUFacts { IOMMUFacts() }
}
