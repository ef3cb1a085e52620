import ArgumentParser
import IOMMUFD

/// `iommufd-info decode smmuv3 --idr H0,H1,H2,H3,H4,H5 [--iidr HEX] [--aidr HEX]`.
struct DecodeSMMUv3Command: ParsableCommand, InfoCommand {
    static let configuration = CommandConfiguration(
        commandName: "smmuv3",
        abstract: "Decode ARM SMMUv3 identification registers (SMMU_IDR0-5, SMMU_IIDR, SMMU_AIDR).")

    @Option(name: .long, help: ArgumentHelp(
        "SMMU_IDR0 to SMMU_IDR5, six 32-bit values separated by commas.", valueName: "h0,h1,h2,h3,h4,h5"))
    var idr: String

    @Option(name: .long, help: ArgumentHelp("SMMU_IIDR (implementer and revision), 32 bits; default 0.", valueName: "hex"))
    var iidr: String?

    @Option(name: .long, help: ArgumentHelp("SMMU_AIDR (architecture version), 32 bits; default 0.", valueName: "hex"))
    var aidr: String?

    @OptionGroup var common: CommonOptions

    func execute(in context: CommandContext) throws(CommandFailure) {
        let words = try Self.parseIDRs(idr)
        let iidrValue = try iidr.map { (text) throws(CommandFailure) in
            try HexValue.argument(text, option: "--iidr", register: "SMMU_IIDR", bits: 32, example: "0x4832243b")
        } ?? 0
        let aidrValue = try aidr.map { (text) throws(CommandFailure) in
            try HexValue.argument(text, option: "--aidr", register: "SMMU_AIDR", bits: 32, example: "0x1")
        } ?? 0
        let decoded = ARMSMMUv3Decoded(
            idr0: words[0], idr1: words[1], idr2: words[2], idr3: words[3], idr4: words[4], idr5: words[5],
            iidr: UInt32(truncatingIfNeeded: iidrValue), aidr: UInt32(truncatingIfNeeded: aidrValue))
        context.emit(text: decoded.description, json: decoded.json)
    }

    /// Parses `H0,H1,H2,H3,H4,H5`: exactly six 32-bit hexadecimal values.
    static func parseIDRs(_ text: String) throws(CommandFailure) -> [UInt32] {
        let input = "--idr \(quotedArgument(text))"
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6 else {
            throw .usage(input, "expected six values (SMMU_IDR0 to SMMU_IDR5), got \(parts.count)",
                         "separate the six 32-bit hexadecimal values with commas, e.g. "
                             + "--idr 0x0d40101a,0x02730010,0,0x404,0,0x54")
        }
        var words: [UInt32] = []
        for (index, part) in parts.enumerated() {
            switch HexValue.parse(part, bits: 32) {
            case .success(let value):
                words.append(UInt32(truncatingIfNeeded: value))
            case .failure(.empty):
                throw .usage(input, "SMMU_IDR\(index) is empty", "give six 32-bit hexadecimal values separated by commas")
            case .failure(.notHexadecimal(let character)):
                throw .usage(input, "SMMU_IDR\(index) \(quotedArgument(part)) is not a hexadecimal number "
                                 + "('\(character)' is not a hex digit)",
                             "give six 32-bit hexadecimal values separated by commas, with or without 0x")
            case .failure(.overflow):
                throw .usage(input, "SMMU_IDR\(index) \(quotedArgument(part)) overflows 32 bits",
                             "SMMU_IDR registers are 32 bits wide: give at most 8 significant hex digits")
            }
        }
        return words
    }
}
