/// Parsing of register values people copy from dmesg or sysfs: hexadecimal
/// with or without `0x`, never trapping and never wrapping around.
enum HexValue {
    /// Why a text is not a register value.
    enum ParseError: Error, Equatable {
        /// Nothing (or only `0x`) was given.
        case empty
        /// A character that is not a hexadecimal digit.
        case notHexadecimal(Character)
        /// More significant bits than the register has.
        case overflow(bits: Int)
    }

    /// Parses `text` as a value of at most `bits` bits (1 to 64).
    ///
    /// Surrounding blanks are ignored, as is a `0x`/`0X` prefix; leading
    /// zeros are allowed (`0x0000490080f00f4a`), so a value's width is
    /// judged by its significant digits only.
    static func parse(_ text: String, bits: Int = 64) -> Result<UInt64, ParseError> {
        var digits = Substring(trimmed(text))
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty else { return .failure(.empty) }
        var value: UInt64 = 0
        var significantBits = 0
        for character in digits {
            guard let digit = character.hexDigitValue, character.isASCII else {
                return .failure(.notHexadecimal(character))
            }
            if significantBits == 0 {
                if digit == 0 { continue }
                significantBits = UInt64(digit).bitWidth - UInt64(digit).leadingZeroBitCount
            } else {
                significantBits += 4
            }
            if significantBits > bits || significantBits > 64 { return .failure(.overflow(bits: bits)) }
            value = value << 4 | UInt64(digit)
        }
        return .success(value)
    }

    /// Parses the value of a command-line option, or throws the usage error
    /// that names the option, the register and the expected form.
    ///
    /// - Parameters:
    ///   - text: What was typed.
    ///   - option: The option, e.g. `--cap`.
    ///   - register: What the value is, e.g. "the VT-d capability register".
    ///   - bits: The register's width.
    ///   - example: A typical value, shown in the message.
    static func argument(
        _ text: String, option: String, register: String, bits: Int = 64, example: String
    ) throws(CommandFailure) -> UInt64 {
        switch parse(text, bits: bits) {
        case .success(let value):
            return value
        case .failure(.empty):
            throw .usage("\(option) \(quotedArgument(text))", "no value given",
                         "give \(register) in hexadecimal, with or without 0x (e.g. \(example))")
        case .failure(.notHexadecimal(let character)):
            throw .usage("\(option) \(quotedArgument(text))",
                         "not a hexadecimal number ('\(character)' is not a hex digit)",
                         "give \(register) in hexadecimal, with or without 0x (e.g. \(example))")
        case .failure(.overflow(let bits)):
            throw .usage("\(option) \(quotedArgument(text))", "the value overflows \(bits) bits",
                         "\(register) is \(bits) bits wide: give at most \(bits / 4) significant hex digits")
        }
    }
}
