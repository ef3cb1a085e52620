import Testing
@testable import IOMMUFD

/// One AMD EFR/EFR2 pair with its source, the feature list Linux printed for
/// it, and its expected decode.
struct AMDSample: Sendable, CustomTestStringConvertible {
    let label: String
    let source: String
    let efr: UInt64
    let efr2: UInt64
    /// The names Linux printed after "AMD-Vi: Extended features (…):".
    let linuxFeatures: [String]
    let expectedEFR: RegisterExpectation
    let expectedEFR2: RegisterExpectation
    /// Set EFR bits that no field covers.
    let reservedEFR: UInt64

    var testDescription: String { label }
}

enum AMDSamples {
    static let efr2Zero = RegisterExpectation([], ["snpavicsup": 0, "num_int_remap_sup": 0])

    static let all: [AMDSample] = [
        AMDSample(
            label: "QEMU 10.0.2 amd-iommu",
            source: "VM test bed serial log vm-testbed/logs/amd.log (-device amd-iommu,intremap=off; "
                + "AMD-Vi: Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE)",
            efr: 0x29d3, efr2: 0, linuxFeatures: ["PreF", "PPR", "GT", "IA", "GA", "HE"],
            expectedEFR: RegisterExpectation(
                ["prefetch", "ppr", "gt", "ia", "ga", "he"],
                ["hats": 2, "gats": 2, "glx": 0, "smif_sup": 0, "smif_rc": 0, "dual_ppr_log_sup": 0,
                 "dual_event_log_sup": 0, "pasmax": 0, "dev_tbl_seg_sup": 0, "marc_sup": 0, "vm_table_size": 0]),
            expectedEFR2: efr2Zero, reservedEFR: 0),
        AMDSample(
            label: "AMD EPYC 7R13 (Milan, AWS m6a.metal)",
            source: "https://github.com/enarx/enarx/issues/2263 (AMD-Vi: Extended features (0x841f77e022094ace): "
                + "PPR X2APIC NX IA GA PC; this kernel did not print EFR2, 0 used)",
            efr: 0x841f_77e0_2209_4ace, efr2: 0, linuxFeatures: ["PPR", "X2APIC", "NX", "IA", "GA", "PC"],
            expectedEFR: RegisterExpectation(
                ["ppr", "x2apic", "nx", "ia", "ga", "pc", "us_sup", "ppr_ovrflw_early_sup", "ppr_auto_rsp_sup",
                 "blk_stop_mrk_sup", "perf_opt_sup", "msicapmmiosup", "giosup", "hasup", "ephsup", "attr_fw_sup",
                 "hdsup", "snp"],
                ["hats": 2, "gats": 0, "glx": 1, "smif_sup": 1, "smif_rc": 2, "dual_ppr_log_sup": 2,
                 "dual_event_log_sup": 2, "pasmax": 0, "dev_tbl_seg_sup": 3, "marc_sup": 1, "vm_table_size": 2]),
            expectedEFR2: efr2Zero, reservedEFR: 0),
        AMDSample(
            label: "AMD EPYC, PCI multi-segment system (Linux 5.15 backport)",
            source: "https://github.com/openvelinux/kernel/pull/50 (AMD-Vi: Extended features "
                + "(0xa5bf732fa2295afe): PPR X2APIC NX GT [5] IA GA PC GA_vAPIC; EFR2 not printed, 0 used)",
            efr: 0xa5bf_732f_a229_5afe, efr2: 0,
            linuxFeatures: ["PPR", "X2APIC", "NX", "GT", "[5]", "IA", "GA", "PC", "GA_vAPIC"],
            expectedEFR: RegisterExpectation(
                ["ppr", "x2apic", "nx", "gt", "gappi_sup", "ia", "ga", "pc", "gam_vapic", "sats_sup", "us_sup",
                 "ppr_ovrflw_early_sup", "ppr_auto_rsp_sup", "blk_stop_mrk_sup", "perf_opt_sup", "msicapmmiosup",
                 "giosup", "hasup", "ephsup", "attr_fw_sup", "hdsup", "viommu_sup", "vm_guard_io_sup",
                 "ga_update_dis_sup", "snp"],
                ["hats": 2, "gats": 1, "glx": 1, "smif_sup": 1, "smif_rc": 2, "dual_ppr_log_sup": 2,
                 "dual_event_log_sup": 2, "pasmax": 15, "dev_tbl_seg_sup": 0, "marc_sup": 0, "vm_table_size": 2]),
            // Bit 53 is reserved in the EFR layouts we could consult, yet this
            // part sets it: it must be reported, not dropped.
            expectedEFR2: efr2Zero, reservedEFR: 1 << 53),
    ]

