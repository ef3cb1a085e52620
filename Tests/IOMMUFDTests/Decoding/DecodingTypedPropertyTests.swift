import Testing
@testable import IOMMUFD

private func b(_ v: Bool) -> UInt64 { v ? 1 : 0 }
private func n(_ v: Int) -> UInt64 { UInt64(truncatingIfNeeded: v) }

/// Each typed struct has one property per field; these tests check that
/// every property reads the field its name says, for random values.
@Suite("Typed properties agree with the field tables")
struct DecoderTypedPropertyTests {
    typealias Accessor<T> = (String, @Sendable (T) -> UInt64)

    /// Checks `accessors` cover `layout` exactly and agree with it on random values.
    func check<T>(_ layout: RegisterLayout, _ accessors: [Accessor<T>], make: (UInt64) -> T, seed: UInt64) {
        #expect(accessors.map(\.0) == layout.fields.map(\.name), "\(layout.name): properties vs fields")
        var rng = DecoderTestRNG(seed: seed)
        for _ in 0..<1_000 {
            let value = rng.registerValue() & layout.widthMask
            let typed = make(value)
            for (name, read) in accessors {
                guard let spec = layout.field(named: name) else { continue }
                if read(typed) != spec.number(in: value) {
                    Issue.record("\(layout.name).\(name) typed \(read(typed)) vs table \(spec.number(in: value))")
                }
            }
        }
    }

    @Test func intelCapability() {
        let a: [Accessor<IntelVTdCapability>] = [
            ("ndoms", { n($0.ndoms) }), ("afl", { b($0.afl) }), ("rwbf", { b($0.rwbf) }), ("plmr", { b($0.plmr) }),
            ("phmr", { b($0.phmr) }), ("caching_mode", { b($0.cachingMode) }), ("sagaw", { n($0.sagaw) }),
            ("mgaw", { n($0.mgaw) }), ("zlr", { b($0.zlr) }), ("isoch", { b($0.isoch) }),
            ("fault_reg_offset", { n($0.faultRegOffset) }), ("super_page_val", { n($0.superPageVal) }),
            ("pgsel_inv", { b($0.pgselInv) }), ("num_fault_regs", { n($0.numFaultRegs) }),
            ("max_amask_val", { n($0.maxAmaskVal) }), ("write_drain", { b($0.writeDrain) }),
            ("read_drain", { b($0.readDrain) }), ("fl1gp", { b($0.fl1gp) }), ("pi", { b($0.pi) }),
            ("fl5lp", { b($0.fl5lp) }), ("ecmds", { b($0.ecmds) }), ("esirtps", { b($0.esirtps) }),
            ("esrtps", { b($0.esrtps) }),
        ]
        check(IntelVTdCapability.layout, a, make: IntelVTdCapability.init(rawValue:), seed: 1)
    }

    @Test func intelExtendedCapability() {
        let a: [Accessor<IntelVTdExtendedCapability>] = [
            ("coherent", { b($0.coherent) }), ("qis", { b($0.qis) }), ("dev_iotlb", { b($0.devIotlb) }),
            ("ir", { b($0.ir) }), ("eim", { b($0.eim) }), ("ch", { b($0.ch) }),
            ("pass_through", { b($0.passThrough) }), ("sc", { b($0.sc) }), ("iotlb_offset", { n($0.iotlbOffset) }),
            ("max_handle_mask", { n($0.maxHandleMask) }), ("ecs", { b($0.ecs) }), ("mts", { b($0.mts) }),
            ("nest", { b($0.nest) }), ("dis", { b($0.dis) }), ("broken_pasid", { b($0.brokenPasid) }),
            ("prs", { b($0.prs) }), ("ers", { b($0.ers) }), ("srs", { b($0.srs) }), ("pot", { b($0.pot) }),
            ("nwfs", { b($0.nwfs) }), ("eafs", { b($0.eafs) }), ("pss", { n($0.pss) }), ("pasid", { b($0.pasid) }),
            ("dit", { b($0.dit) }), ("pds", { b($0.pds) }), ("smts", { b($0.smts) }), ("vcs", { b($0.vcs) }),
            ("slads", { b($0.slads) }), ("slts", { b($0.slts) }), ("flts", { b($0.flts) }),
            ("smpwc", { b($0.smpwc) }), ("rps", { b($0.rps) }), ("tdxio", { b($0.tdxio) }), ("pms", { b($0.pms) }),
            ("adms", { b($0.adms) }), ("rprivs", { b($0.rprivs) }), ("hpts", { b($0.hpts) }),
            ("ptrs", { b($0.ptrs) }), ("pbds", { b($0.pbds) }),
        ]
        check(IntelVTdExtendedCapability.layout, a, make: IntelVTdExtendedCapability.init(rawValue:), seed: 2)
    }

