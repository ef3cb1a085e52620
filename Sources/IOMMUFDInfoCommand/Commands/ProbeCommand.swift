import ArgumentParser
import IOMMUFD

/// `iommufd-info probe DEVICE`: tries IOMMU_HWPT_ALLOC with every flag
/// combination on a fresh IOAS, the INPUT_TYPE request of GET_HW_INFO, and
/// the autodomain policy for real; destroys everything it created.
struct ProbeCommand: ParsableCommand, InfoCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Try HWPT_ALLOC with every flag combination and report what the kernel accepts.",
        discussion: """
            Allocates an IOAS and, for each combination of nestParent, dirtyTracking and pasid (and \
            faultIDValid with a fault queue when the kernel has IOMMU_FAULT_QUEUE_ALLOC), one HWPT, destroyed \
            at once; asks GET_HW_INFO for the device's own info type with IOMMU_HW_INFO_FLAG_INPUT_TYPE; \
            attaches the device through the autodomain policy for each vIOMMU kind and detaches it again. \
            Everything created is destroyed.
            """)

    @Argument(help: ArgumentHelp("/dev/vfio/devices/vfioN, vfioN, or a PCI address (0000:00:03.0, 00:03.0).",
                                 valueName: "device"))
    var device: String

    @OptionGroup var common: CommonOptions

    func execute(in context: CommandContext) throws(CommandFailure) {
        let specifier = try DeviceSpecifier(device)
        let report = try withBoundDevice(specifier, context) { (device, iommufd, id, entry) throws(CommandFailure) in
            try ProbeReport.run(device: device, iommufd: iommufd, id: id, entry: entry, input: specifier.text,
                                context: context)
        }
        context.emit(text: report.text, json: report.json)
    }
}
