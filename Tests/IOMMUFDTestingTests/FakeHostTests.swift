#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

@Suite("The fake host")
struct FakeHostTests {
    static func host() -> KernelModel {
        let model = KernelModel(host: .qemuIntelVTd(devices: 2))
        model.addFile(.text("not a device\n"), at: "/tmp/regular")
        model.addFile(.directory, at: "/tmp/directory")
        model.addFile(.fifo, at: "/tmp/fifo")
        model.addFile(.symbolicLink(to: "/dev/null"), at: "/tmp/null-link")
        model.addFile(.symbolicLink(to: "../dev/vfio/devices/vfio1"), at: "/tmp/vfio-link")
        model.addFile(.characterDevice(major: 252, minor: 9), at: "/tmp/orphan-cdev")
        model.addFile(.blockDevice(major: 8, minor: 0), at: "/tmp/disk")
        return model
    }

    @Test(arguments: ["/tmp/regular", "/tmp/directory", "/tmp/fifo", "/dev/null", "/tmp/null-link", "/tmp/orphan-cdev",
                      "/tmp/disk", "/dev/vfio/1", "/dev/vfio/vfio", "/dev/iommu"])
    func nonVFIOFilesAreRefusedWithoutAnIoctl(_ path: String) {
        let model = Self.host()
        let error = caught { try VFIODevice(opening: path, backend: model) }
        #expect(error?.code == .notAVFIODevice, "\(path): \(String(describing: error))")
        #expect(error?.hint.contains("no ioctl was issued") == true)
        #expect(model.ioctlTrace.isEmpty)
        #expect(!model.trace.contains { $0.operation == "open" })
        #expect(model.openDescriptors.isEmpty)
    }

    @Test func missingFilesAndNames() {
        let model = Self.host()
        #expect(caught { try VFIODevice(opening: "/dev/vfio/devices/vfio7", backend: model) }?.code == .deviceNotFound)
        #expect(caught { try VFIODevice(opening: "0000:00:09.0", backend: model) }?.code == .deviceNotFound)
        #expect(caught { try VFIODevice(opening: "/tmp/regular/x", backend: model) }?.errno?.rawValue == ENOTDIR)
        #expect(caught { try VFIODevice(opening: "eth0", backend: model) }?.code == .deviceNotFound)
        #expect(model.ioctlTrace.isEmpty)
    }

    @Test func devicesAreFoundByPathNameLinkAndAddress() throws {
        let model = Self.host()
        for (specifier, name) in [("vfio0", "vfio0"), ("/dev/vfio/devices/vfio1", "vfio1"), ("/tmp/vfio-link", "vfio1"),
                                  ("0000:00:02.0", "vfio1"), ("00:01.0", "vfio0")] {
            let device = try VFIODevice(opening: specifier, backend: model)
            #expect(device.location.name == name, "\(specifier)")
            #expect(device.location.sysfsPath.hasSuffix("/vfio-dev/\(name)"))
            #expect(device.location.deviceNumber.major == 252)
        }
        let device = try VFIODevice(opening: "0000:00:02.0", backend: model)
        #expect(device.location.pciAddress == PCIAddress(parsing: "0000:00:02.0"))
        #expect(device.location.sysfsPath == "/sys/devices/pci0000:00/0000:00:02.0/vfio-dev/vfio1")
        #expect(device.displayName == "vfio1 (0000:00:02.0)")
    }

    @Test func aDeviceOnAnotherDriverGetsAHint() {
        var host = ModelHost.qemuIntelVTd(devices: 1)
        host.devices.append(HostDevice(
            address: PCIAddress(bus: 0, device: 3, function: 0)!, configSpace: PCIConfigSpace(vendor: 0x8086, device: 0x10d3, classCode: 0x020000).bytes,
            vfioIndex: nil, driver: "e1000e", iommuGroup: 3, iommu: "dmar0", profile: .intelVTd()))
        let model = KernelModel(host: host)
        let error = caught { try VFIODevice(opening: "0000:00:03.0", backend: model) }
        #expect(error?.code == .notAVFIODevice)
        #expect(error?.hint.contains("is bound to e1000e") == true)
        #expect(model.ioctlTrace.isEmpty)
    }

