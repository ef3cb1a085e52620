import ArgumentParser
import IOMMUFD

/// `iommufd-info decode vtd --cap HEX --ecap HEX [--flags HEX]`.
struct DecodeVTdCommand: ParsableCommand, InfoCommand {
    static let configuration = CommandConfiguration(
        commandName: "vtd",
        abstract: "Decode Intel VT-d capability registers (CAP_REG, ECAP_REG).",
        discussion: """
            The values are in /sys/class/iommu/dmarN/intel-iommu/cap and ecap, and in the kernel log \
            ("DMAR: dmar0: reg_base_addr fed90000 ver 1:0 cap d2008c222f0606 ecap 490080f00f4a").
            """)

    @Option(name: .long, help: ArgumentHelp("The capability register (CAP_REG), 64 bits.", valueName: "hex"))
    var cap: String

    @Option(name: .long, help: ArgumentHelp("The extended capability register (ECAP_REG), 64 bits.", valueName: "hex"))
    var ecap: String

    @Option(name: .long, help: ArgumentHelp(
        "The flags word of struct iommu_hw_info_vtd (bit 0: erratum 772415), 32 bits; default 0.", valueName: "hex"))
    var flags: String?

    @OptionGroup var common: CommonOptions

    func execute(in context: CommandContext) throws(CommandFailure) {
        let capReg = try HexValue.argument(cap, option: "--cap", register: "the VT-d capability register (CAP_REG)",
                                            example: "0x00d2008c222f0606")
        let ecapReg = try HexValue.argument(
            ecap, option: "--ecap", register: "the VT-d extended capability register (ECAP_REG)",
            example: "0x0000490080f00f4a")
        var flagsWord: UInt64 = 0
        if let flags {
            flagsWord = try HexValue.argument(flags, option: "--flags", register: "the iommu_hw_info_vtd flags word",
                                              bits: 32, example: "0x1")
        }
        let decoded = IntelVTdDecoded(capReg: capReg, ecapReg: ecapReg, flags: UInt32(truncatingIfNeeded: flagsWord))
        context.emit(text: decoded.description, json: decoded.json)
    }
}
