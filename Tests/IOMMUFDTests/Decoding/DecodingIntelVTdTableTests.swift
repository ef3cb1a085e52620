import Testing
@testable import IOMMUFD

/// One real VT-d register pair with its source and its expected decode.
struct VTdSample: Sendable, CustomTestStringConvertible {
    let label: String
    /// Where the value comes from.
    let source: String
    let cap: UInt64
    let ecap: UInt64
    let flags: UInt32
    let expectedCap: RegisterExpectation
    let expectedEcap: RegisterExpectation
    /// The decode printed next to the value by the test bed's C probe (an
    /// independent decoder), when there is one.
    let probe: (cap: String, ecap: String)?

    var testDescription: String { label }
}

enum VTdSamples {
    /// The CAP_REG QEMU 10.0.2's intel-iommu reports with aw-bits=48 (all
    /// test-bed runs except x-flts).
    static let qemuCap = RegisterExpectation(
        ["pgsel_inv", "write_drain", "read_drain"],
        ["ndoms": 65536, "sagaw": 6, "mgaw": 48, "fault_reg_offset": 544, "super_page_val": 3,
         "num_fault_regs": 1, "max_amask_val": 18])

    static let all: [VTdSample] = [
        VTdSample(
            label: "QEMU 10.0.2 intel-iommu, scalable mode + PASID",
            source: "VM test bed serial log vm-testbed/logs/intel.log (-device intel-iommu,intremap=on,"
                + "x-scalable-mode=on,x-pasid-mode=on,aw-bits=48; GET_HW_INFO and dmesg)",
            cap: 0x00d2_008c_222f_0606, ecap: 0x0000_4900_80f0_0f4a, flags: 0x1,
            expectedCap: qemuCap,
            expectedEcap: RegisterExpectation(
                ["qis", "ir", "pass_through", "srs", "pasid", "smts", "slts"],
                ["iotlb_offset": 240, "max_handle_mask": 15, "pss": 0]),
            probe: ("ND=6 SAGAW=0x6 MGAW=48 FL1GP=0 FL5LP=0 PI=0 CM(caching mode)=0",
                    "C=0 QI=1 DT(devtlb)=0 IR=1 EIM=0 PT=1 SC=0 NEST=0 PRS=0 PASID=1 PSS=0 SMTS=1 "
                        + "SSADS(dirty)=0 FLTS=0 SLTS=1")),
        VTdSample(
            label: "QEMU 10.0.2 intel-iommu, x-flts=on",
            source: "VM test bed serial log vm-testbed/logs/intel-flts.log (intel.log's options + x-flts=on)",
            cap: 0x01d2_008c_222f_0606, ecap: 0x0000_8900_00f0_0f4a, flags: 0x1,
            expectedCap: RegisterExpectation(
                ["pgsel_inv", "write_drain", "read_drain", "fl1gp"], qemuCap.numbers),
            expectedEcap: RegisterExpectation(
                ["qis", "ir", "pass_through", "pasid", "smts", "flts"],
                ["iotlb_offset": 240, "max_handle_mask": 15, "pss": 0]),
            probe: ("ND=6 SAGAW=0x6 MGAW=48 FL1GP=1 FL5LP=0 PI=0 CM(caching mode)=0",
                    "C=0 QI=1 DT(devtlb)=0 IR=1 EIM=0 PT=1 SC=0 NEST=0 PRS=0 PASID=1 PSS=0 SMTS=1 "
                        + "SSADS(dirty)=0 FLTS=1 SLTS=0")),
        VTdSample(
            label: "QEMU 10.0.2 intel-iommu, device-iotlb=on",
            source: "VM test bed serial log vm-testbed/logs/intel-ats.log (-device intel-iommu,intremap=on,"
                + "x-scalable-mode=on,device-iotlb=on,aw-bits=48)",
            cap: 0x00d2_008c_222f_0606, ecap: 0x0000_4800_80f0_0f4e, flags: 0x1,
            expectedCap: qemuCap,
            expectedEcap: RegisterExpectation(
                ["qis", "dev_iotlb", "ir", "pass_through", "srs", "smts", "slts"],
                ["iotlb_offset": 240, "max_handle_mask": 15, "pss": 0]),
            probe: ("ND=6 SAGAW=0x6 MGAW=48 FL1GP=0 FL5LP=0 PI=0 CM(caching mode)=0",
                    "C=0 QI=1 DT(devtlb)=1 IR=1 EIM=0 PT=1 SC=0 NEST=0 PRS=0 PASID=0 PSS=0 SMTS=1 "
                        + "SSADS(dirty)=0 FLTS=0 SLTS=1")),
        VTdSample(
            label: "QEMU 10.0.2 intel-iommu, legacy mode",
            source: "VM test bed serial log vm-testbed/logs/intel-legacy.log (-device intel-iommu,intremap=on)",
            cap: 0x00d2_008c_222f_0606, ecap: 0x0000_0000_00f0_0f4a, flags: 0x1,
            expectedCap: qemuCap,
            expectedEcap: RegisterExpectation(
                ["qis", "ir", "pass_through"], ["iotlb_offset": 240, "max_handle_mask": 15, "pss": 0]),
            probe: ("ND=6 SAGAW=0x6 MGAW=48 FL1GP=0 FL5LP=0 PI=0 CM(caching mode)=0",
                    "C=0 QI=1 DT(devtlb)=0 IR=1 EIM=0 PT=1 SC=0 NEST=0 PRS=0 PASID=0 PSS=0 SMTS=0 "
                        + "SSADS(dirty)=0 FLTS=0 SLTS=0")),
        VTdSample(
            label: "QEMU 10.0.2 intel-iommu, intremap=off",
            source: "VM test bed serial log vm-testbed/logs/intel-nointremap.log (-device intel-iommu,"
                + "intremap=off,x-scalable-mode=on,x-pasid-mode=on,aw-bits=48)",
            cap: 0x00d2_008c_222f_0606, ecap: 0x0000_4900_8000_0f42, flags: 0x1,
            expectedCap: qemuCap,
            expectedEcap: RegisterExpectation(
                ["qis", "pass_through", "srs", "pasid", "smts", "slts"],
                ["iotlb_offset": 240, "max_handle_mask": 0, "pss": 0]),
            probe: ("ND=6 SAGAW=0x6 MGAW=48 FL1GP=0 FL5LP=0 PI=0 CM(caching mode)=0",
                    "C=0 QI=1 DT(devtlb)=0 IR=0 EIM=0 PT=1 SC=0 NEST=0 PRS=0 PASID=1 PSS=0 SMTS=1 "
                        + "SSADS(dirty)=0 FLTS=0 SLTS=1")),
        VTdSample(
            label: "Sapphire Rapids Xeon (Intel M50FCP board), VT-d 6.0",
            source: "https://github.com/intel/intel-device-plugins-for-kubernetes/issues/1836 "
                + "(dmesg: DMAR: dmar0: reg_base_addr d97fc000 ver 6:0 cap 19ed008c40780c66 ecap 3ee9e86f050df)",
            cap: 0x19ed_008c_4078_0c66, ecap: 0x0003_ee9e_86f0_50df, flags: 0,
            expectedCap: RegisterExpectation(
                ["plmr", "phmr", "zlr", "pgsel_inv", "write_drain", "read_drain", "fl1gp", "pi", "fl5lp"],
                ["ndoms": 65536, "sagaw": 12, "mgaw": 57, "fault_reg_offset": 1024, "super_page_val": 3,
                 "num_fault_regs": 1, "max_amask_val": 45]),
            expectedEcap: RegisterExpectation(
                ["coherent", "qis", "dev_iotlb", "ir", "eim", "pass_through", "sc", "mts", "nest", "srs",
                 "nwfs", "eafs", "dit", "pds", "smts", "slads", "slts", "flts", "smpwc", "rps"],
                ["iotlb_offset": 1280, "max_handle_mask": 15, "pss": 19]),
            probe: nil),
        VTdSample(
            label: "Xeon server, VT-d 1.0 legacy unit",
            source: "https://github.com/utcs-scea/LAKE/issues/10 "
                + "(dmesg: DMAR: dmar0: reg_base_addr d37fc000 ver 1:0 cap 8d2078c106f0466 ecap f020df)",
            cap: 0x08d2_078c_106f_0466, ecap: 0x0000_0000_00f0_20df, flags: 0,
            expectedCap: RegisterExpectation(
                ["plmr", "phmr", "zlr", "pgsel_inv", "write_drain", "read_drain", "pi"],
                ["ndoms": 65536, "sagaw": 4, "mgaw": 48, "fault_reg_offset": 256, "super_page_val": 3,
                 "num_fault_regs": 8, "max_amask_val": 18]),
            expectedEcap: RegisterExpectation(
                ["coherent", "qis", "dev_iotlb", "ir", "eim", "pass_through", "sc"],
                ["iotlb_offset": 512, "max_handle_mask": 15, "pss": 0]),
            probe: nil),
        VTdSample(
            label: "Gemini Lake (Synology DS920+) graphics VT-d unit, VT-d 2.x extended-context bits",
            source: "https://github.com/bb-qq/aqc111/issues/57 "
                + "(dmesg: DMAR: dmar0: reg_base_addr fed64000 ver 1:0 cap 1c0000c40660462 ecap 9e2ff0505e)",
            cap: 0x01c0_000c_4066_0462, ecap: 0x0000_009e_2ff0_505e, flags: 0,
            expectedCap: RegisterExpectation(
                ["plmr", "phmr", "zlr", "write_drain", "read_drain", "fl1gp"],
                ["ndoms": 256, "sagaw": 4, "mgaw": 39, "fault_reg_offset": 1024, "super_page_val": 3,
                 "num_fault_regs": 1, "max_amask_val": 0]),
            expectedEcap: RegisterExpectation(
                ["qis", "dev_iotlb", "ir", "eim", "pass_through", "ecs", "mts", "nest", "dis", "prs", "nwfs",
                 "eafs"],
                ["iotlb_offset": 1280, "max_handle_mask": 15, "pss": 19]),
            probe: nil),
    ]
}

