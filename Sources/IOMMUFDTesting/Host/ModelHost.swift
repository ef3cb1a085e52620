public import IOMMUFD

/// A character or block device number.
public struct DeviceNumber: Sendable, Hashable, CustomStringConvertible {
    /// The major number.
    public var major: UInt32
    /// The minor number.
    public var minor: UInt32
    /// Creates a device number.
    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }
    /// `"252:0"`, as `/sys/dev/char` names it.
    public var description: String { "\(major):\(minor)" }
}

/// Who else uses a device, deciding how the model's `VFIO_DEVICE_BIND_IOMMUFD`
/// fails, as the 7.2 kernel does.
public enum DeviceUse: Sendable, Hashable {
    /// Nobody: it can be opened and bound.
    case available
    /// Another process opened the cdev and bound it: binding fails with
    /// `EINVAL` (a cdev device can be opened only once, `vfio_df_open`).
    case boundByAnotherProcess
    /// Another process opened its VFIO group (`/dev/vfio/N`, the legacy
    /// path): binding fails with `EBUSY` (`vfio_device_block_group`).
    case groupOpenedByLegacyVFIO
    /// Its IOMMU group's DMA ownership belongs to someone else (another
    /// iommufd, or a kernel driver of a sibling device): binding fails with
    /// `EPERM` (`iommu_device_claim_dma_owner`).
    case groupClaimedElsewhere
}

/// An IOMMU unit as sysfs shows it (`/sys/class/iommu/<name>`).
public struct HostIOMMU: Sendable, Hashable {
    /// The unit's name, e.g. `dmar0`.
    public var name: String
    /// Its sysfs directory, e.g. `/sys/devices/virtual/iommu/dmar0`.
    public var sysfsDirectory: String
    /// Files below the directory, by relative path (e.g. `intel-iommu/cap`).
    public var attributes: [String: ModelFile]

    /// Creates a unit.
    public init(name: String, sysfsDirectory: String? = nil, attributes: [String: ModelFile] = [:]) {
        self.name = name
        self.sysfsDirectory = sysfsDirectory ?? "/sys/devices/virtual/iommu/\(name)"
        self.attributes = attributes
    }

    /// An Intel VT-d unit with its `intel-iommu/{cap,ecap,version,address}` files.
    public static func intelVTd(
        name: String = "dmar0", capability: UInt64 = 0x00d2_008c_222f_0606,
        extendedCapability: UInt64 = 0x0000_4900_80f0_0f4a, address: UInt64 = 0xfed9_0000
    ) -> HostIOMMU {
        HostIOMMU(name: name, attributes: [
            "intel-iommu/cap": .text(hexDigits(capability) + "\n"),
            "intel-iommu/ecap": .text(hexDigits(extendedCapability) + "\n"),
            "intel-iommu/version": .text("1:0\n"),
            "intel-iommu/address": .text(hexDigits(address) + "\n"),
        ])
    }

    /// An AMD-Vi unit (the IOMMU is PCI function `0000:00:00.2` on real
    /// machines; QEMU puts it elsewhere) with its `amd-iommu/{cap,features}` files.
    public static func amd(name: String = "ivhd0", efr: UInt64 = 0x29d3, pciDirectory: String = "/sys/devices/pci0000:00/0000:00:01.0") -> HostIOMMU {
        HostIOMMU(name: name, sysfsDirectory: pciDirectory + "/iommu/" + name, attributes: [
            "amd-iommu/cap": .text("0x00000000\n"),
            "amd-iommu/features": .text(hexDigits(efr) + ":0\n"),
        ])
    }

    /// A virtio-iommu endpoint's unit (sysfs names it after the virtio device).
    public static func virtio(name: String = "0000:00:04.0", pciDirectory: String = "/sys/devices/pci0000:00/0000:00:04.0") -> HostIOMMU {
        // Linux names a virtio-iommu unit after its PCI function.
        HostIOMMU(name: name, sysfsDirectory: pciDirectory + "/virtio0/iommu/" + name)
    }
}

/// How `VFIO_DEVICE_GET_INFO` and `VFIO_DEVICE_GET_REGION_INFO` describe a device.
public struct VFIODeviceDescription: Sendable, Hashable {
    /// `VFIO_DEVICE_FLAGS_*`.
    public var flags: UInt32
    /// The size of each region, by index (`num_regions` is the count). A
    /// non-zero config region (index 7) is as large as the device's
    /// configuration space image.
    public var regionSizes: [UInt64]
    /// The flags of each region (`VFIO_REGION_INFO_FLAG_*`), by index.
    public var regionFlags: [UInt32]
    /// `num_irqs`.
    public var irqCount: UInt32
    /// Region indexes whose info fails with `EINVAL` (vfio-pci's VGA region
    /// on a device without VGA).
    public var unavailableRegions: Set<Int>

