import ArgumentParser

/// The options every command takes.
struct CommonOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON with stable keys (see Docs/iommufd-info.md) instead of text.")
    var json = false

    @Option(name: .customLong("iommufd"), help: ArgumentHelp(
        "The iommufd node to use instead of /dev/iommu.", valueName: "path"))
    var iommufdPath: String?

    @Flag(name: [.customShort("v"), .long],
          help: "Print the steps taken and the autodomain policy's log on standard error.")
    var verbose = false
}