    @Test func sysfsLooksLikeLinux() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 2))
        func text(_ path: String) -> String? { model.readFile(path).map { String(decoding: $0, as: UTF8.self) } }
        let device = "/sys/bus/pci/devices/0000:00:01.0"
        #expect(text(device + "/vendor") == "0x1234\n")
        #expect(text(device + "/device") == "0x11e8\n")
        #expect(text(device + "/class") == "0x00ff00\n")
        #expect(model.canonicalPath(device) == "/sys/devices/pci0000:00/0000:00:01.0")
        #expect(model.canonicalPath(device + "/driver") == "/sys/bus/pci/drivers/vfio-pci")
        #expect(model.canonicalPath(device + "/iommu_group") == "/sys/kernel/iommu_groups/1")
        #expect(model.canonicalPath(device + "/iommu") == "/sys/devices/virtual/iommu/dmar0")
        #expect(model.readFile(device + "/config")?.count == 256)
        #expect(model.directoryEntries(device + "/vfio-dev") == ["vfio0"])
        #expect(model.canonicalPath("/sys/dev/char/252:1") == "/sys/devices/pci0000:00/0000:00:02.0/vfio-dev/vfio1")
        #expect(model.canonicalPath("/sys/dev/char/252:1/subsystem") == "/sys/class/vfio-dev")
        #expect(text("/sys/class/vfio-dev/vfio1/dev") == "252:1\n")
        #expect(model.directoryEntries("/sys/class/vfio-dev") == ["vfio0", "vfio1"])
        // CONFIG_IOMMUFD_TEST registers the mock IOMMU too, as on the real kernel.
        #expect(model.directoryEntries("/sys/class/iommu") == ["dmar0", "iommufd_selftest_iommu.0"])
        #expect(text("/sys/class/iommu/dmar0/intel-iommu/cap") == "d2008c222f0606\n")
        #expect(text("/sys/class/iommu/dmar0/intel-iommu/ecap") == "490080f00f4a\n")
        #expect(model.directoryEntries("/sys/class/iommu/dmar0/devices") == ["0000:00:01.0", "0000:00:02.0"])
        #expect(model.directoryEntries("/sys/kernel/iommu_groups") == ["1", "2"])
        #expect(model.directoryEntries("/sys/kernel/iommu_groups/2/devices") == ["0000:00:02.0"])
        #expect(text("/sys/kernel/iommu_groups/1/reserved_regions") == "0x00000000fee00000 0x00000000feefffff msi\n")
        #expect(try model.status(ofPath: "/dev/iommu") == FileStatus(kind: .characterDevice, deviceMajor: 10, deviceMinor: 257))
        #expect(model.canonicalPath("/sys/dev/char/10:257/subsystem") == "/sys/class/misc")
        #expect(model.directoryEntries("/dev/vfio/devices") == ["vfio0", "vfio1"])
        #expect(model.kernelRelease() == "7.2.13")
        #expect(model.readFile("/sys/class/iommu") == nil)
        #expect(model.directoryEntries("/sys/class/iommu/dmar0/intel-iommu/cap") == nil)
    }

    @Test func extendedCapabilitiesInConfigSpace() throws {
        var host = ModelHost.qemuIntelVTd(devices: 1)
        host.devices[0].configSpace = PCIConfigSpace(
            vendor: 0x8086, device: 0x1234, classCode: 0x020000, express: true,
            extended: [.ats(invalidateQueueDepth: 4), .pri(outstandingRequests: 64), .pasid(width: 20, execute: true)]).bytes
        let model = KernelModel(host: host)
        let sysfs = try #require(model.readFile("/sys/bus/pci/devices/0000:00:01.0/config"))
        let parsed = PCIExpressCapabilities(configSpace: sysfs)
        #expect(parsed.extendedCapabilityIDs == [0x0f, 0x13, 0x1b])
        #expect(parsed.pasid?.maxWidth == 20 && parsed.pasid?.executePermission == true && parsed.pasid?.enabled == true)
        #expect(parsed.ats?.invalidateQueueDepth == 4)
        #expect(parsed.pri?.outstandingPageRequestCapacity == 64)
        // The same bytes through VFIO.
        let iommufd = try IOMMUFD(backend: model)
        var device = try VFIODevice(opening: "vfio0", backend: model)
        #expect(failure { try device.readConfigSpace() } == EINVAL, "regions need a bound device")
        try device.bind(to: iommufd)
        #expect(try device.readConfigSpace() == sysfs)
        #expect(try device.regionInfo(7).size == 4096)
        #expect(failure { try device.regionInfo(8) } == EINVAL, "no VGA region")
    }

    @Test func hotPlugAndUnbind() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        #expect(model.directoryEntries("/dev/vfio/devices") == ["vfio0"])
        model.addDevice(HostDevice(address: PCIAddress(bus: 0, device: 5, function: 0)!, vfioIndex: 3, iommuGroup: 5,
                                   iommu: "dmar0", profile: .intelVTd()))
        #expect(model.directoryEntries("/dev/vfio/devices") == ["vfio0", "vfio3"])
        let iommufd = try IOMMUFD(backend: model)
        var device = try VFIODevice(opening: "0000:00:05.0", backend: model)
        try device.bind(to: iommufd)
        try model.removeDevice(vfioIndex: 3)
        #expect(model.directoryEntries("/dev/vfio/devices") == ["vfio0"])
        #expect(model.canonicalPath("/sys/bus/pci/devices/0000:00:05.0") == nil)
        #expect(caught { try VFIODevice(opening: "vfio3", backend: model) }?.code == .deviceNotFound)
        // The open descriptor keeps working until it is closed.
        #expect(try device.info().regionCount == 9)
        device.close()
        #expect(throws: ModelError.noSuchDevice("vfio3")) { try model.removeDevice(vfioIndex: 3) }
    }

    @Test func accessAndAvailability() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        model.denyAccess(to: "/dev/vfio/devices/vfio0")
        #expect(caught { try VFIODevice(opening: "vfio0", backend: model) }?.code == .permissionDenied)
        model.denyAccess(to: "/dev/iommu")
        #expect(caught { try IOMMUFD(backend: model) }?.code == .permissionDenied)
        let none = KernelModel(host: ModelHost(iommufdNode: nil))
        let error = caught { try IOMMUFD(backend: none) }
        #expect(error?.code == .iommufdUnavailable && error?.errno?.rawValue == ENOENT)
        #expect(model.open("/tmp", flags: O_RDWR) == -ENOENT)
        #expect(model.open("/sys", flags: O_RDWR) == -EISDIR)
    }

    @Test func fileSystemEdges() throws {
        let model = Self.host()
        model.addFile(.symbolicLink(to: "loop-b"), at: "/tmp/loop-a")
        model.addFile(.symbolicLink(to: "loop-a"), at: "/tmp/loop-b")
        #expect(throws: Errno(rawValue: ELOOP)) { try model.status(ofPath: "/tmp/loop-a") }
        #expect(model.canonicalPath("/tmp/loop-a") == nil)
        #expect(model.canonicalPath("/dev/vfio/devices/../devices/./vfio0") == "/dev/vfio/devices/vfio0")
        #expect(try model.status(ofPath: "/tmp/null-link").kind == .characterDevice)
        model.removeFile(at: "/tmp")
        #expect(model.canonicalPath("/tmp/regular") == nil)
        let fd = model.open("/proc/version", flags: O_RDONLY)
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { model.pread(fd, into: $0, offset: 0) }
        #expect(String(decoding: bytes.prefix(count), as: UTF8.self).hasPrefix("Linux version 7.2.13"))
        var word: UInt32 = 0
        #expect(withUnsafeMutableBytes(of: &word) { model.ioctl(fd, request: 0x5401, argument: $0.baseAddress!) } == -ENOTTY)
        #expect(try model.status(ofDescriptor: fd).kind == .regular)
        #expect(model.close(fd) == 0 && model.close(fd) == -EBADF)
        #expect(throws: Errno(rawValue: EBADF)) { try model.status(ofDescriptor: fd) }
    }
}
