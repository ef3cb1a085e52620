import IOMMUFD
import Logging

/// Opens the device a user named and the iommufd node, binds the one to the
/// other, runs `body`, and closes both (the device first, which unbinds it).
///
/// The device is checked to be a VFIO device cdev before any ioctl
/// (``IOMMUFD/VFIODevice/init(opening:backend:)``) and the iommufd node to be
/// the iommufd misc device before it is opened (``IOMMUFDNode/open(_:backend:)``).
func withBoundDevice<Result>(
    _ specifier: DeviceSpecifier, _ context: CommandContext,
    _ body: (borrowing VFIODevice, borrowing IOMMUFD, BoundDeviceID, VFIODeviceEntry) throws(CommandFailure) -> Result
) throws(CommandFailure) -> Result {
    let input = quotedArgument(specifier.text)
    context.logger.debug("opening \(specifier.text)")
    var device: VFIODevice
    do throws(IOMMUFDError) {
        device = try VFIODevice(opening: specifier.text, backend: context.backend)
    } catch {
        throw .runtime(input, error)
    }
    let entry = VFIODeviceEntry(location: device.location, sysfs: context.sysfs)
    context.logger.debug("\(entry.displayName) is \(device.location.devicePath), sysfs \(device.location.sysfsPath)")
    let iommufd = try IOMMUFDNode.open(context.iommufdPath, backend: context.backend)
    let id: BoundDeviceID
    do throws(IOMMUFDError) {
        id = try device.bind(to: iommufd)
    } catch {
        throw .runtime(input, error)
    }
    context.logger.debug("\(entry.name) bound to \(context.iommufdPath) as \(id)")
    let result = try body(device, iommufd, id, entry)
    device.close()
    try? iommufd.close()
    context.logger.debug("closed \(entry.name) and \(context.iommufdPath)")
    return result
}
