import IOMMUFD

/// One VFIO device cdev as sysfs describes it: no descriptor is opened to
/// learn any of this.
struct VFIODeviceEntry: Sendable, Equatable {
    /// The cdev's name, e.g. `vfio0`.
    var name: String
    /// Its node, `/dev/vfio/devices/vfio0`.
    var nodePath: String
    /// Whether the node exists as a character device.
    var nodePresent: Bool
    /// The device number from sysfs (`252:0`).
    var deviceNumber: String?
    /// The canonical sysfs directory of the device the cdev belongs to.
    var sysfsDevicePath: String?
    /// The PCI address (of the parent PCI device, for a mediated device).
    var pciAddress: PCIAddress?
    /// For a mediated device, its UUID.
    var mediatedUUID: String?
    /// For a mediated device, its `mdev_type`.
    var mediatedType: String?
    /// The PCI vendor ID.
    var vendorID: UInt16?
    /// The PCI device ID.
    var deviceID: UInt16?
    /// The 24-bit PCI class code.
    var classCode: UInt32?
    /// The bound driver (`vfio-pci`).
    var driver: String?
    /// The IOMMU group (the number in `/sys/kernel/iommu_groups`).
    var iommuGroup: String?
    /// The IOMMU unit the device sits behind (`dmar0`).
    var iommu: String?

    /// Whether the device is a mediated device (mdev).
    var isMediated: Bool { mediatedUUID != nil }

    /// `1234:11e8`, or `nil` when sysfs has no IDs.
    var vendorDevice: String? {
        guard let vendorID, let deviceID else { return nil }
        return hexDigits(UInt64(vendorID), digits: 4) + ":" + hexDigits(UInt64(deviceID), digits: 4)
    }

    /// `vfio0 (0000:00:01.0)`.
    var displayName: String {
        if let uuid = mediatedUUID { return "\(name) (mdev \(uuid))" }
        return pciAddress.map { "\(name) (\($0))" } ?? name
    }
}

extension VFIODeviceEntry {
    /// Reads the entry of the cdev `name` whose sysfs directory is `cdevDirectory`
    /// (`…/0000:00:01.0/vfio-dev/vfio0`, canonical).
    init(name: String, cdevDirectory: String?, sysfs: SysfsReader) {
        self.name = name
        nodePath = VFIODeviceLocation.deviceDirectory + "/" + name
        let node = try? sysfs.backend.status(ofPath: nodePath)
        nodePresent = node?.kind == .characterDevice
        guard let cdevDirectory else { return }
        deviceNumber = sysfs.text(cdevDirectory + "/dev")
            ?? node.map { "\($0.deviceMajor):\($0.deviceMinor)" }
        let device = sysfs.backend.canonicalPath(cdevDirectory + "/device")
            ?? parentDirectory(cdevDirectory, levels: 2)
        sysfsDevicePath = device
        let last = String(device.split(separator: "/").last ?? "")
        if let type = sysfs.linkName(device + "/mdev_type") {
            mediatedUUID = last
            mediatedType = type
            pciAddress = PCIAddress(parsing: parentDirectory(device).split(separator: "/").last ?? "")
        } else {
            pciAddress = PCIAddress(parsing: last)
            vendorID = sysfs.hex(device + "/vendor", bits: 16).map { UInt16($0) }
            deviceID = sysfs.hex(device + "/device", bits: 16).map { UInt16($0) }
            classCode = sysfs.hex(device + "/class", bits: 24).map { UInt32($0) }
        }
        driver = sysfs.linkName(device + "/driver")
        iommuGroup = sysfs.linkName(device + "/iommu_group")
        iommu = sysfs.linkName(device + "/iommu")
    }

    /// Reads the entry of an opened device from its location.
    init(location: VFIODeviceLocation, sysfs: SysfsReader) {
        self.init(name: location.name, cdevDirectory: location.sysfsPath, sysfs: sysfs)
        nodePath = location.devicePath
        nodePresent = true
        if deviceNumber == nil { deviceNumber = "\(location.deviceNumber.major):\(location.deviceNumber.minor)" }
        if pciAddress == nil { pciAddress = location.pciAddress }
    }

    /// Every VFIO device cdev of the host: the `vfio-dev` class in sysfs and
    /// the nodes in `/dev/vfio/devices`, in natural order (`vfio2` before `vfio10`).
    static func scan(_ sysfs: SysfsReader) -> [VFIODeviceEntry] {
        let classDirectory = "/sys/class/vfio-dev"
        let inSysfs = sysfs.entries(classDirectory) ?? []
        let inDev = (sysfs.entries(VFIODeviceLocation.deviceDirectory) ?? []).filter { $0.hasPrefix("vfio") }
        let names = Set(inSysfs).union(inDev).sorted(by: naturalOrder)
        return names.map { name in
            let cdev = inSysfs.contains(name) ? sysfs.backend.canonicalPath(classDirectory + "/" + name) : nil
            return VFIODeviceEntry(name: name, cdevDirectory: cdev, sysfs: sysfs)
        }
    }
}

/// `0x`-prefixed, zero-padded lowercase hexadecimal (shortest by default).
func hex(_ value: UInt64, _ digits: Int = 1) -> String { hexString(value, digits: digits) }
