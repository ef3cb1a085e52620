import Testing
@testable import IOMMUFD

/// A small, fast, seeded generator (DecoderTestRNG) so the random tests are
/// reproducible and cheap in debug builds.
struct DecoderTestRNG: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Random values biased towards the interesting cases: all-zero and
    /// all-one words, single bits, and uniformly random words.
    mutating func registerValue() -> UInt64 {
        let pick = next()
        switch pick & 7 {
        case 0: return 0
        case 1: return .max
        case 2: return UInt64(1) << (pick >> 58)
        case 3: return ~(UInt64(1) << (pick >> 58))
        default: return next()
        }
    }
}

/// Every field table in the library.
enum DecoderLayouts {
    static let all: [RegisterLayout] = [
        IntelVTdDecoded.flagsLayout, IntelVTdCapability.layout, IntelVTdExtendedCapability.layout,
        ARMSMMUv3IDR0.layout, ARMSMMUv3IDR1.layout, ARMSMMUv3IDR2.layout, ARMSMMUv3IDR3.layout,
        ARMSMMUv3IDR4.layout, ARMSMMUv3IDR5.layout, ARMSMMUv3IIDR.layout, ARMSMMUv3AIDR.layout,
        AMDExtendedFeatures.layout, AMDExtendedFeatures2.layout,
        Tegra241CMDQVDecoded.layout,
    ]
}

/// The expected decode of one register: the one-bit fields that are set
/// (every other one-bit field must be clear) and every multi-bit field's
/// value.
struct RegisterExpectation: Sendable {
    var setFlags: Set<String>
    var numbers: [String: UInt64]

    init(_ setFlags: Set<String>, _ numbers: [String: UInt64] = [:]) {
        self.setFlags = setFlags
        self.numbers = numbers
    }
}

/// Checks every field of `register` against `expected`, field by field.
func expectDecodedFields(_ decoded: some DecodedIOMMURegisters, register: String, _ expected: RegisterExpectation,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    guard let reg = decoded.registers.first(where: { $0.name == register }) else {
        Issue.record("no register \(register)", sourceLocation: sourceLocation)
        return
    }
    let names = Set(reg.layout.fields.map(\.name))
    for name in expected.setFlags.union(expected.numbers.keys) where !names.contains(name) {
        Issue.record("expectation names unknown field \(register).\(name)", sourceLocation: sourceLocation)
    }
    for field in reg.fields {
        switch field.kind {
        case .flag:
            #expect(field.value == .flag(expected.setFlags.contains(field.name)),
                    "\(register).\(field.name)", sourceLocation: sourceLocation)
        default:
            guard let number = expected.numbers[field.name] else {
                Issue.record("no expected value for \(register).\(field.name)", sourceLocation: sourceLocation)
                continue
            }
            #expect(field.value == .number(number), "\(register).\(field.name)", sourceLocation: sourceLocation)
        }
    }
}

/// Parses `KEY=value` pairs (decimal or 0x-hex) out of a log line.
func parseProbeKeyValues(_ line: String) -> [String: UInt64] {
    var result: [String: UInt64] = [:]
    for token in line.split(separator: " ") {
        let parts = token.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { continue }
        let text = String(parts[1])
        let value = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        if let value { result[String(parts[0])] = value }
    }
    return result
}
