/// SMMU_IDR0 (SMMUv3 specification 6.3.1), decoded.
///
/// Field keys follow the Linux arm-smmu-v3 driver's `IDR0_*` names where the
/// driver names the field (`st_lvl` for ST_LEVEL), otherwise the
/// specification's mnemonic.
public struct ARMSMMUv3IDR0: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt32

    /// Decodes `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The register's field table. The UAPI lets user space rely on
    /// ST_LEVEL, TERM_MODEL, STALL_MODEL, TTENDIAN, CD2L, ASID16 and TTF.
    public static let layout = RegisterLayout(
        name: "idr0", title: "SMMU_IDR0", width: 32,
        fields: [
            F.s2p, F.s1p, F.ttf, F.cohacc, F.btm, F.httu, F.dormhint, F.hyp, F.ats, F.ns1ats, F.asid16,
            F.msi, F.sev, F.atos, F.pri, F.vmw, F.vmid16, F.cd2l, F.vatos, F.ttendian, F.atsrecerr,
            F.stallModel, F.termModel, F.stLvl, F.rmeImpl,
        ],
        reserved: [ReservedBitRange(29...29), ReservedBitRange(31...31)])

    enum F {
        static let s2p = RegisterFieldSpec.flag("s2p", "S2P", bit: 0, uapi: false, "Stage 2 translation")
        static let s1p = RegisterFieldSpec.flag(
            "s1p", "S1P", bit: 1, uapi: false, "Stage 1 translation (UAPI: assume set if a nested HWPT can be created)")
        static let ttf = RegisterFieldSpec.raw(
            "ttf", "TTF", bits: 2...3, display: .names(["", "AArch32", "AArch64", "AArch32 and AArch64"]),
            "Translation table formats")
        static let cohacc = RegisterFieldSpec.flag(
            "cohacc", "COHACC", bit: 4, uapi: false, "Coherent table and queue access (UAPI: assume set)")
        static let btm = RegisterFieldSpec.flag("btm", "BTM", bit: 5, uapi: false, "Broadcast TLB maintenance")
        static let httu = RegisterFieldSpec.raw(
            "httu", "HTTU", bits: 6...7, display: .names(["none", "access flag", "access flag and dirty state",
                                                            "access flag, dirty state and HAFT"]),
            uapi: false, "Hardware translation table updates")
        static let dormhint = RegisterFieldSpec.flag("dormhint", "DORMHINT", bit: 8, uapi: false, "Dormant hint")
        static let hyp = RegisterFieldSpec.flag("hyp", "HYP", bit: 9, uapi: false, "Hypervisor stage 1 contexts")
        static let ats = RegisterFieldSpec.flag(
            "ats", "ATS", bit: 10, uapi: false, "PCIe ATS (UAPI: a per-device property)")
        static let ns1ats = RegisterFieldSpec.flag(
            "ns1ats", "NS1ATS", bit: 11, uapi: false, "No split-stage (stage 1 only) ATS")
        static let asid16 = RegisterFieldSpec.flag("asid16", "ASID16", bit: 12, "16-bit ASIDs")
        static let msi = RegisterFieldSpec.flag("msi", "MSI", bit: 13, uapi: false, "Message-signalled interrupts")
        static let sev = RegisterFieldSpec.flag("sev", "SEV", bit: 14, uapi: false, "WFE wake-up events")
        static let atos = RegisterFieldSpec.flag("atos", "ATOS", bit: 15, uapi: false, "Address translation operations")
        static let pri = RegisterFieldSpec.flag("pri", "PRI", bit: 16, uapi: false, "PCIe page requests")
        static let vmw = RegisterFieldSpec.flag("vmw", "VMW", bit: 17, uapi: false, "VMID wildcard matching")
        static let vmid16 = RegisterFieldSpec.flag("vmid16", "VMID16", bit: 18, uapi: false, "16-bit VMIDs")
        static let cd2l = RegisterFieldSpec.flag("cd2l", "CD2L", bit: 19, "2-level context descriptor tables")
        static let vatos = RegisterFieldSpec.flag("vatos", "VATOS", bit: 20, uapi: false, "Virtual ATOS page")
        static let ttendian = RegisterFieldSpec.raw(
            "ttendian", "TTENDIAN", bits: 21...22,
            display: .names(["mixed", "", "little-endian", "big-endian"]), "Table walk endianness")
        static let atsrecerr = RegisterFieldSpec.flag(
            "atsrecerr", "ATSRECERR", bit: 23, uapi: false, "ATS translation requests may record errors")
        static let stallModel = RegisterFieldSpec.raw(
            "stall_model", "STALL_MODEL", bits: 24...25,
            display: .names(["stall and terminate", "terminate only", "stall forced", ""]), "Stall model")
        static let termModel = RegisterFieldSpec.flag(
            "term_model", "TERM_MODEL", bit: 26, "Terminated transactions always abort")
        static let stLvl = RegisterFieldSpec.raw(
            "st_lvl", "ST_LEVEL", bits: 27...28, display: .names(["linear", "2-level", "", ""]),
            "Stream table formats")
        static let rmeImpl = RegisterFieldSpec.flag(
            "rme_impl", "RME_IMPL", bit: 30, uapi: false, "Realm Management Extension")
    }

    /// S2P: stage 2 translation.
    public var s2p: Bool { flag(F.s2p) }
    /// S1P: stage 1 translation.
    public var s1p: Bool { flag(F.s1p) }
    /// TTF: translation table formats (1 AArch32, 2 AArch64, 3 both).
    public var ttf: Int { int(F.ttf) }
    /// COHACC: coherent access to tables and queues.
    public var cohacc: Bool { flag(F.cohacc) }
    /// BTM: broadcast TLB maintenance.
    public var btm: Bool { flag(F.btm) }
    /// HTTU: hardware table updates (0 none, 1 access flag, 2 + dirty,
    /// 3 + table access flag).
    public var httu: Int { int(F.httu) }
    /// DORMHINT: dormant hint.
    public var dormhint: Bool { flag(F.dormhint) }
    /// HYP: hypervisor stage 1 contexts.
    public var hyp: Bool { flag(F.hyp) }
    /// ATS: PCIe ATS.
    public var ats: Bool { flag(F.ats) }
    /// NS1ATS: split-stage ATS not supported.
    public var ns1ats: Bool { flag(F.ns1ats) }
    /// ASID16: 16-bit ASIDs.
    public var asid16: Bool { flag(F.asid16) }
    /// MSI: message-signalled interrupts.
    public var msi: Bool { flag(F.msi) }
    /// SEV: WFE wake-up events.
    public var sev: Bool { flag(F.sev) }
    /// ATOS: address translation operations.
    public var atos: Bool { flag(F.atos) }
    /// PRI: PCIe page requests.
    public var pri: Bool { flag(F.pri) }
    /// VMW: VMID wildcard matching.
    public var vmw: Bool { flag(F.vmw) }
    /// VMID16: 16-bit VMIDs.
    public var vmid16: Bool { flag(F.vmid16) }
    /// CD2L: 2-level context descriptor tables.
    public var cd2l: Bool { flag(F.cd2l) }
    /// VATOS: virtual ATOS page.
    public var vatos: Bool { flag(F.vatos) }
    /// TTENDIAN: table walk endianness (0 mixed, 2 little, 3 big).
    public var ttendian: Int { int(F.ttendian) }
    /// ATSRECERR: errors of ATS translation requests may be recorded.
    public var atsrecerr: Bool { flag(F.atsrecerr) }
    /// STALL_MODEL: 0 stall and terminate, 1 terminate only, 2 stall forced.
    public var stallModel: Int { int(F.stallModel) }
    /// TERM_MODEL: terminated transactions always abort.
    public var termModel: Bool { flag(F.termModel) }
    /// ST_LEVEL (Linux `IDR0_ST_LVL`): 0 linear, 1 2-level stream tables.
    public var stLvl: Int { int(F.stLvl) }
    /// RME_IMPL: Realm Management Extension implemented.
    public var rmeImpl: Bool { flag(F.rmeImpl) }
}