@Suite("Intel VT-d: real register values, field by field")
struct IntelVTdDecodingTableTests {
    @Test(arguments: VTdSamples.all)
    func everyFieldMatches(_ sample: VTdSample) {
        #expect(!sample.source.isEmpty)
        let decoded = IntelVTdDecoded(capReg: sample.cap, ecapReg: sample.ecap, flags: sample.flags)
        expectDecodedFields(decoded, register: "cap", sample.expectedCap)
        expectDecodedFields(decoded, register: "ecap", sample.expectedEcap)
        expectDecodedFields(decoded, register: "flags",
                     RegisterExpectation(sample.flags & 1 != 0 ? ["errata_772415_spr17"] : []))
        #expect(decoded.reservedBitsSet.isEmpty)
    }

    @Test(arguments: VTdSamples.all.filter { $0.probe != nil })
    func agreesWithTheTestBedProbe(_ sample: VTdSample) throws {
        let probe = try #require(sample.probe)
        let cap = parseProbeKeyValues(probe.cap.replacing("CM(caching mode)", with: "CM"))
        let ecap = parseProbeKeyValues(probe.ecap)
        let d = IntelVTdDecoded(capReg: sample.cap, ecapReg: sample.ecap, flags: sample.flags)
        func bit(_ b: Bool) -> UInt64 { b ? 1 : 0 }
        #expect(cap["ND"] == IntelVTdCapability.F.ndoms.raw(in: sample.cap))
        #expect(cap["SAGAW"] == UInt64(d.cap.sagaw))
        #expect(cap["MGAW"] == UInt64(d.cap.mgaw))
        #expect(cap["FL1GP"] == bit(d.cap.fl1gp))
        #expect(cap["FL5LP"] == bit(d.cap.fl5lp))
        #expect(cap["PI"] == bit(d.cap.pi))
        #expect(cap["CM"] == bit(d.cap.cachingMode))
        #expect(ecap["C"] == bit(d.ecap.coherent))
        #expect(ecap["QI"] == bit(d.ecap.qis))
        #expect(ecap["DT(devtlb)"] == bit(d.ecap.devIotlb))
        #expect(ecap["IR"] == bit(d.ecap.ir))
        #expect(ecap["EIM"] == bit(d.ecap.eim))
        #expect(ecap["PT"] == bit(d.ecap.passThrough))
        #expect(ecap["SC"] == bit(d.ecap.sc))
        #expect(ecap["NEST"] == bit(d.ecap.nest))
        #expect(ecap["PRS"] == bit(d.ecap.prs))
        #expect(ecap["PASID"] == bit(d.ecap.pasid))
        #expect(ecap["PSS"] == UInt64(d.ecap.pss))
        #expect(ecap["SMTS"] == bit(d.ecap.smts))
        #expect(ecap["SSADS(dirty)"] == bit(d.ecap.slads))
        #expect(ecap["FLTS"] == bit(d.ecap.flts))
        #expect(ecap["SLTS"] == bit(d.ecap.slts))
    }

