import Testing
@testable import IOMMUFD

/// One SMMUv3 register set with its source and expected decode.
struct SMMUSample: Sendable, CustomTestStringConvertible {
    let label: String
    let source: String
    let idr: [UInt32]
    let iidr: UInt32
    let aidr: UInt32
    let expected: [String: RegisterExpectation]

    var testDescription: String { label }
}

enum SMMUSamples {
    static let all: [SMMUSample] = [
        SMMUSample(
            label: "Arm MMU-600 TCU in the Intel Agilex 5 HPS (documented reset values)",
            source: "https://www.intel.com/content/www/us/en/programmable/hps/agilex5-es/topics/"
                + "addressblock_smmu_tcu_summary.html (SMMU_IDR0 0x080F7E3F, IDR1 0x0E739D18, IDR2 0, "
                + "IDR3 0x3C, IDR5 0x00400075, IIDR 0x4832243B, AIDR 0x1; IDR4 is not listed, 0 used)",
            idr: [0x080F_7E3F, 0x0E73_9D18, 0, 0x0000_003C, 0, 0x0040_0075], iidr: 0x4832_243B, aidr: 0x1,
            expected: [
                "idr0": RegisterExpectation(
                    ["s2p", "s1p", "cohacc", "btm", "hyp", "ats", "ns1ats", "asid16", "msi", "sev", "pri", "vmw",
                     "vmid16", "cd2l"],
                    ["ttf": 3, "httu": 0, "ttendian": 0, "stall_model": 0, "st_lvl": 1]),
                "idr1": RegisterExpectation(
                    ["attr_perms_ovr", "attr_types_ovr"],
                    ["sidsize": 24, "ssidsize": 20, "priqs": 19, "evtqs": 19, "cmdqs": 19]),
                "idr2": RegisterExpectation([], ["ba_vatos": 0]),
                "idr3": RegisterExpectation(["had", "pbha", "xnx", "pps"], ["bbm": 0]),
                "idr4": RegisterExpectation([], ["impl_def": 0]),
                "idr5": RegisterExpectation(["gran4k", "gran16k", "gran64k"],
                                            ["oas": 5, "vax": 0, "stall_max": 64]),
                "iidr": RegisterExpectation([], ["implementer": 0x43B, "revision": 2, "variant": 2,
                                                 "productid": 0x483]),
                "aidr": RegisterExpectation([], ["arch_minor_rev": 1, "arch_major_rev": 0]),
            ]),
        SMMUSample(
            label: "QEMU emulated SMMUv3 (arm-smmuv3, stage 1), as initialised by smmuv3_init_regs()",
            source: "qemu/qemu hw/arm/smmuv3.c @017a913af4dff47ac5e62be613b9f8b88fc8fa96, smmuv3_init_regs(): "
                + "S1P, TTF=2, COHACC, ASID16, TTENDIAN=2, STALL_MODEL=1, TERM_MODEL, STLEVEL=1; SIDSIZE=16, "
                + "EVENTQS=CMDQS=19; RIL, HAD; GRAN4K, GRAN64K, OAS=4; AIDR=1 (computed from the source)",
            idr: [0x0D40_101A, 0x0273_0010, 0, 0x0000_0404, 0, 0x0000_0054], iidr: 0, aidr: 0x1,
            expected: [
                "idr0": RegisterExpectation(["s1p", "cohacc", "asid16", "term_model"],
                                            ["ttf": 2, "httu": 0, "ttendian": 2, "stall_model": 1, "st_lvl": 1]),
                "idr1": RegisterExpectation([], ["sidsize": 16, "ssidsize": 0, "priqs": 0, "evtqs": 19,
                                                 "cmdqs": 19]),
                "idr2": RegisterExpectation([], ["ba_vatos": 0]),
                "idr3": RegisterExpectation(["had", "ril"], ["bbm": 0]),
                "idr4": RegisterExpectation([], ["impl_def": 0]),
                "idr5": RegisterExpectation(["gran4k", "gran64k"], ["oas": 4, "vax": 0, "stall_max": 0]),
                "iidr": RegisterExpectation([], ["implementer": 0, "revision": 0, "variant": 0, "productid": 0]),
                "aidr": RegisterExpectation([], ["arch_minor_rev": 1, "arch_major_rev": 0]),
            ]),
    ]
}