    /// Creates a description.
    public init(flags: UInt32, regionSizes: [UInt64], regionFlags: [UInt32], irqCount: UInt32, unavailableRegions: Set<Int> = []) {
        self.flags = flags
        self.regionSizes = regionSizes
        self.regionFlags = regionFlags
        self.irqCount = irqCount
        self.unavailableRegions = unavailableRegions
    }

    /// A vfio-pci device: `VFIO_DEVICE_FLAGS_PCI` (plus reset), 9 regions
    /// (six BARs, ROM, config, VGA) and 5 interrupt types.
    public static func pci(bars: [UInt64] = [0x10_0000], configSize: Int = 256, reset: Bool = false) -> VFIODeviceDescription {
        var sizes = [UInt64](repeating: 0, count: 9)
        var flags = [UInt32](repeating: 0, count: 9)
        for (index, size) in bars.prefix(6).enumerated() where size > 0 {
            sizes[index] = size
            flags[index] = 0x7                    // read | write | mmap
        }
        sizes[7] = UInt64(configSize)
        flags[7] = 0x3                            // read | write
        return VFIODeviceDescription(flags: 0x2 | (reset ? 0x1 : 0), regionSizes: sizes, regionFlags: flags, irqCount: 5,
                                     unavailableRegions: [8])
    }
}

/// One device of the fake host: its bus identity, its IOMMU view and its
/// VFIO cdev.
public struct HostDevice: Sendable, Hashable {
    /// Where the device sits.
    public enum Bus: Sendable, Hashable {
        /// A PCI function.
        case pci(PCIAddress)
        /// A mediated device (mdev): no IOMMU of its own; `parent` is the
        /// PCI device providing it, `type` its `mdev_type`.
        case mediated(uuid: String, parent: PCIAddress, type: String)
    }

    /// The bus identity.
    public var bus: Bus
    /// The PCI configuration space (`config` in sysfs, and the VFIO config region).
    public var configSpace: [UInt8]
    /// The N of `/dev/vfio/devices/vfioN`; `nil` when the device is not bound
    /// to a VFIO driver (no cdev, no `vfio-dev` in sysfs).
    public var vfioIndex: Int?
    /// The bound driver's name (`vfio-pci`), or `nil` for none.
    public var driver: String?
    /// The IOMMU group number.
    public var iommuGroup: Int
    /// The name of the ``HostIOMMU`` unit the device sits behind (sysfs `iommu` link).
    public var iommu: String?
    /// What the IOMMU driver reports and decides for the device; `nil` for
    /// mediated devices, which iommufd binds as an access object.
    public var profile: DeviceProfile?
    /// The VFIO device and region description.
    public var vfio: VFIODeviceDescription
    /// Who else uses the device.
    public var use: DeviceUse
    /// Whether the VFIO driver implements PASID attach (vfio-pci does;
    /// mdev drivers do not: `EOPNOTSUPP`).
    public var supportsPASIDAttach: Bool

    /// Creates a PCI device.
    public init(
        address: PCIAddress, configSpace: [UInt8] = PCIConfigSpace.qemuEdu.bytes, vfioIndex: Int?,
        driver: String? = "vfio-pci", iommuGroup: Int, iommu: String?, profile: DeviceProfile?,
        vfio: VFIODeviceDescription? = nil, use: DeviceUse = .available
    ) {
        self.bus = .pci(address)
        self.configSpace = configSpace
        self.vfioIndex = vfioIndex
        self.driver = driver
        self.iommuGroup = iommuGroup
        self.iommu = iommu
        self.profile = profile
        self.vfio = vfio ?? .pci(configSize: configSpace.count)
        self.use = use
        self.supportsPASIDAttach = true
    }

    /// Creates a mediated device (bound to its mdev VFIO driver, in an
    /// emulated IOMMU group, without an IOMMU).
    public static func mediated(
        uuid: String, parent: PCIAddress, type: String = "mtty-2", vfioIndex: Int, iommuGroup: Int
    ) -> HostDevice {
        var device = HostDevice(
            address: parent, configSpace: [], vfioIndex: vfioIndex, driver: "vfio_mdev", iommuGroup: iommuGroup,
            iommu: nil, profile: nil,
            vfio: VFIODeviceDescription(flags: 0x2, regionSizes: [0, 0, 0, 0, 0, 0, 0, 256, 0],
                                        regionFlags: [0, 0, 0, 0, 0, 0, 0, 0x3, 0], irqCount: 5))
        device.bus = .mediated(uuid: uuid, parent: parent, type: type)
        device.configSpace = [UInt8](repeating: 0, count: 256)
        device.supportsPASIDAttach = false
        return device
    }

