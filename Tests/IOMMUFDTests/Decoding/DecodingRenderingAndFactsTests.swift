import Testing
@testable import IOMMUFD

@Suite("JSON and text forms")
struct DecoderRenderingTests {
    let vtd = IntelVTdDecoded(capReg: 0x00d2_008c_222f_0606, ecapReg: 0x0000_4900_80f0_0f4a, flags: 0x1)
    let smmu = ARMSMMUv3Decoded(idr0: 0x080F_7E3F, idr1: 0x0E73_9D18, idr2: 0, idr3: 0x3C, idr4: 0,
                                idr5: 0x0040_0075, iidr: 0x4832_243B, aidr: 1)
    let amd = AMDIOMMUDecoded(efr: 0x29d3, efr2: 0)

    @Test func intelJSONShape() {
        let json = vtd.json
        guard case .object(let members) = json else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["type", "flags", "cap", "ecap", "raw", "reserved_bits_set", "facts"])
        #expect(json["type"] == .string("intel-vtd"))
        #expect(json["cap"]?["sagaw"] == .uint(6))
        #expect(json["cap"]?["mgaw"] == .uint(48))
        #expect(json["cap"]?["ndoms"] == .uint(65536))
        #expect(json["cap"]?["num_fault_regs"] == .uint(1))
        #expect(json["cap"]?["fault_reg_offset"] == .uint(0x220))
        #expect(json["cap"]?["caching_mode"] == .bool(false))
        #expect(json["cap"]?["fl1gp"] == .bool(false))
        #expect(json["ecap"]?["pasid"] == .bool(true))
        #expect(json["ecap"]?["pss"] == .uint(0))
        #expect(json["ecap"]?["iotlb_offset"] == .uint(0xf0))
        #expect(json["ecap"]?["qis"] == .bool(true))
        #expect(json["flags"]?["errata_772415_spr17"] == .bool(true))
        #expect(json["raw"]?["cap"] == .string("0x00d2008c222f0606"))
        #expect(json["raw"]?["ecap"] == .string("0x0000490080f00f4a"))
        #expect(json["raw"]?["flags"] == .string("0x00000001"))
        #expect(json["reserved_bits_set"] == .object([]))
        #expect(json["user_space_may_rely"] == nil)
        #expect(json["facts"]?["pasid_bits"] == .int(1))
        #expect(json["facts"]?["second_stage"]?["page_table_levels"] == .array([.int(3), .int(4)]))
        // every field of the table appears, in table order
        if case .object(let cap)? = json["cap"] {
            #expect(cap.map(\.key) == IntelVTdCapability.layout.fields.map(\.name))
        } else {
            Issue.record("cap is not an object")
        }
    }

    @Test func smmuAndAMDJSONShapes() {
        let s = smmu.json
        #expect(s["type"] == .string("arm-smmuv3"))
        #expect(s["idr0"]?["st_lvl"] == .uint(1))
        #expect(s["idr1"]?["evtqs"] == .uint(19))
        #expect(s["idr3"]?["bbm"] == .uint(0))
        #expect(s["idr5"]?["oas"] == .uint(5))
        #expect(s["iidr"]?["implementer"] == .uint(0x43B))
        #expect(s["aidr"]?["arch_minor_rev"] == .uint(1))
        #expect(s["raw"]?["idr0"] == .string("0x080f7e3f"))
        guard case .array(let reliable)? = s["user_space_may_rely"] else {
            Issue.record("no user_space_may_rely list")
            return
        }
        #expect(reliable.contains(.string("idr0.st_lvl")) && reliable.contains(.string("idr5.vax")))
        #expect(!reliable.contains(.string("idr5.oas")) && !reliable.contains(.string("idr0.s1p")))

        let a = amd.json
        #expect(a["type"] == .string("amd"))
        #expect(a["efr"]?["gt"] == .bool(true))
        #expect(a["efr"]?["hats"] == .uint(2))
        #expect(a["efr2"]?["num_int_remap_sup"] == .uint(0))
        #expect(a["raw"]?["efr"] == .string("0x00000000000029d3"))
    }

    @Test func reservedBitsAppearInJSONAndText() {
        let d = IntelVTdDecoded(capReg: 1 << 38 | 1 << 14, ecapReg: 1 << 63, flags: 0x6)
        let expected = [
            ReservedBits(register: "flags", mask: 0x6),
            ReservedBits(register: "cap", mask: 1 << 38 | 1 << 14),
            ReservedBits(register: "ecap", mask: 1 << 63),
        ]
        #expect(d.reservedBitsSet == expected)
        #expect(d.cap.reservedBitsSet == 1 << 38 | 1 << 14)
        #expect(d.ecap.reservedBitsSet == 1 << 63)
        #expect(d.json["reserved_bits_set"]?["cap"] == .string("0x0000004000004000"))
        #expect(d.json["reserved_bits_set"]?["ecap"] == .string("0x8000000000000000"))
        #expect(d.description.contains("cap: 0x0000004000004000 (bits [14] [38])"))
        #expect(expected[0].runs == [RegisterBitRange(1...2)])
        #expect(expected[1].positions == [14, 38])
    }

    @Test func textListingIsGroupedAndAligned() {
        let text = vtd.description
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "Intel VT-d (IOMMU_HW_INFO_TYPE_INTEL_VTD)")
        #expect(lines.contains("\tcap    0x00d2008c222f0606  Capability Register (CAP_REG)"))
        #expect(lines.contains { $0.hasPrefix("\t\tFlags: AFL- RWBF- PLMR- PHMR- CM- ZLR- ISOCH- PSI+ DWD+ DRD+") })
        #expect(lines.contains { $0.contains("SAGAW") && $0.hasSuffix("[12:8]  0x06 (39-bit/3-level, 48-bit/4-level)") })
        #expect(lines.contains { $0.contains("mgaw") && $0.hasSuffix("48 bits") })
        #expect(lines.contains { $0.contains("fault_reg_offset") && $0.hasSuffix("0x220 bytes") })
        #expect(lines.contains("\tReserved/undefined bits set: none"))
        #expect(lines.contains("\t\tSecond stage:   yes; levels 3, 4; widths 39, 48 bits (max 48); pages 4K 2M 1G"))
        #expect(lines.contains("\t\tPASID:          1 bit"))
        // the bit-range column of multi-bit field lines starts at one column per register
        let capLines = lines.filter { $0.hasPrefix("\t\t") && $0.contains("[") && !$0.contains("Flags:") }
            .prefix(7)
        let columns = Set(capLines.map { $0.distance(from: $0.startIndex, to: $0.firstIndex(of: "[")!) })
        #expect(columns.count == 1)
        #expect(!text.contains("*"))

        let smmuText = smmu.description
        #expect(smmuText.contains("* = field the iommufd UAPI lets user space rely on"))
        #expect(smmuText.contains("ST_LEVEL*"))
        #expect(smmuText.contains("Flags: S2P+ S1P+ COHACC+ BTM+"))
        #expect(smmuText.contains("OAS        oas        [2:0]   5 (48-bit)"))
    }

    @Test(arguments: DecoderLayouts.all.map(\.name))
    func everyEncodingOfEveryFieldRenders(_ name: String) throws {
        let layout = try #require(DecoderLayouts.all.first { $0.name == name })
        for field in layout.fields {
            let limit = min(field.bits.maxValue, 4095)
            var samples = Array(0...limit)
            if field.bits.maxValue > limit { samples += [field.bits.maxValue, field.bits.maxValue >> 1] }
            for raw in samples {
                let text = field.displayString(forRaw: raw)
                if text.isEmpty { Issue.record("\(name).\(field.name) raw \(raw) renders empty") }
                let decoded = DecodedField(register: name, spec: field, raw: raw)
                if decoded.raw != raw || decoded.description.isEmpty { Issue.record("\(name).\(field.name)") }
            }
        }
    }

    @Test func displayValues() {
        let ttf = ARMSMMUv3IDR0.F.ttf
        #expect(ttf.displayString(forRaw: 0) == "0 (reserved)")
        #expect(ttf.displayString(forRaw: 2) == "2 (AArch64)")
        #expect(ARMSMMUv3IDR1.F.sidsize.displayString(forRaw: 16) == "16 bits")
        #expect(ARMSMMUv3IDR1.F.cmdqs.displayString(forRaw: 19) == "19 (524288 entries)")
        #expect(IntelVTdCapability.F.superPageVal.displayString(forRaw: 0) == "0x0 (none)")
        #expect(IntelVTdCapability.F.ndoms.displayString(forRaw: 7) == "262144")
        #expect(AMDExtendedFeatures.F.snp.displayString(forRaw: 1) == "+")
        #expect(DecodedTextFormat.sizes([4096, 8192, 16384, 1 << 21]) == "4K-16K 2M")
        #expect(DecodedTextFormat.sizes([1 << 30, 1 << 12, 1 << 21]) == "4K 2M 1G")
        #expect(DecodedTextFormat.size(3) == "3B")
        #expect(DecodedTextFormat.size(1 << 42) == "4T")
    }
}

