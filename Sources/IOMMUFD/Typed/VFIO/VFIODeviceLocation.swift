#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemPackage

/// How a user named a VFIO device, resolved to its device node and sysfs
/// directory, and checked to be a VFIO device cdev — all before it is opened.
public struct VFIODeviceLocation: Sendable, Hashable {
    /// The device node, e.g. `/dev/vfio/devices/vfio0`.
    public var devicePath: String
    /// The cdev's name, e.g. `vfio0`.
    public var name: String
    /// The canonical sysfs directory of the cdev (`…/vfio-dev/vfio0`).
    public var sysfsPath: String
    /// The PCI address of the device, when it is a PCI device (of its
    /// parent, for a mediated device).
    public var pciAddress: PCIAddress?
    /// Whether the device is mediated (an mdev): its sysfs device directory
    /// has an `mdev_type` link. Read once, when the location is resolved.
    public var isMediated: Bool
    /// The character device number.
    public var deviceNumber: (major: UInt32, minor: UInt32) {
        (status.deviceMajor, status.deviceMinor)
    }

    let status: FileStatus

    private init(
        devicePath: String, name: String, sysfsPath: String, pciAddress: PCIAddress?, isMediated: Bool,
        status: FileStatus
    ) {
        self.devicePath = devicePath
        self.name = name
        self.sysfsPath = sysfsPath
        self.pciAddress = pciAddress
        self.isMediated = isMediated
        self.status = status
    }

    /// The directory VFIO device cdevs appear in.
    public static let deviceDirectory = "/dev/vfio/devices"

    /// Resolves `/dev/vfio/devices/vfioN` (or any path to such a node,
    /// symbolic links included), `vfioN`, or a PCI address with or without
    /// the domain (`0000:00:03.0`, `00:03.0`), and checks that it names a VFIO
    /// device cdev. Nothing is opened.
    ///
    /// - Throws: ``IOMMUFDError`` with ``IOMMUFDError/Code/deviceNotFound``
    ///   or ``IOMMUFDError/Code/notAVFIODevice``, and a hint saying what to do
    ///   (e.g. how to bind a PCI device to vfio-pci).
    public init(resolving specifier: String, backend: (any SyscallBackend)? = nil) throws(IOMMUFDError) {
        let backend = backend ?? LinuxSyscalls.shared
        let path: String
        if specifier.hasPrefix("/") || specifier.hasPrefix(".") {
            path = specifier
        } else if specifier.hasPrefix("vfio"), specifier.dropFirst(4).allSatisfy(\.isNumber), specifier.count > 4 {
            path = Self.deviceDirectory + "/" + specifier
        } else if let address = PCIAddress(parsing: specifier) {
            path = try Self.devicePath(of: address, backend: backend)
        } else {
            throw IOMMUFDError(
                code: .deviceNotFound, operation: .locateVFIODevice, path: specifier,
                hint: "expected a VFIO device path (/dev/vfio/devices/vfioN), a name (vfioN) or a PCI address "
                    + "(0000:00:03.0 or 00:03.0)")
        }
        self = try Self.check(path: path, backend: backend)
    }

    /// The `/dev/vfio/devices/vfioN` of a PCI device bound to vfio-pci.
    static func devicePath(of address: PCIAddress, backend: any SyscallBackend) throws(IOMMUFDError) -> String {
        let device = "/sys/bus/pci/devices/\(address)"
        guard backend.directoryEntries(device) != nil else {
            throw IOMMUFDError(
                code: .deviceNotFound, operation: .locateVFIODevice, path: address.description,
                hint: "no PCI device \(address) on this system (see `lspci -D`)")
        }
        guard let names = backend.directoryEntries(device + "/vfio-dev"), let name = names.first(where: {
            $0.hasPrefix("vfio")
        }) else {
            let driver = backend.canonicalPath(device + "/driver").map { String($0.split(separator: "/").last ?? "") }
            let now = driver.map { "is bound to \($0)" } ?? "has no driver"
            throw IOMMUFDError(
                code: .notAVFIODevice, operation: .locateVFIODevice, path: address.description,
                hint: "PCI device \(address) \(now), not vfio-pci with a device cdev; as root: "
                    + "`echo vfio-pci > \(device)/driver_override; "
                    + (driver == nil ? "" : "echo \(address) > \(device)/driver/unbind; ")
                    + "echo \(address) > /sys/bus/pci/drivers_probe` (needs CONFIG_VFIO_DEVICE_CDEV)")
        }
        return deviceDirectory + "/" + name
    }

    /// Checks that `path` is a character device whose sysfs entry belongs to
    /// the `vfio-dev` class.
    static func check(path: String, backend: any SyscallBackend) throws(IOMMUFDError) -> VFIODeviceLocation {
        let status: FileStatus
        do {
            status = try backend.status(ofPath: path)
        } catch {
            let missing = error == .noSuchFileOrDirectory || error == .notDirectory
            throw IOMMUFDError(
                code: missing ? .deviceNotFound : (error == .permissionDenied ? .permissionDenied : .system),
                operation: .checkVFIODevice, errno: error, path: path,
                hint: missing
                    ? "no such file; `iommufd-info list` shows the VFIO devices of this system"
                    : "cannot inspect the file")
        }
        return try check(status: status, path: path, backend: backend)
    }

    /// Checks a file status (of a path or of an open descriptor).
    static func check(status: FileStatus, path: String, backend: any SyscallBackend) throws(IOMMUFDError) -> VFIODeviceLocation {
        guard status.kind == .characterDevice else {
            throw IOMMUFDError(
                code: .notAVFIODevice, operation: .checkVFIODevice, path: path,
                hint: "it is a \(status.kind), not a VFIO device cdev (/dev/vfio/devices/vfioN); "
                    + "no ioctl was issued")
        }
        let number = "\(status.deviceMajor):\(status.deviceMinor)"
        let link = "/sys/dev/char/\(number)"
        guard let sysfs = backend.canonicalPath(link),
              let subsystem = backend.canonicalPath(link + "/subsystem"),
              subsystem.split(separator: "/").last == "vfio-dev"
        else {
            throw IOMMUFDError(
                code: .notAVFIODevice, operation: .checkVFIODevice, path: path,
                hint: "character device \(number) is not a VFIO device cdev according to sysfs "
                    + "(its class is not vfio-dev); no ioctl was issued")
        }
        let components = sysfs.split(separator: "/")
        let name = String(components.last ?? "")
        // …/0000:00:03.0/vfio-dev/vfio0 for PCI devices.
        var pci: PCIAddress?
        if components.count >= 3, components[components.count - 2] == "vfio-dev" {
            pci = PCIAddress(parsing: components[components.count - 3])
        }
        // …/<device>/vfio-dev/vfioN: an mdev's <device> directory has an mdev_type link.
        let device = "/" + components.dropLast(2).joined(separator: "/")
        let mediated = backend.canonicalPath(device + "/mdev_type") != nil
        return VFIODeviceLocation(
            devicePath: path, name: name, sysfsPath: sysfs, pciAddress: pci, isMediated: mediated, status: status)
    }

    /// Two locations are the same when they name the same device node.
    public static func == (lhs: VFIODeviceLocation, rhs: VFIODeviceLocation) -> Bool {
        lhs.devicePath == rhs.devicePath && lhs.sysfsPath == rhs.sysfsPath && lhs.status == rhs.status
    }

    /// Hashes the identifying parts.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(devicePath)
        hasher.combine(sysfsPath)
        hasher.combine(status)
    }
}