@Suite("ARM SMMUv3: real register values, field by field")
struct ARMSMMUv3DecodingTableTests {
    @Test(arguments: SMMUSamples.all)
    func everyFieldMatches(_ sample: SMMUSample) throws {
        #expect(!sample.source.isEmpty)
        let decoded = try #require(ARMSMMUv3Decoded(idr: sample.idr, iidr: sample.iidr, aidr: sample.aidr))
        #expect(decoded.registers.map(\.name) == ["idr0", "idr1", "idr2", "idr3", "idr4", "idr5", "iidr", "aidr"])
        for (register, expectation) in sample.expected {
            expectDecodedFields(decoded, register: register, expectation)
        }
        #expect(sample.expected.count == decoded.registers.count)
        #expect(decoded.reservedBitsSet.isEmpty)
        #expect(decoded.idr == sample.idr)
    }

    @Test func failableInitNeedsSixWords() {
        #expect(ARMSMMUv3Decoded(idr: [], iidr: 0, aidr: 0) == nil)
        #expect(ARMSMMUv3Decoded(idr: [1, 2, 3, 4, 5], iidr: 0, aidr: 0) == nil)
        #expect(ARMSMMUv3Decoded(idr: [1, 2, 3, 4, 5, 6, 7], iidr: 0, aidr: 0) == nil)
        let named = ARMSMMUv3Decoded(idr0: 1, idr1: 2, idr2: 3, idr3: 4, idr4: 5, idr5: 6, iidr: 7, aidr: 8)
        #expect(ARMSMMUv3Decoded(idr: [1, 2, 3, 4, 5, 6], iidr: 7, aidr: 8) == named)
    }

    @Test func typedPropertiesOfTheAgilexValues() {
        let d = ARMSMMUv3Decoded(idr0: 0x080F_7E3F, idr1: 0x0E73_9D18, idr2: 0, idr3: 0x3C, idr4: 0,
                                 idr5: 0x0040_0075, iidr: 0x4832_243B, aidr: 1)
        #expect(d.idr0.stLvl == 1 && d.idr0.ttf == 3 && d.idr0.s1p && d.idr0.s2p && d.idr0.ats && d.idr0.pri)
        #expect(d.idr1.sidsize == 24 && d.idr1.ssidsize == 20 && d.idr1.cmdqs == 19 && d.idr1.evtqs == 19)
        #expect(d.idr3.had && d.idr3.pps && !d.idr3.ril && d.idr3.bbm == 0)
        #expect(d.idr5.oas == 5 && d.idr5.outputAddressBits == 48 && d.idr5.virtualAddressBits == 48)
        #expect(d.idr5.stallMax == 64)
        #expect(d.iidr.implementer == 0x43B && d.iidr.productID == 0x483)
        #expect(d.aidr.versionString == "SMMUv3.1")
        #expect(d.title.hasSuffix("SMMUv3.1"))
    }

    @Test func uapiListMatchesTheHeader() {
        // include/uapi/linux/iommufd.h, struct iommu_hw_info_arm_smmuv3:
        // idr[0]: ST_LEVEL, TERM_MODEL, STALL_MODEL, TTENDIAN, CD2L, ASID16, TTF
        // idr[1]: SIDSIZE, SSIDSIZE; idr[3]: BBML, RIL; idr[5]: VAX, GRAN64K, GRAN16K, GRAN4K
        let listed: [String: Set<String>] = [
            "idr0": ["ST_LEVEL", "TERM_MODEL", "STALL_MODEL", "TTENDIAN", "CD2L", "ASID16", "TTF"],
            "idr1": ["SIDSIZE", "SSIDSIZE"], "idr2": [], "idr3": ["BBML", "RIL"], "idr4": [],
            "idr5": ["VAX", "GRAN64K", "GRAN16K", "GRAN4K"],
        ]
        let layouts = [ARMSMMUv3IDR0.layout, ARMSMMUv3IDR1.layout, ARMSMMUv3IDR2.layout, ARMSMMUv3IDR3.layout,
                       ARMSMMUv3IDR4.layout, ARMSMMUv3IDR5.layout]
        for layout in layouts {
            let reliable = Set(layout.fields.filter(\.userSpaceMayRely).map(\.specName))
            #expect(reliable == listed[layout.name], "\(layout.name)")
        }
    }
}