    /// The PCI address (of the parent, for a mediated device).
    public var pciAddress: PCIAddress {
        switch bus {
        case .pci(let address): address
        case .mediated(_, let parent, _): parent
        }
    }

    /// Whether this is a mediated device.
    public var isMediated: Bool {
        if case .mediated = bus { return true }
        return false
    }

    /// The canonical sysfs directory of the device.
    public var sysfsDirectory: String {
        switch bus {
        case .pci(let address): "/sys/devices/pci\(hex4(address.domain)):\(hex2(address.bus))/\(address)"
        case .mediated(let uuid, let parent, _):
            "/sys/devices/pci\(hex4(parent.domain)):\(hex2(parent.bus))/\(parent)/\(uuid)"
        }
    }
}

func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

func hex2(_ value: UInt8) -> String {
    let digits = String(value, radix: 16)
    return digits.count < 2 ? "0" + digits : digits
}

/// The fake host the model presents through the file-system half of the
/// seam: `/dev/iommu`, the VFIO cdevs, the sysfs entries the library reads,
/// and any extra files.
///
/// ```swift
/// let model = KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux7_2)
/// ```
public struct ModelHost: Sendable {
    /// The IOMMU units (`/sys/class/iommu`).
    public var iommus: [HostIOMMU]
    /// The devices.
    public var devices: [HostDevice]
    /// Extra files, by absolute path (added after the generated tree).
    public var files: [String: ModelFile]
    /// The `/dev/iommu` device number; `nil` for a kernel without iommufd
    /// (the node is missing).
    public var iommufdNode: DeviceNumber?
    /// The major number of the `vfio-dev` cdev region (`/dev/vfio/devices/vfioN` is `major:N`).
    public var vfioDeviceMajor: UInt32
    /// The major number of the legacy VFIO group nodes (`/dev/vfio/<group>`).
    public var vfioGroupMajor: UInt32
    /// Whether interrupt remapping isolates MSIs; without it binding fails
    /// with `EPERM` unless ``allowUnsafeInterrupts``.
    public var interruptRemapping: Bool
    /// `iommufd.allow_unsafe_interrupts=1`.
    public var allowUnsafeInterrupts: Bool
    /// Whether the caller has `CAP_SYS_RESOURCE` (changing the RLIMIT mode).
    public var capSysResource: Bool

    /// Creates a host.
    public init(
        iommus: [HostIOMMU] = [], devices: [HostDevice] = [], files: [String: ModelFile] = [:],
        iommufdNode: DeviceNumber? = DeviceNumber(major: 10, minor: 257), vfioDeviceMajor: UInt32 = 252,
        vfioGroupMajor: UInt32 = 253, interruptRemapping: Bool = true, allowUnsafeInterrupts: Bool = false,
        capSysResource: Bool = true
    ) {
        self.iommus = iommus
        self.devices = devices
        self.files = files
        self.iommufdNode = iommufdNode
        self.vfioDeviceMajor = vfioDeviceMajor
        self.vfioGroupMajor = vfioGroupMajor
        self.interruptRemapping = interruptRemapping
        self.allowUnsafeInterrupts = allowUnsafeInterrupts
        self.capSysResource = capSysResource
    }

    /// A host with `/dev/iommu` and nothing else.
    public static let empty = ModelHost()

    static func defaultAddresses(_ count: Int) -> [PCIAddress] {
        (0..<count).map { PCIAddress(bus: 0, device: UInt8(1 + $0), function: 0)! }
    }

    /// The project's QEMU test VM: q35 with `intel-iommu` (scalable mode,
    /// PASID mode, 48-bit), `devices` QEMU `edu` devices bound to vfio-pci as
    /// `vfio0`, `vfio1`, … in their own IOMMU groups 1, 2, …, at
    /// `0000:00:01.0`, `0000:00:02.0`, … unless `addresses` says otherwise.
    public static func qemuIntelVTd(devices count: Int = 1, addresses: [PCIAddress]? = nil) -> ModelHost {
        let addresses = addresses ?? defaultAddresses(count)
        let profile = DeviceProfile.intelVTd()
        return ModelHost(
            iommus: [.intelVTd()],
            devices: addresses.prefix(count).enumerated().map { index, address in
                HostDevice(address: address, vfioIndex: index, iommuGroup: index + 1, iommu: "dmar0", profile: profile)
            })
    }