    /// The one-bit names Linux prints, in print order, for the fields it prints.
    static let linuxNames: [(String, @Sendable (AMDExtendedFeatures) -> Bool)] = [
        ("PreF", { $0.prefetch }), ("PPR", { $0.ppr }), ("X2APIC", { $0.x2apic }), ("NX", { $0.nx }),
        ("GT", { $0.gt }), ("[5]", { $0.gappiSup }), ("IA", { $0.ia }), ("GA", { $0.ga }), ("HE", { $0.he }),
        ("PC", { $0.pc }), ("GA_vAPIC", { $0.gamVapic }),
    ]
}

@Suite("AMD IOMMU: real register values, field by field")
struct AMDDecodingTableTests {
    @Test(arguments: AMDSamples.all)
    func everyFieldMatches(_ sample: AMDSample) {
        #expect(!sample.source.isEmpty)
        let decoded = AMDIOMMUDecoded(efr: sample.efr, efr2: sample.efr2)
        expectDecodedFields(decoded, register: "efr", sample.expectedEFR)
        expectDecodedFields(decoded, register: "efr2", sample.expectedEFR2)
        let reserved = decoded.reservedBitsSet
        if sample.reservedEFR == 0 {
            #expect(reserved.isEmpty)
        } else {
            #expect(reserved == [ReservedBits(register: "efr", mask: sample.reservedEFR)])
            #expect(decoded.efr.reservedBitsSet == sample.reservedEFR)
        }
    }

    @Test(arguments: AMDSamples.all)
    func agreesWithTheFeaturesLinuxPrinted(_ sample: AMDSample) {
        let efr = AMDExtendedFeatures(rawValue: sample.efr)
        // SNP is printed only by newer kernels; compare the names every
        // kernel of these logs prints.
        let printed = AMDSamples.linuxNames.filter { $0.1(efr) }.map(\.0)
        #expect(printed == sample.linuxFeatures)
    }

    @Test func uapiListMatchesTheHeader() {
        // include/uapi/linux/iommufd.h, struct iommu_hw_info_amd:
        // EFR[GTSup, GASup, GioSup, PPRSup, EPHSup, GATS, GLX, PASmax]
        let reliable = Set(AMDExtendedFeatures.layout.fields.filter(\.userSpaceMayRely).map(\.specName))
        #expect(reliable == ["GTSup", "GASup", "GIoSup", "PPRSup", "EPHSup", "GATS", "GLXSup", "PASmax"])
        #expect(AMDExtendedFeatures2.layout.fields.allSatisfy { !$0.userSpaceMayRely })
    }

    @Test func linuxNamedEFR2Fields() {
        let e = AMDExtendedFeatures2(rawValue: (1 << 1) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 11))
        #expect(e.sevsnpioSup && e.gcr3trpmode && e.htRangeIgnore)
        #expect(e.snpavicsup == 1 && e.numIntRemapSup == 1)
        #expect(e.reservedBitsSet == 0)
        let undefined = AMDExtendedFeatures2(rawValue: 1 | (1 << 12))
        #expect(undefined.reservedBitsSet == 1 | (1 << 12))
    }

    @Test func gamSupReservedEncodingsAreReported() {
        let d = AMDIOMMUDecoded(efr: 0b111 << 21, efr2: 0)
        #expect(d.efr.gamVapic)
        #expect(d.reservedBitsSet == [ReservedBits(register: "efr", mask: 0b110 << 21)])
    }
}
