import ArgumentParser

/// `iommufd-info`: the command tree. Parsing only; each leaf runs through
/// ``InfoCommand/execute(in:)``.
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iommufd-info",
        abstract: "Show what iommufd offers this host's VFIO devices.",
        discussion: """
            DEVICE is /dev/vfio/devices/vfioN, vfioN, or a PCI address with or without the domain \
            (0000:00:03.0, 00:03.0). `list` works without root; `show` and `probe` need access to \
            /dev/iommu and the device node.

            Exit status: 0 success; 1 runtime failure (device, iommufd node or kernel refused); \
            64 usage error (malformed arguments, bad hexadecimal, a value too wide for its register).
            """,
        subcommands: [ListCommand.self, ShowCommand.self, ProbeCommand.self, DecodeCommand.self],
        defaultSubcommand: ListCommand.self)
}
