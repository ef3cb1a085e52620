import Testing
@testable import IOMMUFD

@Suite("Field tables: every bit belongs to exactly one field or the reserved list")
struct DecoderLayoutPropertyTests {
    @Test(arguments: DecoderLayouts.all.map(\.name))
    func everyBitIsOwnedExactlyOnce(_ name: String) throws {
        let layout = try #require(DecoderLayouts.all.first { $0.name == name })
        for bit in 0..<layout.width {
            let mask = UInt64(1) << UInt64(bit)
            let owners = layout.fields.filter { $0.bits.mask & mask != 0 }.map(\.name)
                + layout.reserved.filter { $0.bits.mask & mask != 0 }.map { "reserved(\($0.note))" }
            #expect(owners.count == 1, "\(name) bit \(bit) owned by \(owners)")
        }
        #expect((layout.definedMask | layout.reservedMask) == layout.widthMask)
        #expect(layout.definedMask & layout.reservedMask == 0)
        for field in layout.fields {
            #expect(field.bits.high < layout.width, "\(name).\(field.name) beyond the register")
        }
        for range in layout.reserved {
            #expect(range.bits.high < layout.width, "\(name) reserved range beyond the register")
        }
    }

    @Test(arguments: DecoderLayouts.all.map(\.name))
    func fieldsAreWellFormed(_ name: String) throws {
        let layout = try #require(DecoderLayouts.all.first { $0.name == name })
        #expect(Set(layout.fields.map(\.name)).count == layout.fields.count, "duplicate keys in \(name)")
        #expect(zip(layout.fields, layout.fields.dropFirst()).allSatisfy { $0.bits.high < $1.bits.low },
                "\(name) fields out of bit order")
        for field in layout.fields {
            #expect(!field.summary.isEmpty && !field.specName.isEmpty)
            #expect(field.name == field.name.lowercased() && !field.name.contains(" "), "\(field.name)")
            switch field.kind {
            case .flag: #expect(field.bits.width == 1, "\(name).\(field.name) flag wider than a bit")
            default: #expect(field.bits.width > 1, "\(name).\(field.name) one-bit number")
            }
        }
    }

    @Test func registerNamesAreUniquePerVendor() {
        let vendors: [[DecodedRegister]] = [
            IntelVTdDecoded(capReg: 0, ecapReg: 0).registers,
            ARMSMMUv3Decoded(idr0: 0, idr1: 0, idr2: 0, idr3: 0, idr4: 0, idr5: 0, iidr: 0, aidr: 0).registers,
            AMDIOMMUDecoded(efr: 0, efr2: 0).registers,
            Tegra241CMDQVDecoded(version: 0, log2VCMDQs: 0, log2VSIDs: 0).registers,
        ]
        for registers in vendors {
            let names = registers.map(\.name)
            #expect(Set(names).count == names.count)
            #expect(!names.contains("type") && !names.contains("raw") && !names.contains("facts"))
        }
    }

    @Test func intelNamesFollowTheLinuxHelpers() {
        // The names the issue lists, from the Linux cap_*/ecap_* helpers.
        let cap = Set(IntelVTdCapability.layout.fields.map(\.name))
        let ecap = Set(IntelVTdExtendedCapability.layout.fields.map(\.name))
        for name in ["sagaw", "mgaw", "ndoms", "fl1gp", "fl5lp", "caching_mode", "num_fault_regs",
                     "fault_reg_offset", "pi", "esrtps", "esirtps", "ecmds", "read_drain", "write_drain",
                     "max_amask_val", "pgsel_inv", "super_page_val", "zlr", "isoch", "phmr", "plmr", "rwbf",
                     "afl"] {
            #expect(cap.contains(name), "cap.\(name)")
        }
        for name in ["pasid", "pss", "nest", "slads", "smts", "flts", "slts", "dit", "prs", "qis", "pms", "rps",
                     "smpwc", "pds", "eafs", "nwfs", "srs", "ers", "broken_pasid", "dis", "mts", "iotlb_offset",
                     "coherent", "pass_through", "eim", "ir", "dev_iotlb", "max_handle_mask", "sc"] {
            #expect(ecap.contains(name), "ecap.\(name)")
        }
    }
}