    @Test func smmuIDR0() {
        let a: [Accessor<ARMSMMUv3IDR0>] = [
            ("s2p", { b($0.s2p) }), ("s1p", { b($0.s1p) }), ("ttf", { n($0.ttf) }), ("cohacc", { b($0.cohacc) }),
            ("btm", { b($0.btm) }), ("httu", { n($0.httu) }), ("dormhint", { b($0.dormhint) }),
            ("hyp", { b($0.hyp) }), ("ats", { b($0.ats) }), ("ns1ats", { b($0.ns1ats) }),
            ("asid16", { b($0.asid16) }), ("msi", { b($0.msi) }), ("sev", { b($0.sev) }), ("atos", { b($0.atos) }),
            ("pri", { b($0.pri) }), ("vmw", { b($0.vmw) }), ("vmid16", { b($0.vmid16) }), ("cd2l", { b($0.cd2l) }),
            ("vatos", { b($0.vatos) }), ("ttendian", { n($0.ttendian) }), ("atsrecerr", { b($0.atsrecerr) }),
            ("stall_model", { n($0.stallModel) }), ("term_model", { b($0.termModel) }),
            ("st_lvl", { n($0.stLvl) }), ("rme_impl", { b($0.rmeImpl) }),
        ]
        check(ARMSMMUv3IDR0.layout, a, make: { ARMSMMUv3IDR0(rawValue: UInt32(truncatingIfNeeded: $0)) }, seed: 3)
    }

    @Test func smmuIDR1to5() {
        let a1: [Accessor<ARMSMMUv3IDR1>] = [
            ("sidsize", { n($0.sidsize) }), ("ssidsize", { n($0.ssidsize) }), ("priqs", { n($0.priqs) }),
            ("evtqs", { n($0.evtqs) }), ("cmdqs", { n($0.cmdqs) }), ("attr_perms_ovr", { b($0.attrPermsOvr) }),
            ("attr_types_ovr", { b($0.attrTypesOvr) }), ("rel", { b($0.rel) }),
            ("queues_preset", { b($0.queuesPreset) }), ("tables_preset", { b($0.tablesPreset) }),
            ("ecmdq", { b($0.ecmdq) }),
        ]
        check(ARMSMMUv3IDR1.layout, a1, make: { ARMSMMUv3IDR1(rawValue: UInt32(truncatingIfNeeded: $0)) }, seed: 4)
        let a2: [Accessor<ARMSMMUv3IDR2>] = [("ba_vatos", { n($0.baVatos) })]
        check(ARMSMMUv3IDR2.layout, a2, make: { ARMSMMUv3IDR2(rawValue: UInt32(truncatingIfNeeded: $0)) }, seed: 5)
        let a3: [Accessor<ARMSMMUv3IDR3>] = [
            ("had", { b($0.had) }), ("pbha", { b($0.pbha) }), ("xnx", { b($0.xnx) }), ("pps", { b($0.pps) }),
            ("mpam", { b($0.mpam) }), ("fwb", { b($0.fwb) }), ("stt", { b($0.stt) }), ("ril", { b($0.ril) }),
            ("bbm", { n($0.bbm) }), ("e0pd", { b($0.e0pd) }), ("ptwnnc", { b($0.ptwnnc) }), ("dpt", { b($0.dpt) }),
        ]
        check(ARMSMMUv3IDR3.layout, a3, make: { ARMSMMUv3IDR3(rawValue: UInt32(truncatingIfNeeded: $0)) }, seed: 6)
        let a4: [Accessor<ARMSMMUv3IDR4>] = [("impl_def", { UInt64($0.implementationDefined) })]
        check(ARMSMMUv3IDR4.layout, a4, make: { ARMSMMUv3IDR4(rawValue: UInt32(truncatingIfNeeded: $0)) }, seed: 7)
        let a5: [Accessor<ARMSMMUv3IDR5>] = [
            ("oas", { n($0.oas) }), ("gran4k", { b($0.gran4k) }), ("gran16k", { b($0.gran16k) }),
            ("gran64k", { b($0.gran64k) }), ("ds", { b($0.ds) }), ("d128", { b($0.d128) }), ("vax", { n($0.vax) }),
            ("stall_max", { n($0.stallMax) }),
        ]
        check(ARMSMMUv3IDR5.layout, a5, make: { ARMSMMUv3IDR5(rawValue: UInt32(truncatingIfNeeded: $0)) }, seed: 8)
        let ai: [Accessor<ARMSMMUv3IIDR>] = [
            ("implementer", { n($0.implementer) }), ("revision", { n($0.revision) }),
            ("variant", { n($0.variant) }), ("productid", { n($0.productID) }),
        ]
        check(ARMSMMUv3IIDR.layout, ai, make: { ARMSMMUv3IIDR(rawValue: UInt32(truncatingIfNeeded: $0)) }, seed: 9)
        let aa: [Accessor<ARMSMMUv3AIDR>] = [
            ("arch_minor_rev", { n($0.archMinorRev) }), ("arch_major_rev", { n($0.archMajorRev) }),
        ]
        check(ARMSMMUv3AIDR.layout, aa, make: { ARMSMMUv3AIDR(rawValue: UInt32(truncatingIfNeeded: $0)) }, seed: 10)
    }

