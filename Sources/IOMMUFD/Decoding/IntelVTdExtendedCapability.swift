/// The Intel VT-d Extended Capability Register (ECAP_REG, VT-d
/// specification 11.4.3), decoded.
///
/// Field names follow the Linux intel-iommu `ecap_*` helpers without the
/// prefix and without a `_support` suffix; fields the driver does not decode
/// are named after the specification's mnemonic. Fields that older VT-d
/// revisions defined and later ones reserve (`ch`, `ecs`, `dis`,
/// `broken_pasid`, `pot`) are decoded so that old hardware does not show
/// spurious reserved bits.
public struct IntelVTdExtendedCapability: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt64

    /// Decodes `rawValue`.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The register's field table.
    public static let layout = RegisterLayout(
        name: "ecap", title: "Extended Capability Register (ECAP_REG)", width: 64,
        fields: [
            F.coherent, F.qis, F.devIotlb, F.ir, F.eim, F.ch, F.passThrough, F.sc, F.iotlbOffset,
            F.maxHandleMask, F.ecs, F.mts, F.nest, F.dis, F.brokenPasid, F.prs, F.ers, F.srs, F.pot,
            F.nwfs, F.eafs, F.pss, F.pasid, F.dit, F.pds, F.smts, F.vcs, F.slads, F.slts, F.flts,
            F.smpwc, F.rps, F.tdxio, F.pms, F.adms, F.rprivs, F.hpts, F.ptrs, F.pbds,
        ],
        reserved: [ReservedBitRange(18...19), ReservedBitRange(54...54), ReservedBitRange(58...63)])

    enum F {
        static let coherent = RegisterFieldSpec.flag("coherent", "C", bit: 0, "Page-walk coherency")
        static let qis = RegisterFieldSpec.flag("qis", "QI", bit: 1, "Queued invalidation")
        static let devIotlb = RegisterFieldSpec.flag("dev_iotlb", "DT", bit: 2, "Device-TLBs (PCIe ATS)")
        static let ir = RegisterFieldSpec.flag("ir", "IR", bit: 3, "Interrupt remapping")
        static let eim = RegisterFieldSpec.flag("eim", "EIM", bit: 4, "Extended interrupt mode (x2APIC)")
        static let ch = RegisterFieldSpec.flag("ch", "CH", bit: 5, "Caching hints (VT-d 1.x/2.x; reserved since 3.0)")
        static let passThrough = RegisterFieldSpec.flag("pass_through", "PT", bit: 6, "Pass-through translation")
        static let sc = RegisterFieldSpec.flag("sc", "SC", bit: 7, "Snoop control")
        static let iotlbOffset = RegisterFieldSpec.computed(
            "iotlb_offset", "IRO", bits: 8...17, .times(16), display: .bytes, "Offset of the IOTLB registers")
        static let maxHandleMask = RegisterFieldSpec.raw(
            "max_handle_mask", "MHMV", bits: 20...23, "Maximum handle mask of interrupt-entry invalidations")
        static let ecs = RegisterFieldSpec.flag(
            "ecs", "ECS", bit: 24, "Extended-context support (VT-d 2.x; reserved since 3.0)")
        static let mts = RegisterFieldSpec.flag("mts", "MTS", bit: 25, "Memory type support")
        static let nest = RegisterFieldSpec.flag("nest", "NEST", bit: 26, "Nested translation")
        static let dis = RegisterFieldSpec.flag(
            "dis", "DIS", bit: 27, "Deferred invalidation (VT-d 2.x; reserved since 3.0)")
        static let brokenPasid = RegisterFieldSpec.flag(
            "broken_pasid", "PASID(2.x)", bit: 28, "PASID support at its VT-d 2.x position (reserved since 3.0)")
        static let prs = RegisterFieldSpec.flag("prs", "PRS", bit: 29, "Page requests (PCIe PRI)")
        static let ers = RegisterFieldSpec.flag("ers", "ERS", bit: 30, "Execute requests")
        static let srs = RegisterFieldSpec.flag("srs", "SRS", bit: 31, "Supervisor requests")
        static let pot = RegisterFieldSpec.flag(
            "pot", "POT", bit: 32, "PASID-only translation (VT-d 2.x; reserved since 3.0)")
        static let nwfs = RegisterFieldSpec.flag("nwfs", "NWFS", bit: 33, "No-write flag in device-TLB requests")
        static let eafs = RegisterFieldSpec.flag("eafs", "EAFS", bit: 34, "Extended accessed flag")
        static let pss = RegisterFieldSpec.raw(
            "pss", "PSS", bits: 35...39, "PASID size supported (PASIDs are PSS + 1 bits wide)")
        static let pasid = RegisterFieldSpec.flag("pasid", "PASID", bit: 40, "Process address space IDs")
        static let dit = RegisterFieldSpec.flag("dit", "DIT", bit: 41, "Device-TLB invalidation throttling")
        static let pds = RegisterFieldSpec.flag("pds", "PDS", bit: 42, "Page-request draining")
        static let smts = RegisterFieldSpec.flag("smts", "SMTS", bit: 43, "Scalable-mode translation")
        static let vcs = RegisterFieldSpec.flag("vcs", "VCS", bit: 44, "Virtual command interface (emulations only)")
        static let slads = RegisterFieldSpec.flag("slads", "SSADS", bit: 45, "Second-stage accessed/dirty bits")
        static let slts = RegisterFieldSpec.flag("slts", "SSTS", bit: 46, "Second-stage translation (scalable mode)")
        static let flts = RegisterFieldSpec.flag("flts", "FSTS", bit: 47, "First-stage translation (scalable mode)")
        static let smpwc = RegisterFieldSpec.flag("smpwc", "SMPWCS", bit: 48, "Scalable-mode page-walk coherency")
        static let rps = RegisterFieldSpec.flag("rps", "RPS", bit: 49, "RID_PASID field in scalable-mode context entries")
        static let tdxio = RegisterFieldSpec.flag("tdxio", "TDXIO", bit: 50, "TDX Connect (TDX-IO)")
        static let pms = RegisterFieldSpec.flag("pms", "PMS", bit: 51, "Performance monitoring")
        static let adms = RegisterFieldSpec.flag("adms", "ADMS", bit: 52, "Abort-DMA mode")
        static let rprivs = RegisterFieldSpec.flag("rprivs", "RPRIVS", bit: 53, "RID_PRIV field in context entries")
        static let hpts = RegisterFieldSpec.flag("hpts", "HPTS", bit: 55, "HPT support")
        static let ptrs = RegisterFieldSpec.flag("ptrs", "PTRS", bit: 56, "PASID in translated requests")
        static let pbds = RegisterFieldSpec.flag("pbds", "PBDS", bit: 57, "Page-specific DMA support")
    }

    /// C: page walks snoop the CPU caches.
    public var coherent: Bool { flag(F.coherent) }
    /// QI: queued invalidation supported.
    public var qis: Bool { flag(F.qis) }
    /// DT: device-TLBs (PCIe ATS) supported.
    public var devIotlb: Bool { flag(F.devIotlb) }
    /// IR: interrupt remapping supported.
    public var ir: Bool { flag(F.ir) }
    /// EIM: extended (x2APIC) interrupt mode supported.
    public var eim: Bool { flag(F.eim) }
    /// CH: caching hints (VT-d 1.x/2.x only).
    public var ch: Bool { flag(F.ch) }
    /// PT: pass-through translation supported.
    public var passThrough: Bool { flag(F.passThrough) }
    /// SC: snoop control supported.
    public var sc: Bool { flag(F.sc) }
    /// IRO: byte offset of the IOTLB registers (field × 16).
    public var iotlbOffset: Int { int(F.iotlbOffset) }
    /// MHMV: largest handle mask of interrupt-entry-cache invalidations.
    public var maxHandleMask: Int { int(F.maxHandleMask) }
    /// ECS: extended-context support (VT-d 2.x only).
    public var ecs: Bool { flag(F.ecs) }
    /// MTS: memory type support.
    public var mts: Bool { flag(F.mts) }
    /// NEST: nested translation supported.
    public var nest: Bool { flag(F.nest) }
    /// DIS: deferred invalidation (VT-d 2.x only).
    public var dis: Bool { flag(F.dis) }
    /// Bit 28: PASID support at its VT-d 2.x position (Linux's
    /// `ecap_broken_pasid`).
    public var brokenPasid: Bool { flag(F.brokenPasid) }
    /// PRS: page requests (PCIe PRI) supported.
    public var prs: Bool { flag(F.prs) }
    /// ERS: execute requests supported.
    public var ers: Bool { flag(F.ers) }
    /// SRS: supervisor requests supported.
    public var srs: Bool { flag(F.srs) }
    /// POT: PASID-only translation (VT-d 2.x only).
    public var pot: Bool { flag(F.pot) }
    /// NWFS: no-write flag in device-TLB translation requests.
    public var nwfs: Bool { flag(F.nwfs) }
    /// EAFS: extended accessed flag.
    public var eafs: Bool { flag(F.eafs) }
    /// PSS: PASID size field, raw (PASIDs are `pss + 1` bits wide).
    public var pss: Int { int(F.pss) }
    /// PASID: process address space IDs supported.
    public var pasid: Bool { flag(F.pasid) }
    /// DIT: device-TLB invalidation throttling.
    public var dit: Bool { flag(F.dit) }
    /// PDS: page-request draining.
    public var pds: Bool { flag(F.pds) }
    /// SMTS: scalable-mode translation supported.
    public var smts: Bool { flag(F.smts) }
    /// VCS: virtual command interface (reported by emulations only).
    public var vcs: Bool { flag(F.vcs) }
    /// SSADS: second-stage accessed/dirty bits (dirty tracking).
    public var slads: Bool { flag(F.slads) }
    /// SSTS: second-stage translation in scalable mode.
    public var slts: Bool { flag(F.slts) }
    /// FSTS: first-stage translation in scalable mode.
    public var flts: Bool { flag(F.flts) }
    /// SMPWCS: scalable-mode page walks are coherent.
    public var smpwc: Bool { flag(F.smpwc) }
    /// RPS: RID_PASID field supported.
    public var rps: Bool { flag(F.rps) }
    /// TDXIO: TDX Connect support.
    public var tdxio: Bool { flag(F.tdxio) }
    /// PMS: performance monitoring.
    public var pms: Bool { flag(F.pms) }
    /// ADMS: abort-DMA mode.
    public var adms: Bool { flag(F.adms) }
    /// RPRIVS: RID_PRIV field supported.
    public var rprivs: Bool { flag(F.rprivs) }
    /// HPTS: HPT support.
    public var hpts: Bool { flag(F.hpts) }
    /// PTRS: PASID in translated requests.
    public var ptrs: Bool { flag(F.ptrs) }
    /// PBDS: page-specific DMA support.
    public var pbds: Bool { flag(F.pbds) }

    /// The set bits that belong to no field.
    public var reservedBitsSet: UInt64 { Self.layout.undefinedBits(in: rawValue) }
}
