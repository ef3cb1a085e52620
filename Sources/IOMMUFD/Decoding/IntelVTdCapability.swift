/// The Intel VT-d Capability Register (CAP_REG, VT-d specification 11.4.2),
/// decoded.
///
/// Field names follow the Linux intel-iommu `cap_*` helpers without the
/// prefix and without a `_support` suffix; values are computed as those
/// helpers compute them. Fields the driver does not decode are named after
/// the specification's mnemonic.
public struct IntelVTdCapability: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt64

    /// Decodes `rawValue`.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The register's field table.
    public static let layout = RegisterLayout(
        name: "cap", title: "Capability Register (CAP_REG)", width: 64,
        fields: [
            F.ndoms, F.afl, F.rwbf, F.plmr, F.phmr, F.cachingMode, F.sagaw, F.mgaw, F.zlr, F.isoch,
            F.faultRegOffset, F.superPageVal, F.pgselInv, F.numFaultRegs, F.maxAmaskVal,
            F.writeDrain, F.readDrain, F.fl1gp, F.pi, F.fl5lp, F.ecmds, F.esirtps, F.esrtps,
        ],
        reserved: [ReservedBitRange(13...15), ReservedBitRange(38...38), ReservedBitRange(57...58)])

    enum F {
        static let ndoms = RegisterFieldSpec.count(
            "ndoms", "ND", bits: 0...2, .powerOfTwo(base: 4, step: 2),
            "Number of domain IDs supported (2^(4 + 2*ND); ND=7 is reserved)")
        static let afl = RegisterFieldSpec.flag("afl", "AFL", bit: 3, "Advanced fault logging (deprecated since VT-d 3.0)")
        static let rwbf = RegisterFieldSpec.flag("rwbf", "RWBF", bit: 4, "Write-buffer flushing required")
        static let plmr = RegisterFieldSpec.flag("plmr", "PLMR", bit: 5, "Protected low-memory region")
        static let phmr = RegisterFieldSpec.flag("phmr", "PHMR", bit: 6, "Protected high-memory region")
        static let cachingMode = RegisterFieldSpec.flag(
            "caching_mode", "CM", bit: 7,
            "Caching mode: not-present entries may be cached (emulated IOMMUs set it)")
        static let sagaw = RegisterFieldSpec.raw(
            "sagaw", "SAGAW", bits: 8...12,
            display: .bitNames(["30-bit/2-level", "39-bit/3-level", "48-bit/4-level",
                                "57-bit/5-level", "64-bit/6-level"]),
            "Supported adjusted guest address widths of second-stage tables (bit mask)")
        static let mgaw = RegisterFieldSpec.computed(
            "mgaw", "MGAW", bits: 16...21, .plus(1), display: .bits, "Maximum guest address width")
        static let zlr = RegisterFieldSpec.flag("zlr", "ZLR", bit: 22, "Zero-length DMA reads to write-only pages allowed")
        static let isoch = RegisterFieldSpec.flag("isoch", "ISOCH", bit: 23, "Isochrony (deprecated; reserved in VT-d 3.0+)")
        static let faultRegOffset = RegisterFieldSpec.computed(
            "fault_reg_offset", "FRO", bits: 24...33, .times(16), display: .bytes,
            "Offset of the first fault-recording register")
        static let superPageVal = RegisterFieldSpec.raw(
            "super_page_val", "SLLPS", bits: 34...37,
            display: .bitNames(["2M", "1G", "39-bit offset (reserved since VT-d 3.0)",
                                "48-bit offset (reserved since VT-d 3.0)"]),
            "Second-stage large page sizes (bit mask)")
        static let pgselInv = RegisterFieldSpec.flag("pgsel_inv", "PSI", bit: 39, "Page-selective IOTLB invalidation")
        static let numFaultRegs = RegisterFieldSpec.count(
            "num_fault_regs", "NFR", bits: 40...47, .plus(1), "Number of fault-recording registers")
        static let maxAmaskVal = RegisterFieldSpec.raw(
            "max_amask_val", "MAMV", bits: 48...53, "Maximum address mask of page-selective invalidations")
        static let writeDrain = RegisterFieldSpec.flag("write_drain", "DWD", bit: 54, "Write draining")
        static let readDrain = RegisterFieldSpec.flag("read_drain", "DRD", bit: 55, "Read draining")
        static let fl1gp = RegisterFieldSpec.flag("fl1gp", "FS1GP", bit: 56, "First-stage 1-GiB pages")
        static let pi = RegisterFieldSpec.flag("pi", "PI", bit: 59, "Posted interrupts")
        static let fl5lp = RegisterFieldSpec.flag("fl5lp", "FS5LP", bit: 60, "First-stage 5-level paging")
        static let ecmds = RegisterFieldSpec.flag("ecmds", "ECMDS", bit: 61, "Enhanced command interface")
        static let esirtps = RegisterFieldSpec.flag(
            "esirtps", "ESIRTPS", bit: 62, "Enhanced set-interrupt-remap-table-pointer")
        static let esrtps = RegisterFieldSpec.flag("esrtps", "ESRTPS", bit: 63, "Enhanced set-root-table-pointer")
    }

    /// ND: number of domain IDs (16 to 65536; 262144 for the reserved
    /// encoding 7, as Linux computes it).
    public var ndoms: Int { int(F.ndoms) }
    /// AFL: advanced fault logging (deprecated).
    public var afl: Bool { flag(F.afl) }
    /// RWBF: the write buffer must be flushed explicitly.
    public var rwbf: Bool { flag(F.rwbf) }
    /// PLMR: protected low-memory region supported.
    public var plmr: Bool { flag(F.plmr) }
    /// PHMR: protected high-memory region supported.
    public var phmr: Bool { flag(F.phmr) }
    /// CM: caching mode (not-present entries may be cached; set by emulated
    /// IOMMUs, requires explicit invalidation after every map).
    public var cachingMode: Bool { flag(F.cachingMode) }
    /// SAGAW: bit mask of supported second-stage address widths (bit 1 =
    /// 39-bit/3-level, bit 2 = 48-bit/4-level, bit 3 = 57-bit/5-level).
    public var sagaw: Int { int(F.sagaw) }
    /// MGAW: maximum guest address width in bits (field + 1).
    public var mgaw: Int { int(F.mgaw) }
    /// ZLR: zero-length reads to write-only pages are allowed.
    public var zlr: Bool { flag(F.zlr) }
    /// ISOCH: isochrony (deprecated).
    public var isoch: Bool { flag(F.isoch) }
    /// FRO: byte offset of the first fault-recording register (field × 16).
    public var faultRegOffset: Int { int(F.faultRegOffset) }
    /// SLLPS: bit mask of second-stage large pages (bit 0 = 2 MiB, bit 1 = 1 GiB).
    public var superPageVal: Int { int(F.superPageVal) }
    /// PSI: page-selective invalidation supported.
    public var pgselInv: Bool { flag(F.pgselInv) }
    /// NFR: number of fault-recording registers (field + 1).
    public var numFaultRegs: Int { int(F.numFaultRegs) }
    /// MAMV: largest address mask of page-selective invalidations.
    public var maxAmaskVal: Int { int(F.maxAmaskVal) }
    /// DWD: write draining supported.
    public var writeDrain: Bool { flag(F.writeDrain) }
    /// DRD: read draining supported.
    public var readDrain: Bool { flag(F.readDrain) }
    /// FS1GP: first-stage 1-GiB pages supported.
    public var fl1gp: Bool { flag(F.fl1gp) }
    /// PI: posted interrupts supported.
    public var pi: Bool { flag(F.pi) }
    /// FS5LP: first-stage 5-level paging supported.
    public var fl5lp: Bool { flag(F.fl5lp) }
    /// ECMDS: enhanced command interface supported.
    public var ecmds: Bool { flag(F.ecmds) }
    /// ESIRTPS: enhanced set-interrupt-remap-table-pointer supported.
    public var esirtps: Bool { flag(F.esirtps) }
    /// ESRTPS: enhanced set-root-table-pointer supported.
    public var esrtps: Bool { flag(F.esrtps) }

    /// The set bits that belong to no field.
    public var reservedBitsSet: UInt64 { Self.layout.undefinedBits(in: rawValue) }

    /// The second-stage page-table depths SAGAW allows (2 to 6).
    public var secondStageLevels: [Int] {
        RegisterBitRange.positions(in: UInt64(sagaw)).map { $0 + 2 }
    }
}
