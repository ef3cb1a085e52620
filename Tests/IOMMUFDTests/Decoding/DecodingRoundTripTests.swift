import Testing
@testable import IOMMUFD

@Suite("Encode → decode round trips")
struct DecoderRoundTripTests {
    @Test(arguments: DecoderLayouts.all.map(\.name))
    func decodedFieldsEncodeBackToTheRegister(_ name: String) throws {
        let layout = try #require(DecoderLayouts.all.first { $0.name == name })
        var rng = DecoderTestRNG(seed: 0x5EED_0000 ^ UInt64(name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        for _ in 0..<2_000 {
            let value = rng.registerValue() & layout.widthMask
            let fields = layout.decode(value)
            let encoded = try #require(layout.encode(fields.map(\.value)), "\(name) \(hexString(value))")
            #expect(encoded == value & layout.definedMask, "\(name) \(hexString(value))")
            #expect(encoded | layout.undefinedBits(in: value) == value)
            // The same through the named form, as JSON readers would use it.
            let named = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.value) })
            #expect(layout.encode(named) == encoded)
        }
    }

    @Test func jsonValuesEncodeBackToTheRegisters() throws {
        var rng = DecoderTestRNG(seed: 42)
        for _ in 0..<500 {
            let d = IntelVTdDecoded(capReg: rng.next(), ecapReg: rng.next(), flags: UInt32(truncatingIfNeeded: rng.next()))
            for register in d.registers {
                guard case .object(let members)? = d.json[register.name] else {
                    Issue.record("no object for \(register.name)")
                    continue
                }
                var values: [String: DecodedFieldValue] = [:]
                for member in members {
                    switch member.value {
                    case .bool(let b): values[member.key] = .flag(b)
                    case .uint(let n): values[member.key] = .number(n)
                    default: Issue.record("unexpected JSON value for \(member.key)")
                    }
                }
                #expect(register.layout.encode(values) == register.value & register.layout.definedMask)
                #expect(d.json["raw"]?[register.name] == .string(register.hex))
            }
        }
    }

    @Test func chosenValuesRoundTrip() throws {
        let layout = IntelVTdCapability.layout
        let cap = try #require(layout.encode([
            "ndoms": .number(65536), "sagaw": .number(0b1100), "mgaw": .number(57), "caching_mode": .flag(true),
            "num_fault_regs": .number(8), "fault_reg_offset": .number(0x400), "fl5lp": .flag(true),
        ]))
        let d = IntelVTdCapability(rawValue: cap)
        #expect(d.ndoms == 65536 && d.sagaw == 0b1100 && d.mgaw == 57 && d.cachingMode)
        #expect(d.numFaultRegs == 8 && d.faultRegOffset == 0x400 && d.fl5lp && !d.fl1gp)
        #expect(d.secondStageLevels == [4, 5])
        #expect(d.reservedBitsSet == 0)

        let efr = try #require(AMDExtendedFeatures.layout.encode([
            "gt": .flag(true), "giosup": .flag(true), "pasmax": .number(15), "gats": .number(1), "glx": .number(1),
        ]))
        let a = AMDExtendedFeatures(rawValue: efr)
        #expect(a.gt && a.giosup && a.pasmax == 15 && a.gats == 1 && a.glx == 1 && !a.ppr)
    }

    @Test func valuesThatCannotBeEncodedAreRejected() {
        let cap = IntelVTdCapability.layout
        #expect(cap.encode(["ndoms": .number(1000)]) == nil)        // not a power of two
        #expect(cap.encode(["ndoms": .number(8)]) == nil)           // below 2^4
        #expect(cap.encode(["ndoms": .number(32)]) == nil)          // odd exponent
        #expect(cap.encode(["ndoms": .number(1 << 20)]) == nil)     // beyond ND=7
        #expect(cap.encode(["mgaw": .number(0)]) == nil)            // MGAW is field + 1
        #expect(cap.encode(["mgaw": .number(65)]) == nil)           // field overflows
        #expect(cap.encode(["fault_reg_offset": .number(17)]) == nil)  // not a multiple of 16
        #expect(cap.encode(["sagaw": .flag(true)]) == nil)          // wrong shape
        #expect(cap.encode(["caching_mode": .number(1)]) == nil)    // wrong shape
        #expect(cap.encode(["no_such_field": .flag(true)]) == nil)
        #expect(cap.encode([DecodedFieldValue]()) == nil)                   // wrong count
        #expect(cap.encode([String: DecodedFieldValue]()) == 0)
    }

    @Test func transformsInvertExactly() {
        let transforms: [RegisterFieldTransform] = [.plus(1), .times(16), .powerOfTwo(base: 4, step: 2),
                                            .powerOfTwo(base: 0, step: 1), .plus(0), .times(1)]
        for t in transforms {
            for raw in UInt64(0)..<64 {
                let value = t.apply(raw)
                if value != .max { #expect(t.invert(value) == raw, "\(t) \(raw)") }
            }
        }
        #expect(RegisterFieldTransform.powerOfTwo(base: 60, step: 2).apply(3) == .max)
        #expect(RegisterFieldTransform.plus(2).apply(.max) == .max)
        #expect(RegisterFieldTransform.times(16).apply(.max) == .max)
        #expect(RegisterFieldTransform.times(0).invert(0) == 0 && RegisterFieldTransform.times(0).invert(1) == nil)
        #expect(RegisterFieldTransform.powerOfTwo(base: 3, step: 0).invert(8) == 0)
        #expect(RegisterFieldTransform.powerOfTwo(base: 3, step: 0).invert(16) == nil)
    }
}