@Suite("Derived facts")
struct DecoderFactsTests {
    @Test func qemuIntelScalableMode() {
        let f = IntelVTdDecoded(capReg: 0x00d2_008c_222f_0606, ecapReg: 0x0000_4900_80f0_0f4a, flags: 1).facts
        #expect(f.firstStage == IOMMUFacts.Stage(supported: false))
        #expect(f.secondStage.supported == true)
        #expect(f.secondStage.pageTableLevels == [3, 4])
        #expect(f.secondStage.addressWidths == [39, 48])
        #expect(f.secondStage.maxAddressWidth == 48)
        let sizes: [UInt64] = [1 << 12, 1 << 21, 1 << 30]
        #expect(f.secondStage.pageSizes == sizes)
        #expect(f.largePageSizes == Array(sizes.dropFirst()))
        #expect(f.pasidBits == 1)
        #expect(f.nesting == false && f.dirtyTracking == false && f.ats == false && f.pri == false)
        #expect(f.outputAddressWidth == nil)
    }

    @Test func qemuIntelFirstStage() {
        let f = IntelVTdDecoded(capReg: 0x01d2_008c_222f_0606, ecapReg: 0x0000_8900_00f0_0f4a).facts
        #expect(f.firstStage == IOMMUFacts.Stage(supported: true, pageTableLevels: [4], addressWidths: [48],
                                                 maxAddressWidth: 48, pageSizes: [1 << 12, 1 << 21, 1 << 30]))
        #expect(f.secondStage == IOMMUFacts.Stage(supported: false))
    }

    @Test func qemuIntelLegacyModeHasOnlyTheSecondStage() {
        let f = IntelVTdDecoded(capReg: 0x00d2_008c_222f_0606, ecapReg: 0xf0_0f4a).facts
        #expect(f.firstStage.supported == false && f.secondStage.supported == true)
        #expect(f.pasidBits == 0)
    }

    @Test func sapphireRapids() {
        let f = IntelVTdDecoded(capReg: 0x19ed_008c_4078_0c66, ecapReg: 0x0003_ee9e_86f0_50df).facts
        #expect(f.firstStage.supported == true && f.firstStage.pageTableLevels == [4, 5])
        #expect(f.firstStage.maxAddressWidth == 57)
        #expect(f.secondStage.pageTableLevels == [4, 5] && f.secondStage.addressWidths == [48, 57])
        #expect(f.secondStage.maxAddressWidth == 57)
        // This unit reports PSS = 19 but PASID (bit 40) clear, so Linux would
        // not use PASIDs on it (pasid_supported() needs ECAP.PASID).
        #expect(f.pasidBits == 0)
        #expect(f.nesting == true && f.dirtyTracking == true && f.ats == true && f.pri == false)
    }

    @Test func smmuAgilex() {
        let f = ARMSMMUv3Decoded(idr0: 0x080F_7E3F, idr1: 0x0E73_9D18, idr2: 0, idr3: 0x3C, idr4: 0,
                                 idr5: 0x0040_0075, iidr: 0x4832_243B, aidr: 1).facts
        #expect(f.outputAddressWidth == 48)
        #expect(f.firstStage.maxAddressWidth == 48 && f.firstStage.addressWidths == [48])
        let expectedSizes: [UInt64] = [1 << 12, 1 << 14, 1 << 16, 1 << 21, 1 << 25, 1 << 29, 1 << 30]
        #expect(f.firstStage.pageSizes == expectedSizes)
        #expect(f.secondStage.maxAddressWidth == 48)
        #expect(f.pasidBits == 20 && f.nesting == true && f.ats == true && f.pri == true)
        #expect(f.dirtyTracking == false)  // HTTU = 0
    }

    @Test func smmuAddressExtensions() {
        // OAS 52-bit, VAX 52-bit, HTTU access+dirty, COHACC, 64K granule only.
        let d = ARMSMMUv3Decoded(idr0: 0b10 << 6 | 1 << 4 | 1 << 1, idr1: 0, idr2: 0, idr3: 0, idr4: 0,
                                 idr5: 6 | 1 << 6 | 1 << 10, iidr: 0, aidr: 0)
        let f = d.facts
        #expect(f.outputAddressWidth == 52)
        #expect(f.firstStage.addressWidths == [48, 52] && f.firstStage.maxAddressWidth == 52)
        let sizes52: [UInt64] = [1 << 16, 1 << 29, 1 << 42]
        #expect(f.firstStage.pageSizes == sizes52)
        #expect(f.dirtyTracking == true && f.nesting == false)
        #expect(f.secondStage == IOMMUFacts.Stage(supported: false))
        let reserved = ARMSMMUv3Decoded(idr0: 0, idr1: 0, idr2: 0, idr3: 0, idr4: 0, idr5: 3 << 10, iidr: 0, aidr: 0)
        #expect(reserved.idr5.virtualAddressBits == nil && reserved.facts.firstStage.supported == false)
    }

    @Test func amdQEMUAndMilan() {
        let q = AMDIOMMUDecoded(efr: 0x29d3, efr2: 0).facts
        #expect(q.secondStage.supported == true && q.secondStage.pageTableLevels == [1, 2, 3, 4, 5, 6])
        #expect(q.secondStage.maxAddressWidth == 64)
        #expect(q.firstStage.supported == false)  // GT without GIoSup
        #expect(q.pasidBits == 1 && q.nesting == false && q.dirtyTracking == false && q.pri == true)
        #expect(q.ats == nil && q.outputAddressWidth == nil)

        let m = AMDIOMMUDecoded(efr: 0x841f_77e0_2209_4ace, efr2: 0).facts
        #expect(m.dirtyTracking == true && m.pasidBits == 0 && m.firstStage.supported == false)
        let sizes = m.secondStage.pageSizes ?? []
        #expect(sizes.count == 39 && !sizes.contains(1 << 39) && sizes.first == 4096 && sizes.last == 1 << 51)

        let g = AMDIOMMUDecoded(efr: 0xa5bf_732f_a229_5afe, efr2: 1 << 3).facts
        #expect(g.firstStage.supported == true && g.firstStage.pageTableLevels == [4, 5])
        #expect(g.pasidBits == 16 && g.nesting == true)
        let noHost = AMDIOMMUDecoded(efr: 3 << 10, efr2: 0).facts
        #expect(noHost.secondStage == IOMMUFacts.Stage(supported: false))
    }

    @Test func factsJSONUsesNullForUnknown() {
        let json = Tegra241CMDQVDecoded(version: 1, log2VCMDQs: 1, log2VSIDs: 4).facts.json
        #expect(json["nesting"] == .null && json["ats"] == .null)
        #expect(json["first_stage"]?["supported"] == .null)
    }
}
