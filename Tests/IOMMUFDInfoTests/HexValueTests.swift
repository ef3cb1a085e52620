@testable import IOMMUFDInfoCommand
import Testing

/// Hexadecimal parsing never traps and never wraps.
@Suite struct HexValueTests {
    @Test(arguments: [
        ("0", UInt64(0)), ("0x0", 0), ("00000000000000000000000000000", 0), ("0x29d3", 0x29d3), ("0X29D3", 0x29d3),
        ("29d3", 0x29d3), ("ffffffffffffffff", .max), ("0x0000490080f00f4a", 0x0000_4900_80f0_0f4a),
        ("0x00000000000000000000000000000001", 1), (" \t0x1\n", 1),
    ])
    func accepts(text: String, value: UInt64) {
        #expect(HexValue.parse(text) == .success(value))
    }

    @Test(arguments: ["10000000000000000", "0x1ffffffffffffffff", String(repeating: "f", count: 1000)])
    func refusesMoreThan64Bits(text: String) {
        #expect(HexValue.parse(text) == .failure(.overflow(bits: 64)))
    }

    @Test func widthIsJudgedBySignificantBits() {
        #expect(HexValue.parse("ffffffff", bits: 32) == .success(0xffff_ffff))
        #expect(HexValue.parse("0x00000000ffffffff", bits: 32) == .success(0xffff_ffff))
        #expect(HexValue.parse("100000000", bits: 32) == .failure(.overflow(bits: 32)))
        #expect(HexValue.parse("ffff", bits: 16) == .success(0xffff))
        #expect(HexValue.parse("1ffff", bits: 16) == .failure(.overflow(bits: 16)))
        #expect(HexValue.parse("ffffff", bits: 24) == .success(0xff_ffff))
        #expect(HexValue.parse("1ffffff", bits: 24) == .failure(.overflow(bits: 24)))
    }

    @Test(arguments: ["", "0x", "0X", "  ", "\n"])
    func refusesEmptyValues(text: String) {
        #expect(HexValue.parse(text) == .failure(.empty))
    }

    @Test(arguments: [("zz", Character("z")), ("0x12g4", "g"), ("-1", "-"), ("+1", "+"), ("0x 1", " "), ("1_000", "_"),
                      ("０", "０"), ("٣", "٣"), ("0xx1", "x"), ("1,2", ",")])
    func refusesOtherCharacters(text: String, character: Character) {
        #expect(HexValue.parse(text) == .failure(.notHexadecimal(character)))
    }
}