    /// QEMU with `amd-iommu,intremap=off` and `iommufd.allow_unsafe_interrupts=1`:
    /// info type AMD (`efr 0x29d3`), no HWPT flags.
    public static func qemuAMD(devices count: Int = 1) -> ModelHost {
        let profile = DeviceProfile.amd()
        var host = ModelHost(
            iommus: [.amd()],
            devices: defaultAddresses(count).enumerated().map { index, address in
                HostDevice(address: PCIAddress(bus: 0, device: address.device + 1, function: 0)!, vfioIndex: index,
                           iommuGroup: index + 1, iommu: "ivhd0", profile: profile)
            })
        host.interruptRemapping = false
        host.allowUnsafeInterrupts = true
        return host
    }

    /// QEMU with `virtio-iommu-pci` and `iommufd.allow_unsafe_interrupts=1`:
    /// info type NONE, no HWPT flags, a 39-bit aperture.
    public static func qemuVirtioIOMMU(devices count: Int = 1) -> ModelHost {
        let profile = DeviceProfile.virtio()
        var host = ModelHost(
            iommus: [.virtio()],
            devices: defaultAddresses(count).enumerated().map { index, address in
                HostDevice(address: address, vfioIndex: index, iommuGroup: index + 1, iommu: "0000:00:04.0",
                           profile: profile)
            })
        host.interruptRemapping = false
        host.allowUnsafeInterrupts = true
        return host
    }

    /// A multi-IOMMU host: `vfio0` (`0000:00:01.0`) behind `dmar0` as in the
    /// QEMU VM, `vfio1` (`0000:80:01.0`) behind `dmar1`, a unit with
    /// second-stage dirty tracking and nesting. Their domains are not
    /// interchangeable: attaching one's HWPT to the other fails with `EINVAL`.
    public static func twoIntelVTdUnits() -> ModelHost {
        let ecap1: UInt64 = 0x0001_6900_84f0_0f4a
        let first = DeviceProfile.intelVTd()
        let second = DeviceProfile.intelVTd(extendedCapability: ecap1, instance: "dmar1")
        return ModelHost(
            iommus: [.intelVTd(), .intelVTd(name: "dmar1", extendedCapability: ecap1, address: 0xfed9_1000)],
            devices: [
                HostDevice(address: PCIAddress(bus: 0, device: 1, function: 0)!, vfioIndex: 0, iommuGroup: 1,
                           iommu: "dmar0", profile: first),
                HostDevice(address: PCIAddress(bus: 0x80, device: 1, function: 0)!, vfioIndex: 1, iommuGroup: 2,
                           iommu: "dmar1", profile: second),
            ])
    }

    /// A host with `units` Intel VT-d units whose domains are mutually
    /// incompatible (each unit's ECAP has a different harmless bit set), and
    /// `devicesPerUnit` devices behind each, each in its own IOMMU group:
    /// `vfio0` … behind `dmar0`, then the next unit's, at `0000:UU:DD.0`
    /// (bus = unit, device = index + 1). For policies that must pick among
    /// several HWPTs (at most 60 units).
    public static func incompatibleIntelVTdUnits(_ units: Int, devicesPerUnit: Int) -> ModelHost {
        precondition((1...60).contains(units) && devicesPerUnit >= 0, "1...60 units")
        var iommus: [HostIOMMU] = []
        var devices: [HostDevice] = []
        for unit in 0..<units {
            let ecap: UInt64 = 0x0000_4900_80f0_0f4a | (UInt64(1) << UInt64(60 - unit))
            let name = "dmar\(unit)"
            iommus.append(.intelVTd(name: name, extendedCapability: ecap, address: 0xfed9_0000 + UInt64(unit) * 0x1000))
            let profile = DeviceProfile.intelVTd(extendedCapability: ecap, instance: name)
            for index in 0..<devicesPerUnit {
                let n = unit * devicesPerUnit + index
                devices.append(HostDevice(
                    address: PCIAddress(bus: UInt8(unit), device: UInt8(index + 1), function: 0)!, vfioIndex: n,
                    iommuGroup: n + 1, iommu: name, profile: profile))
            }
        }
        return ModelHost(iommus: iommus, devices: devices)
    }
}
