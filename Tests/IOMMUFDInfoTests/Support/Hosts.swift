import IOMMUFD
import IOMMUFDTesting

/// The fake hosts the golden tests run on.
enum Hosts {
    /// The project's QEMU VM: emulated Intel VT-d (scalable mode, PASID mode,
    /// 48-bit), two `edu` devices bound to vfio-pci as vfio0 and vfio1, Linux 7.2.
    static func vm() -> KernelModel {
        KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux7_2)
    }

    /// QEMU's AMD IOMMU (EFR 0x29d3) with one device.
    static func amd() -> KernelModel {
        KernelModel(host: .qemuAMD(devices: 1), kernel: .linux7_2)
    }

    /// The SMMUv3 registers of an Arm MMU-600 (documented reset values:
    /// IDR0 0x080f7e3f, IDR1 0x0e739d18, IDR3 0x3c, IDR5 0x00400075, IIDR
    /// 0x4832243b, AIDR 0x1): stage 1 and 2, so nesting; no HTTU, so no dirty tracking.
    static let smmuIDR: [UInt32] = [0x080F_7E3F, 0x0E73_9D18, 0, 0x0000_003C, 0, 0x0040_0075]

    /// An ARM SMMUv3 host (MMU-600 registers) with one PCIe device that has
    /// PASID (20 bits), ATS and PRI capabilities, bound to vfio-pci.
    static func smmuv3() -> KernelModel {
        let name = "smmu3.0x0000000009050000"
        var data: [UInt8] = []
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(0)  // flags
        append(0)  // __reserved
        for word in smmuIDR { append(word) }
        append(0x4832_243B)  // iidr
        append(0x1)  // aidr
        let profile = DeviceProfile(
            driver: .armSMMUv3, iommuInstance: name, compatibilityGroup: "smmu:mmu600",
            hardwareInfoType: .armSMMUv3, vendorData: data, atsSupported: true, maxPASIDLog2: 20,
            pasidExecute: false, pasidPrivileged: false, hwptFlags: [.nestParent],
            aperture: IOVARange(start: 0, last: (1 << 48) - 1), pageSize: 4096,
            reservedRegions: [IOVARange(start: 0x800_0000, last: 0x80f_ffff)])
        let config = PCIConfigSpace(
            vendor: 0x15b3, device: 0x101e, classCode: 0x020000, express: true,
            extended: [.ats(invalidateQueueDepth: 0), .pasid(width: 20, enabled: false), .pri(outstandingRequests: 512)])
        let device = HostDevice(
            address: PCIAddress(bus: 1, device: 0, function: 1)!, configSpace: config.bytes, vfioIndex: 0,
            iommuGroup: 7, iommu: name, profile: profile)
        let host = ModelHost(
            iommus: [HostIOMMU(name: name, sysfsDirectory: "/sys/devices/platform/9050000.smmuv3/iommu/\(name)")],
            devices: [device])
        return KernelModel(host: host, kernel: .linux7_2)
    }

    /// The VM's host with its device behind the kernel's mock IOMMU
    /// (`CONFIG_IOMMUFD_TEST`): an unknown info type, every HWPT flag, a 20-bit PASID width.
    static func mockDevice() -> KernelModel {
        var host = ModelHost.qemuIntelVTd(devices: 1)
        host.devices[0].profile = .kernelMock(pasid: true)
        return KernelModel(host: host, kernel: .linux7_2)
    }

    /// A host with /dev/iommu but no IOMMU unit and no VFIO device.
    static func noDevices() -> KernelModel {
        KernelModel(host: .empty, kernel: .linux7_2)
    }

    /// The VM's host on a kernel without iommufd: no /dev/iommu.
    static func noIOMMUFD() -> KernelModel {
        var host = ModelHost.qemuIntelVTd(devices: 1)
        host.iommufdNode = nil
        return KernelModel(host: host, kernel: .linux7_2)
    }
}
