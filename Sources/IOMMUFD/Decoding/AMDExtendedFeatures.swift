/// The AMD IOMMU Extended Feature Register (EFR, MMIO offset 0x30), decoded.
///
/// Keys follow the Linux amd-iommu `FEATURE_*` names where the driver names
/// the field (`gt`, `glx`, `pasmax`, `giosup`, …); the remaining fields of
/// the AMD I/O Virtualization Technology specification use the
/// specification's mnemonic in snake case. Linux treats GAMSup as the single
/// bit `FEATURE_GAM_VAPIC`; the other two GAMSup bits only form reserved
/// encodings and are reported as reserved when set.
public struct AMDExtendedFeatures: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt64

    /// Decodes `rawValue`.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The register's field table. The UAPI's VMM-allowed list is GTSup,
    /// GASup, GIoSup, PPRSup, EPHSup, GATS, GLX and PASmax.
    public static let layout = RegisterLayout(
        name: "efr", title: "Extended Feature Register (EFR)", width: 64,
        fields: [
            F.prefetch, F.ppr, F.x2apic, F.nx, F.gt, F.gappiSup, F.ia, F.ga, F.he, F.pc, F.hats, F.gats,
            F.glx, F.smifSup, F.smifRC, F.gamVapic, F.dualPprLogSup, F.dualEventLogSup, F.satsSup,
            F.pasmax, F.usSup, F.devTblSegSup, F.pprOvrflwEarlySup, F.pprAutoRspSup, F.marcSup,
            F.blkStopMrkSup, F.perfOptSup, F.msiCapMmioSup, F.giosup, F.hasup, F.ephsup, F.attrFwSup,
            F.hdsup, F.invIotlbTypeSup, F.viommuSup, F.vmGuardIOSup, F.vmTableSize, F.gaUpdateDisSup,
            F.forcePhysDestSup, F.snp,
        ],
        reserved: [
            ReservedBitRange(22...23, "GAMSup reserved encodings"), ReservedBitRange(26...27),
            ReservedBitRange(30...30), ReservedBitRange(47...47), ReservedBitRange(53...53),
        ])

    enum F {
        static let prefetch = RegisterFieldSpec.flag("prefetch", "PreFSup", bit: 0, uapi: false, "Prefetch-pages command")
        static let ppr = RegisterFieldSpec.flag("ppr", "PPRSup", bit: 1, "Peripheral page requests (PCIe PRI)")
        static let x2apic = RegisterFieldSpec.flag("x2apic", "XTSup", bit: 2, uapi: false, "x2APIC interrupts")
        static let nx = RegisterFieldSpec.flag("nx", "NXSup", bit: 3, uapi: false, "No-execute protection")
        static let gt = RegisterFieldSpec.flag("gt", "GTSup", bit: 4, "Guest (v2, first-stage) translation")
        static let gappiSup = RegisterFieldSpec.flag(
            "gappi_sup", "GAPPISup", bit: 5, uapi: false, "Guest APIC physical-processor interrupts")
        static let ia = RegisterFieldSpec.flag("ia", "IASup", bit: 6, uapi: false, "Invalidate-all command")
        static let ga = RegisterFieldSpec.flag("ga", "GASup", bit: 7, "Guest virtual APIC")
        static let he = RegisterFieldSpec.flag("he", "HESup", bit: 8, uapi: false, "Hardware error registers")
        static let pc = RegisterFieldSpec.flag("pc", "PCSup", bit: 9, uapi: false, "Performance counters")
        static let hats = RegisterFieldSpec.raw(
            "hats", "HATS", bits: 10...11, display: .names(["4-level", "5-level", "6-level", ""]), uapi: false,
            "Host (v1) page-table depth")
        static let gats = RegisterFieldSpec.raw(
            "gats", "GATS", bits: 12...13, display: .names(["4-level", "5-level", "6-level", ""]),
            "Guest (v2) page-table depth")
        static let glx = RegisterFieldSpec.raw(
            "glx", "GLXSup", bits: 14...15, display: .names(["1-level GCR3 table", "2-level GCR3 table", "", ""]),
            "Guest CR3 table levels")
        static let smifSup = RegisterFieldSpec.raw(
            "smif_sup", "SmiFSup", bits: 16...17, uapi: false, "SMI filter registers")
        static let smifRC = RegisterFieldSpec.raw(
            "smif_rc", "SmiFRC", bits: 18...20, uapi: false, "SMI filter register count (encoded)")
        static let gamVapic = RegisterFieldSpec.flag(
            "gam_vapic", "GAMSup", bit: 21, uapi: false, "Guest virtual APIC mode (GAMSup = 1)")
        static let dualPprLogSup = RegisterFieldSpec.raw(
            "dual_ppr_log_sup", "DualPprLogSup", bits: 24...25, uapi: false, "Dual PPR logs")
        static let dualEventLogSup = RegisterFieldSpec.raw(
            "dual_event_log_sup", "DualEventLogSup", bits: 28...29, uapi: false, "Dual event logs")
        static let satsSup = RegisterFieldSpec.flag("sats_sup", "SATSSup", bit: 31, uapi: false, "Secure ATS")
        static let pasmax = RegisterFieldSpec.raw(
            "pasmax", "PASmax", bits: 32...36, "Maximum PASID (PASIDs are PASmax + 1 bits wide)")
        static let usSup = RegisterFieldSpec.flag("us_sup", "USSup", bit: 37, uapi: false, "User/supervisor page protection")
        static let devTblSegSup = RegisterFieldSpec.raw(
            "dev_tbl_seg_sup", "DevTblSegSup", bits: 38...39, uapi: false, "Device table segmentation")
        static let pprOvrflwEarlySup = RegisterFieldSpec.flag(
            "ppr_ovrflw_early_sup", "PprOvrflwEarlySup", bit: 40, uapi: false, "PPR log overflow early warning")
        static let pprAutoRspSup = RegisterFieldSpec.flag(
            "ppr_auto_rsp_sup", "PPRAutoRspSup", bit: 41, uapi: false, "PPR automatic response")
        static let marcSup = RegisterFieldSpec.raw(
            "marc_sup", "MarcSup", bits: 42...43, uapi: false, "Memory access routing and control")
        static let blkStopMrkSup = RegisterFieldSpec.flag(
            "blk_stop_mrk_sup", "BlkStopMrkSup", bit: 44, uapi: false, "Block StopMark messages")
        static let perfOptSup = RegisterFieldSpec.flag(
            "perf_opt_sup", "PerfOptSup", bit: 45, uapi: false, "Performance optimization")
        static let msiCapMmioSup = RegisterFieldSpec.flag(
            "msicapmmiosup", "MsiCapMmioSup", bit: 46, uapi: false, "MSI capability registers in MMIO")
        static let giosup = RegisterFieldSpec.flag("giosup", "GIoSup", bit: 48, "Guest I/O protection")
        static let hasup = RegisterFieldSpec.flag("hasup", "HASup", bit: 49, uapi: false, "Host access (accessed) bits")
        static let ephsup = RegisterFieldSpec.flag("ephsup", "EPHSup", bit: 50, "Enhanced PPR handling")
        static let attrFwSup = RegisterFieldSpec.flag("attr_fw_sup", "AttrFWSup", bit: 51, uapi: false, "Attribute forwarding")
        static let hdsup = RegisterFieldSpec.flag("hdsup", "HDSup", bit: 52, uapi: false, "Host dirty bits (dirty tracking)")
        static let invIotlbTypeSup = RegisterFieldSpec.flag(
            "inv_iotlb_type_sup", "InvIotlbTypeSup", bit: 54, uapi: false, "Invalidate-IOTLB type")
        static let viommuSup = RegisterFieldSpec.flag(
            "viommu_sup", "vIommuSup", bit: 55, uapi: false, "Hardware vIOMMU")
        static let vmGuardIOSup = RegisterFieldSpec.flag(
            "vm_guard_io_sup", "VMGuardIOSup", bit: 56, uapi: false, "VM guard I/O")
        static let vmTableSize = RegisterFieldSpec.raw(
            "vm_table_size", "VMTableSize", bits: 57...60, uapi: false, "VM table size (encoded)")
        static let gaUpdateDisSup = RegisterFieldSpec.flag(
            "ga_update_dis_sup", "GAUpdateDisSup", bit: 61, uapi: false, "Guest APIC update disable")
        static let forcePhysDestSup = RegisterFieldSpec.flag(
            "force_phys_dest_sup", "ForcePhysDestSup", bit: 62, uapi: false, "Force physical destination mode")
        static let snp = RegisterFieldSpec.flag("snp", "SNPSup", bit: 63, uapi: false, "SEV-SNP")
    }

    /// PreFSup: prefetch-pages command.
    public var prefetch: Bool { flag(F.prefetch) }
    /// PPRSup: peripheral page requests (PCIe PRI).
    public var ppr: Bool { flag(F.ppr) }
    /// XTSup: x2APIC interrupts.
    public var x2apic: Bool { flag(F.x2apic) }
    /// NXSup: no-execute protection.
    public var nx: Bool { flag(F.nx) }
    /// GTSup: guest translation (v2 page tables).
    public var gt: Bool { flag(F.gt) }
    /// GAPPISup: guest APIC physical-processor interrupts.
    public var gappiSup: Bool { flag(F.gappiSup) }
    /// IASup: invalidate-all command.
    public var ia: Bool { flag(F.ia) }
    /// GASup: guest virtual APIC.
    public var ga: Bool { flag(F.ga) }
    /// HESup: hardware error registers.
    public var he: Bool { flag(F.he) }
    /// PCSup: performance counters.
    public var pc: Bool { flag(F.pc) }
    /// HATS: host page-table depth (0 4-level, 1 5-level, 2 6-level, 3 reserved).
    public var hats: Int { int(F.hats) }
    /// GATS: guest page-table depth (0 4-level, 1 5-level).
    public var gats: Int { int(F.gats) }
    /// GLXSup: guest CR3 table levels (0 one level, 1 two levels).
    public var glx: Int { int(F.glx) }
    /// SmiFSup: SMI filter registers.
    public var smifSup: Int { int(F.smifSup) }
    /// SmiFRC: SMI filter register count (encoded).
    public var smifRC: Int { int(F.smifRC) }
    /// GAMSup bit 0 (Linux `FEATURE_GAM_VAPIC`): guest virtual APIC mode.
    public var gamVapic: Bool { flag(F.gamVapic) }
    /// DualPprLogSup: dual PPR logs.
    public var dualPprLogSup: Int { int(F.dualPprLogSup) }
    /// DualEventLogSup: dual event logs.
    public var dualEventLogSup: Int { int(F.dualEventLogSup) }
    /// SATSSup: secure ATS.
    public var satsSup: Bool { flag(F.satsSup) }
    /// PASmax: largest PASID field width minus one.
    public var pasmax: Int { int(F.pasmax) }
    /// USSup: user/supervisor page protection.
    public var usSup: Bool { flag(F.usSup) }
    /// DevTblSegSup: device table segmentation.
    public var devTblSegSup: Int { int(F.devTblSegSup) }
    /// PprOvrflwEarlySup: PPR log overflow early warning.
    public var pprOvrflwEarlySup: Bool { flag(F.pprOvrflwEarlySup) }
    /// PPRAutoRspSup: PPR automatic response.
    public var pprAutoRspSup: Bool { flag(F.pprAutoRspSup) }
    /// MarcSup: memory access routing and control.
    public var marcSup: Int { int(F.marcSup) }
    /// BlkStopMrkSup: block StopMark messages.
    public var blkStopMrkSup: Bool { flag(F.blkStopMrkSup) }
    /// PerfOptSup: performance optimization.
    public var perfOptSup: Bool { flag(F.perfOptSup) }
    /// MsiCapMmioSup: MSI capability registers in MMIO.
    public var msiCapMmioSup: Bool { flag(F.msiCapMmioSup) }
    /// GIoSup: guest I/O protection.
    public var giosup: Bool { flag(F.giosup) }
    /// HASup: host access bits.
    public var hasup: Bool { flag(F.hasup) }
    /// EPHSup: enhanced PPR handling.
    public var ephsup: Bool { flag(F.ephsup) }
    /// AttrFWSup: attribute forwarding.
    public var attrFwSup: Bool { flag(F.attrFwSup) }
    /// HDSup: host dirty bits.
    public var hdsup: Bool { flag(F.hdsup) }
    /// InvIotlbTypeSup: invalidate-IOTLB type.
    public var invIotlbTypeSup: Bool { flag(F.invIotlbTypeSup) }
    /// vIommuSup: hardware-accelerated vIOMMU.
    public var viommuSup: Bool { flag(F.viommuSup) }
    /// VMGuardIOSup: VM guard I/O.
    public var vmGuardIOSup: Bool { flag(F.vmGuardIOSup) }
    /// VMTableSize: VM table size (encoded).
    public var vmTableSize: Int { int(F.vmTableSize) }
    /// GAUpdateDisSup: guest APIC update disable.
    public var gaUpdateDisSup: Bool { flag(F.gaUpdateDisSup) }
    /// ForcePhysDestSup: force physical destination mode.
    public var forcePhysDestSup: Bool { flag(F.forcePhysDestSup) }
    /// SNPSup (Linux `FEATURE_SNP`): SEV-SNP support.
    public var snp: Bool { flag(F.snp) }

    /// The set bits that belong to no field.
    public var reservedBitsSet: UInt64 { Self.layout.undefinedBits(in: rawValue) }
}
