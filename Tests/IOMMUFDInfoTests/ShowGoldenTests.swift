import IOMMUFD
import SystemPackage
import IOMMUFDTesting
import Testing

/// `iommufd-info show` over fake hosts: golden text and JSON; it allocates
/// nothing and leaves nothing open.
@Suite struct ShowGoldenTests {
    static let hosts: [(name: String, make: @Sendable () -> KernelModel)] = [
        ("vm-vtd", Hosts.vm), ("amd", Hosts.amd), ("smmuv3", Hosts.smmuv3), ("mock-device", Hosts.mockDevice),
    ]

    /// The ioctls `show` may issue: none of them allocates an object.
    static let allowedIoctls: Set<String> = [
        "VFIO_DEVICE_BIND_IOMMUFD", "IOMMU_GET_HW_INFO", "VFIO_DEVICE_GET_INFO", "VFIO_DEVICE_GET_REGION_INFO",
    ]

    @Test(arguments: hosts.map(\.name), [false, true])
    func show(host: String, json: Bool) throws {
        let model = try #require(Self.hosts.first { $0.name == host }).make()
        let run = runInfo(["show", "vfio0"] + (json ? ["--json"] : []), on: model)
        #expect(run.status == 0)
        #expect(run.errorOutput == "")
        Golden.check(run.output, "show-\(host).\(json ? "json" : "txt")")
        let issued = Set(model.ioctlTrace.map(\.operation))
        #expect(issued.isSubset(of: Self.allowedIoctls), "show allocates nothing: \(issued)")
        #expect(model.isQuiescent, "left: \(model.liveObjects) \(model.openDescriptors)")
    }

    @Test(arguments: ["vfio1", "/dev/vfio/devices/vfio1", "0000:00:02.0", "00:02.0", "/tmp/link-to-vfio1"])
    func everyDeviceFormNamesTheSameDevice(device: String) {
        let model = Hosts.vm()
        model.addFile(.symbolicLink(to: "/dev/vfio/devices/vfio1"), at: "/tmp/link-to-vfio1")
        let run = runInfo(["show", device, "--json"], on: model)
        #expect(run.status == 0)
        #expect(run.output.contains("\"pci_address\": \"0000:00:02.0\""))
        #expect(run.output.contains("\"name\": \"vfio1\""))
        #expect(model.isQuiescent)
    }

    @Test func showReadsTheConfigSpaceFromSysfsWhenVFIOCannot() {
        let model = Hosts.smmuv3()
        model.injectFault(.ioError, on: .nextCall(to: "pread"))
        let run = runInfo(["show", "vfio0"], on: model)
        #expect(run.status == 0)
        #expect(run.output.contains("PCI Express capabilities (config space from sysfs, 4096 bytes):"))
        #expect(run.output.contains("PASID:          at 0x110: width 20 bits"))
        #expect(model.isQuiescent)
    }

    @Test func showOfAMediatedDeviceAsksNoHardwareInfo() {
        let model = Hosts.vm()
        model.addDevice(.mediated(uuid: "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
                                  parent: PCIAddress(bus: 0, device: 5, function: 0)!, vfioIndex: 10, iommuGroup: 10))
        let run = runInfo(["show", "vfio10"], on: model)
        #expect(run.status == 0, "\(run.errorOutput)")
        #expect(!model.ioctlTrace.contains { $0.operation == "IOMMU_GET_HW_INFO" })
        Golden.check(run.output, "show-vm-vtd-mdev.txt")
        #expect(model.isQuiescent)
    }
}