    @Test func typedPropertiesOfTheQEMUDefault() {
        let d = IntelVTdDecoded(capReg: 0x00d2_008c_222f_0606, ecapReg: 0x0000_4900_80f0_0f4a, flags: 1)
        #expect(d.flags.contains(.errata772415SPR17))
        #expect(d.cap.ndoms == 65536)
        #expect(d.cap.sagaw == 0x6)
        #expect(d.cap.secondStageLevels == [3, 4])
        #expect(d.cap.mgaw == 48)
        #expect(d.cap.numFaultRegs == 1)
        #expect(d.cap.faultRegOffset == 0x220)
        #expect(d.cap.superPageVal == 3)
        #expect(d.cap.cachingMode == false)
        #expect(d.cap.fl1gp == false && d.cap.fl5lp == false)
        #expect(d.ecap.iotlbOffset == 0xf0)
        #expect(d.ecap.pss == 0)
        #expect(d.ecap.pasid && d.ecap.smts && d.ecap.slts && !d.ecap.flts && !d.ecap.nest)
        #expect(d.ecap.qis && !d.ecap.devIotlb && !d.ecap.prs)
    }

    @Test func cachingModeIsBitSeven() {
        let d = IntelVTdDecoded(capReg: 0x80, ecapReg: 0)
        #expect(d.cap.cachingMode)
        #expect(d.field("cap", "caching_mode")?.value == .flag(true))
        #expect(d.json["cap"]?["caching_mode"] == .bool(true))
    }
}
