import ArgumentParser
import IOMMUFD

/// `iommufd-info decode amd --efr HEX [--efr2 HEX]`.
struct DecodeAMDCommand: ParsableCommand, InfoCommand {
    static let configuration = CommandConfiguration(
        commandName: "amd",
        abstract: "Decode AMD IOMMU extended feature registers (EFR, EFR2).",
        discussion: """
            The values are in /sys/class/iommu/ivhdN/amd-iommu/features (EFR:EFR2) and in the kernel log \
            ("AMD-Vi: Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE").
            """)

    @Option(name: .long, help: ArgumentHelp("The Extended Feature Register, 64 bits.", valueName: "hex"))
    var efr: String

    @Option(name: .long, help: ArgumentHelp("The Extended Feature 2 Register, 64 bits; default 0.", valueName: "hex"))
    var efr2: String?

    @OptionGroup var common: CommonOptions

    func execute(in context: CommandContext) throws(CommandFailure) {
        let efrValue = try HexValue.argument(efr, option: "--efr", register: "the AMD Extended Feature Register",
                                               example: "0x29d3")
        var efr2Value: UInt64 = 0
        if let efr2 {
            efr2Value = try HexValue.argument(efr2, option: "--efr2", register: "the AMD Extended Feature 2 Register",
                                              example: "0x0")
        }
        let decoded = AMDIOMMUDecoded(efr: efrValue, efr2: efr2Value)
        context.emit(text: decoded.description, json: decoded.json)
    }
}
