import ArgumentParser
import IOMMUFD
import Logging

/// `iommufd-info list` (the default): the host's VFIO device cdevs, IOMMU
/// units and iommufd node, from sysfs. No ioctl; works without root.
struct ListCommand: ParsableCommand, InfoCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the VFIO device cdevs, the IOMMU units and whether /dev/iommu is usable (the default).")

    @OptionGroup var common: CommonOptions

    func execute(in context: CommandContext) throws(CommandFailure) {
        let report = ListReport.gather(context)
        context.emit(text: report.text, json: report.json)
    }
}

/// What `list` found.
struct ListReport: Sendable, Equatable {
    /// `uname -r`.
    var kernelRelease: String?
    /// The iommufd node.
    var iommufd: IOMMUFDNode.Status
    /// Whether the kernel has VFIO device cdevs (`/sys/class/vfio-dev` exists).
    var vfioDeviceClassPresent: Bool
    /// The IOMMU units.
    var iommus: [IOMMUUnitEntry]
    /// The VFIO device cdevs.
    var devices: [VFIODeviceEntry]

    /// Reads everything through the backend's file-system methods.
    static func gather(_ context: CommandContext) -> ListReport {
        let sysfs = context.sysfs
        context.logger.debug("reading /sys/class/iommu, /sys/class/vfio-dev and \(VFIODeviceLocation.deviceDirectory)")
        let report = ListReport(
            kernelRelease: context.backend.kernelRelease(),
            iommufd: IOMMUFDNode.status(context.iommufdPath, backend: context.backend),
            vfioDeviceClassPresent: sysfs.entries("/sys/class/vfio-dev") != nil,
            iommus: IOMMUUnitEntry.scan(sysfs),
            devices: VFIODeviceEntry.scan(sysfs))
        let usable = report.iommufd.usable ? "usable" : "not usable"
        context.logger.debug(
            "found \(report.devices.count) VFIO device(s), \(report.iommus.count) IOMMU unit(s); \(report.iommufd.path) \(usable)")
        return report
    }
}
