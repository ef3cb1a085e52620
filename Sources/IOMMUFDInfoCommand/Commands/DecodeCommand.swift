import ArgumentParser

/// `iommufd-info decode`: the group of offline register decoders.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode IOMMU registers copied from dmesg or sysfs; no device or root needed.",
        discussion: "Values are hexadecimal, with or without 0x.",
        subcommands: [DecodeVTdCommand.self, DecodeSMMUv3Command.self, DecodeAMDCommand.self])

    /// Reached when no register kind follows `decode`.
    func run() throws {
        throw ValidationError("Missing the register kind after 'decode': vtd, smmuv3 or amd")
    }
}
