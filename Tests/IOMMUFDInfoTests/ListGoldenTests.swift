import IOMMUFD
import IOMMUFDTesting
import Testing

/// `iommufd-info list` over fake hosts: golden text and JSON, no ioctl, nothing left open.
@Suite struct ListGoldenTests {
    static let hosts: [(name: String, make: @Sendable () -> KernelModel)] = [
        ("vm-vtd", Hosts.vm), ("amd", Hosts.amd), ("smmuv3", Hosts.smmuv3),
        ("no-devices", Hosts.noDevices), ("no-iommufd", Hosts.noIOMMUFD),
    ]

    @Test(arguments: hosts.map(\.name))
    func listText(host: String) throws {
        let model = try #require(Self.hosts.first { $0.name == host }).make()
        let run = runInfo(["list"], on: model)
        #expect(run.status == 0)
        #expect(run.errorOutput == "")
        Golden.check(run.output, "list-\(host).txt")
        #expect(model.ioctlTrace.isEmpty, "list issues no ioctl")
        #expect(model.isQuiescent)
    }

    @Test(arguments: hosts.map(\.name))
    func listJSON(host: String) throws {
        let model = try #require(Self.hosts.first { $0.name == host }).make()
        let run = runInfo(["list", "--json"], on: model)
        #expect(run.status == 0)
        #expect(run.errorOutput == "")
        Golden.check(run.output, "list-\(host).json")
        #expect(model.ioctlTrace.isEmpty)
        #expect(model.isQuiescent)
    }

    @Test func listIsTheDefaultCommand() {
        let plain = runInfo([], on: Hosts.vm())
        let list = runInfo(["list"], on: Hosts.vm())
        #expect(plain.status == 0)
        #expect(plain.output == list.output)
        let json = runInfo(["--json"], on: Hosts.vm())
        #expect(json.output == runInfo(["list", "--json"], on: Hosts.vm()).output)
    }

    @Test func listWithoutAccessToTheIOMMUFDNode() {
        let model = Hosts.vm()
        model.denyAccess(to: "/dev/iommu")
        let run = runInfo(["list"], on: model)
        #expect(run.status == 0)
        #expect(run.output.contains("iommufd:  /dev/iommu (10:257): not usable: open iommufd: permission denied "
                                    + "(EACCES). Run as root, or give your user read-write access to /dev/iommu "
                                    + "(a udev rule or group)."))
        #expect(model.isQuiescent)
    }

    @Test func listWithAnotherIOMMUFDPath() {
        let model = Hosts.vm()
        model.addFile(.text("not a device\n"), at: "/tmp/iommu")
        let run = runInfo(["list", "--iommufd", "/tmp/iommu"], on: model)
        #expect(run.status == 0)
        #expect(run.output.contains("iommufd:  /tmp/iommu: not usable: not an iommufd node: it is a regular file. "
                                    + "Give the iommufd character device (/dev/iommu); nothing was opened."))
        #expect(!model.trace.contains { $0.operation == "open" && $0.path == "/tmp/iommu" }, "never opened")
    }

    @Test func listsMediatedDevicesAndDevicesWithoutNodes() {
        let model = Hosts.vm()
        model.addDevice(.mediated(uuid: "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
                                  parent: PCIAddress(bus: 0, device: 5, function: 0)!, vfioIndex: 10, iommuGroup: 10))
        model.removeFile(at: "/dev/vfio/devices/vfio1")
        let run = runInfo(["list"], on: model)
        #expect(run.status == 0)
        Golden.check(run.output, "list-vm-vtd-mdev.txt")
    }
}
