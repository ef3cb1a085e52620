import Testing
@testable import IOMMUFD

/// 100 000 random register values per decoder: decoding, the field list, the
/// reserved report, the facts and the JSON never trap, and keep their
/// invariants; the JSON is built for one value in 16 and the text for one
/// in 128.
@Suite("Random register values")
struct DecoderRandomValueTests {
    static let count = 100_000

    /// Invariants every decoder keeps for any input. The field list, the
    /// reserved report and the facts are checked for every value; the field
    /// values and the JSON for one value in 16 and the text for one in 128
    /// (rendering is the slow
    /// part in debug builds, and ``DecoderRenderingTests`` renders every encoding
    /// of every field exhaustively).
    func check(_ d: some DecodedIOMMURegisters, index: Int) -> Int {
        var work = 0
        let registers = d.registers
        let fields = d.fields
        if fields.count != registers.reduce(0, { $0 + $1.layout.fields.count }) { Issue.record("field count") }
        let reserved = d.reservedBitsSet
        for register in registers {
            let undefined = register.value & ~register.layout.definedMask
            let reported = reserved.first { $0.register == register.name }?.mask ?? 0
            if undefined != reported {
                Issue.record("\(register.name) reported \(reported) for undefined \(undefined)")
            }
        }
        let facts = d.facts
        if let bits = facts.pasidBits, bits > 32 { Issue.record("PASID width \(bits)") }
        for stage in [facts.firstStage, facts.secondStage] {
            if stage.supported == false, stage.pageSizes != nil { Issue.record("sizes of an absent stage") }
            if let sizes = stage.pageSizes, sizes.contains(where: { $0 & ($0 &- 1) != 0 || $0 < 4096 }) {
                Issue.record("odd page size")
            }
        }
        if index & 15 == 0 {
            for field in fields { if case .number(let n) = field.value { work &+= Int(truncatingIfNeeded: n & 1) } }
            let json = d.json
            if case .object(let members) = json { work += members.count } else { Issue.record("JSON not an object") }
            if index & 127 == 0 {
                work += d.description.count + json.encoded().count
            }
        }
        return work + fields.count
    }

    @Test func intelVTd() {
        var rng = DecoderTestRNG(seed: 0x1_0000)
        var work = 0
        for i in 0..<Self.count {
            let d = IntelVTdDecoded(capReg: rng.registerValue(), ecapReg: rng.registerValue(),
                                    flags: UInt32(truncatingIfNeeded: rng.registerValue()))
            work &+= check(d, index: i)
            let f = d.facts
            if f.dirtyTracking == true && !(d.ecap.smts && d.ecap.slads) { Issue.record("dirty without SSADS") }
            if d.cap.mgaw < 1 || d.cap.mgaw > 64 { Issue.record("mgaw \(d.cap.mgaw)") }
            if d.cap.ndoms < 16 || d.cap.ndoms > 1 << 18 { Issue.record("ndoms \(d.cap.ndoms)") }
        }
        withExtendedLifetime(work) {}   // keeps the renderings computed; the checks are the Issue.records
    }

    @Test func armSMMUv3() throws {
        var rng = DecoderTestRNG(seed: 0x2_0000)
        var work = 0
        for i in 0..<Self.count {
            var idr: [UInt32] = []
            for _ in 0..<6 { idr.append(UInt32(truncatingIfNeeded: rng.registerValue())) }
            let d = try #require(ARMSMMUv3Decoded(idr: idr, iidr: UInt32(truncatingIfNeeded: rng.next()),
                                                  aidr: UInt32(truncatingIfNeeded: rng.registerValue())))
            work &+= check(d, index: i)
            if ![32, 36, 40, 42, 44, 48, 52, 56].contains(d.idr5.outputAddressBits) { Issue.record("OAS") }
        }
        withExtendedLifetime(work) {}   // keeps the renderings computed; the checks are the Issue.records
    }

    @Test func amd() {
        var rng = DecoderTestRNG(seed: 0x3_0000)
        var work = 0
        for i in 0..<Self.count {
            let d = AMDIOMMUDecoded(efr: rng.registerValue(), efr2: rng.registerValue())
            work &+= check(d, index: i)
            if let max = d.facts.secondStage.maxAddressWidth, max > 64 { Issue.record("host width \(max)") }
        }
        withExtendedLifetime(work) {}   // keeps the renderings computed; the checks are the Issue.records
    }

    @Test func tegra241CMDQV() {
        var rng = DecoderTestRNG(seed: 0x4_0000)
        var work = 0
        for i in 0..<Self.count {
            let r = rng.next()
            let d = Tegra241CMDQVDecoded(version: UInt8(truncatingIfNeeded: r), log2VCMDQs: UInt8(truncatingIfNeeded: r >> 8),
                                         log2VSIDs: UInt8(truncatingIfNeeded: r >> 16))
            work &+= check(d, index: i)
        }
        withExtendedLifetime(work) {}   // keeps the renderings computed; the checks are the Issue.records
    }

    @Test func bitRangeHelpersNeverTrap() {
        var rng = DecoderTestRNG(seed: 7)
        for _ in 0..<10_000 {
            let r = rng.next()
            let range = RegisterBitRange(low: Int(truncatingIfNeeded: Int8(truncatingIfNeeded: r)),
                                 high: Int(truncatingIfNeeded: Int8(truncatingIfNeeded: r >> 8)))
            if !(range.low >= 0 && range.high <= 63 && range.low <= range.high) { Issue.record("\(range)") }
            let v = rng.registerValue()
            if range.insert(range.extract(from: v), into: v) != v { Issue.record("insert/extract \(range)") }
            if RegisterBitRange.runs(in: v).reduce(0, { $0 | $1.mask }) != v { Issue.record("runs of \(v)") }
            if RegisterBitRange.positions(in: v).count != v.nonzeroBitCount { Issue.record("positions of \(v)") }
        }
        #expect(RegisterBitRange(0...63).mask == .max)
        #expect(RegisterBitRange(0...63).maxValue == .max)
    }
}