    @Test func amdRegisters() {
        let a: [Accessor<AMDExtendedFeatures>] = [
            ("prefetch", { b($0.prefetch) }), ("ppr", { b($0.ppr) }), ("x2apic", { b($0.x2apic) }),
            ("nx", { b($0.nx) }), ("gt", { b($0.gt) }), ("gappi_sup", { b($0.gappiSup) }), ("ia", { b($0.ia) }),
            ("ga", { b($0.ga) }), ("he", { b($0.he) }), ("pc", { b($0.pc) }), ("hats", { n($0.hats) }),
            ("gats", { n($0.gats) }), ("glx", { n($0.glx) }), ("smif_sup", { n($0.smifSup) }),
            ("smif_rc", { n($0.smifRC) }), ("gam_vapic", { b($0.gamVapic) }),
            ("dual_ppr_log_sup", { n($0.dualPprLogSup) }), ("dual_event_log_sup", { n($0.dualEventLogSup) }),
            ("sats_sup", { b($0.satsSup) }), ("pasmax", { n($0.pasmax) }), ("us_sup", { b($0.usSup) }),
            ("dev_tbl_seg_sup", { n($0.devTblSegSup) }), ("ppr_ovrflw_early_sup", { b($0.pprOvrflwEarlySup) }),
            ("ppr_auto_rsp_sup", { b($0.pprAutoRspSup) }), ("marc_sup", { n($0.marcSup) }),
            ("blk_stop_mrk_sup", { b($0.blkStopMrkSup) }), ("perf_opt_sup", { b($0.perfOptSup) }),
            ("msicapmmiosup", { b($0.msiCapMmioSup) }), ("giosup", { b($0.giosup) }), ("hasup", { b($0.hasup) }),
            ("ephsup", { b($0.ephsup) }), ("attr_fw_sup", { b($0.attrFwSup) }), ("hdsup", { b($0.hdsup) }),
            ("inv_iotlb_type_sup", { b($0.invIotlbTypeSup) }), ("viommu_sup", { b($0.viommuSup) }),
            ("vm_guard_io_sup", { b($0.vmGuardIOSup) }), ("vm_table_size", { n($0.vmTableSize) }),
            ("ga_update_dis_sup", { b($0.gaUpdateDisSup) }), ("force_phys_dest_sup", { b($0.forcePhysDestSup) }),
            ("snp", { b($0.snp) }),
        ]
        check(AMDExtendedFeatures.layout, a, make: AMDExtendedFeatures.init(rawValue:), seed: 11)
        let a2: [Accessor<AMDExtendedFeatures2>] = [
            ("sevsnpio_sup", { b($0.sevsnpioSup) }), ("gcr3trpmode", { b($0.gcr3trpmode) }),
            ("snpavicsup", { n($0.snpavicsup) }), ("num_int_remap_sup", { n($0.numIntRemapSup) }),
            ("ht_range_ignore", { b($0.htRangeIgnore) }),
        ]
        check(AMDExtendedFeatures2.layout, a2, make: AMDExtendedFeatures2.init(rawValue:), seed: 12)
    }
}
