/// SMMU_IDR3 (SMMUv3 specification 6.3.4), decoded.
public struct ARMSMMUv3IDR3: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt32

    /// Decodes `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The register's field table. The UAPI lets user space rely on BBML and
    /// RIL.
    public static let layout = RegisterLayout(
        name: "idr3", title: "SMMU_IDR3", width: 32,
        fields: [F.had, F.pbha, F.xnx, F.pps, F.mpam, F.fwb, F.stt, F.ril, F.bbm, F.e0pd, F.ptwnnc, F.dpt],
        reserved: [ReservedBitRange(0...1), ReservedBitRange(6...6), ReservedBitRange(16...31)])

    enum F {
        static let had = RegisterFieldSpec.flag("had", "HAD", bit: 2, uapi: false, "Hierarchical attribute disables")
        static let pbha = RegisterFieldSpec.flag("pbha", "PBHA", bit: 3, uapi: false, "Page-based hardware attributes")
        static let xnx = RegisterFieldSpec.flag("xnx", "XNX", bit: 4, uapi: false, "EL0/EL1 execute-never distinction")
        static let pps = RegisterFieldSpec.flag(
            "pps", "PPS", bit: 5, uapi: false, "PRI responses without a PASID use the request's StreamID")
        static let mpam = RegisterFieldSpec.flag("mpam", "MPAM", bit: 7, uapi: false, "Memory partitioning and monitoring")
        static let fwb = RegisterFieldSpec.flag("fwb", "FWB", bit: 8, uapi: false, "Stage 2 forced write-back")
        static let stt = RegisterFieldSpec.flag("stt", "STT", bit: 9, uapi: false, "Small translation tables")
        static let ril = RegisterFieldSpec.flag("ril", "RIL", bit: 10, "Range-based invalidations and level hints")
        static let bbm = RegisterFieldSpec.raw(
            "bbm", "BBML", bits: 11...12, display: .names(["level 0", "level 1", "level 2", ""]),
            "Break-before-make level")
        static let e0pd = RegisterFieldSpec.flag("e0pd", "E0PD", bit: 13, uapi: false, "EL0 access to half the VA space faults")
        static let ptwnnc = RegisterFieldSpec.flag(
            "ptwnnc", "PTWNNC", bit: 14, uapi: false, "Table walks to non-cacheable memory are not cached")
        static let dpt = RegisterFieldSpec.flag("dpt", "DPT", bit: 15, uapi: false, "Device permission tables")
    }

    /// HAD: hierarchical attribute disables.
    public var had: Bool { flag(F.had) }
    /// PBHA: page-based hardware attributes.
    public var pbha: Bool { flag(F.pbha) }
    /// XNX: EL0/EL1 execute-never distinction at stage 2.
    public var xnx: Bool { flag(F.xnx) }
    /// PPS: PRI response PASID handling.
    public var pps: Bool { flag(F.pps) }
    /// MPAM: memory partitioning and monitoring.
    public var mpam: Bool { flag(F.mpam) }
    /// FWB: stage 2 forced write-back.
    public var fwb: Bool { flag(F.fwb) }
    /// STT: small translation tables.
    public var stt: Bool { flag(F.stt) }
    /// RIL: range-based invalidations.
    public var ril: Bool { flag(F.ril) }
    /// BBML (Linux `IDR3_BBM`): break-before-make level (0, 1 or 2).
    public var bbm: Int { int(F.bbm) }
    /// E0PD: E0PD mechanism.
    public var e0pd: Bool { flag(F.e0pd) }
    /// PTWNNC: non-cacheable table walks are not cached.
    public var ptwnnc: Bool { flag(F.ptwnnc) }
    /// DPT: device permission tables.
    public var dpt: Bool { flag(F.dpt) }
}
