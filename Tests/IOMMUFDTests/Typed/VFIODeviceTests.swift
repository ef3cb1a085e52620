#if canImport(Glibc)
import Glibc
#endif
import CIOMMUFD
import Foundation
import IOMMUFD
import SystemPackage
import Testing

/// Opening VFIO devices: resolution, the descriptor check, and the cdev ioctls.
@Suite("VFIO device cdev")
struct VFIODeviceTests {
    let backend = ScriptedBackend()

    @Test("vfioN, the node path and the PCI address (with or without domain) all resolve", arguments: [
        "vfio0", "/dev/vfio/devices/vfio0", "0000:00:03.0", "00:03.0",
    ])
    func resolves(_ specifier: String) throws {
        backend.addVFIODevice(name: "vfio0", pci: "0000:00:03.0")
        let location = try VFIODeviceLocation(resolving: specifier, backend: backend)
        #expect(location.devicePath == "/dev/vfio/devices/vfio0" && location.name == "vfio0")
        #expect(location.pciAddress == PCIAddress(parsing: "0000:00:03.0"))
        #expect(location.sysfsPath == "/sys/devices/pci0000:00/0000:00:03.0/vfio-dev/vfio0")
        #expect(backend.calls.isEmpty && backend.opens.isEmpty)
    }

    @Test("a PCI device not bound to vfio-pci gets the binding recipe")
    func pciNotBound() throws {
        backend.addDirectory("/sys/bus/pci/devices/0000:00:02.0", entries: ["vendor"])
        backend.addLink("/sys/bus/pci/devices/0000:00:02.0/driver", to: "/sys/bus/pci/drivers/e1000e")
        let error = #expect(throws: IOMMUFDError.self) { try VFIODeviceLocation(resolving: "00:02.0", backend: backend) }
        #expect(error?.code == .notAVFIODevice)
        #expect(error?.hint.contains("is bound to e1000e") == true)
        #expect(error?.hint.contains("driver_override") == true)
    }

    @Test("malformed and missing specifiers", arguments: ["", "vfio", "vfiox", "00:03", "0000:00:3g.0", "00:20.0",
                                                       "0000:00:03.8", "eth0"])
    func malformed(_ specifier: String) {
        let error = #expect(throws: IOMMUFDError.self) { try VFIODeviceLocation(resolving: specifier, backend: backend) }
        #expect(error?.code == .deviceNotFound)
        #expect(backend.opens.isEmpty)
    }

    @Test("a PCI address that does not exist")
    func missingPCI() {
        let error = #expect(throws: IOMMUFDError.self) { try VFIODeviceLocation(resolving: "0000:7f:1f.7", backend: backend) }
        #expect(error?.code == .deviceNotFound && error?.hint.contains("lspci") == true)
    }

    /// Real files of every kind the check must refuse, with no ioctl and no
    /// descriptor left open.
    @Test("non-VFIO files are refused before any ioctl", arguments: ["regular", "directory", "fifo", "devnull",
                                                                      "link-to-regular", "link-to-fifo",
                                                                      "link-to-devnull", "missing"])
    func refusesNonVFIO(_ kind: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iommufd-check-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let regular = dir + "/regular", fifo = dir + "/fifo"
        _ = FileManager.default.createFile(atPath: regular, contents: Data("x".utf8))
        #expect(mkfifo(fifo, 0o600) == 0)
        let target: String
        switch kind {
        case "regular": target = regular
        case "directory": target = dir
        case "fifo": target = fifo
        case "devnull": target = "/dev/null"
        case "missing": target = dir + "/missing"
        default:
            let destination = kind == "link-to-regular" ? regular : kind == "link-to-fifo" ? fifo : "/dev/null"
            target = dir + "/" + kind
            try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: destination)
        }
        backend.useRealFileSystem(under: dir)
        backend.useRealFileSystem(under: "/dev/null")
        let error = #expect(throws: IOMMUFDError.self) { _ = try VFIODevice(opening: target, backend: backend) }
        #expect(error?.code == (kind == "missing" ? .deviceNotFound : .notAVFIODevice))
        #expect(error?.path == target)
        if kind != "missing" { #expect(error?.hint.contains("no ioctl was issued") == true) }
        #expect(backend.calls.isEmpty, "an ioctl reached a non-VFIO file")
        #expect(backend.opens.isEmpty, "the file was opened")
    }

    @Test("the real LinuxSyscalls backend refuses /dev/null too")
    func realBackendRefusesDevNull() {
        let error = #expect(throws: IOMMUFDError.self) { _ = try VFIODevice(opening: "/dev/null") }
        #expect(error?.code == .notAVFIODevice)
        #expect(error?.hint.contains("character device 1:3") == true)
    }

    @Test("adopting a descriptor checks it the same way and leaves it open on failure")
    func adoptChecks() throws {
        let fd = Glibc.open("/dev/null", O_RDWR)
        defer { _ = Glibc.close(fd) }
        let error = #expect(throws: IOMMUFDError.self) {
            _ = try VFIODevice(adopting: FileDescriptor(rawValue: fd), backend: backend)
        }
        #expect(error?.code == .notAVFIODevice)
        #expect(fcntl(fd, F_GETFD) >= 0, "the caller's descriptor was closed")
        #expect(backend.calls.isEmpty)
    }

    @Test("bind, attach, detach and device info send the cdev structures")
    func cdevCalls() throws {
        backend.addVFIODevice(name: "vfio1", pci: "0000:00:04.0", minor: 1)
        backend.addIOMMUNode()
        backend.respond { request, argument, _ in
            switch request {
            case CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD:
                var command = load(argument, as: vfio_device_bind_iommufd.self)
                command.out_devid = 6
                reply(argument, command)
            case CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT:
                var command = load(argument, as: vfio_device_attach_iommufd_pt.self)
                command.pt_id = 11
                reply(argument, command)
            case CIOMMUFD_VFIO_DEVICE_GET_INFO:
                var command = load(argument, as: vfio_device_info.self)
                command.flags = UInt32(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET)
                command.num_regions = 9
                command.num_irqs = 5
                reply(argument, command)
            default: break
            }
            return 0
        }
        let iommufd = try IOMMUFD(backend: backend)
        var device = try VFIODevice(opening: "vfio1", backend: backend)
        #expect(try device.bind(to: iommufd) == BoundDeviceID(rawValue: 6))
        #expect(device.deviceID == BoundDeviceID(rawValue: 6))
        #expect(try device.attach(to: IOASID(rawValue: 1)) == HWPTID(rawValue: 11))
        _ = try device.attach(to: HWPTID(rawValue: 11), pasid: 5)
        try device.detach(pasid: 5)
        try device.detach()
        let info = try device.info()
        #expect(info.flags == [.pci, .reset] && info.regionCount == 9 && info.irqCount == 5)

        let calls = backend.calls
        #expect(calls.map(\.request) == [
            CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD, CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT,
            CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT, CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT,
            CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT, CIOMMUFD_VFIO_DEVICE_GET_INFO,
        ])
        #expect(calls.allSatisfy { $0.descriptor == device.descriptor.rawValue })
        let bind = calls[0].load(vfio_device_bind_iommufd.self)
        #expect(bind.argsz == 24 && bind.flags == 0 && bind.iommufd == iommufd.descriptor.rawValue)
        #expect(bind.token_uuid_ptr == 0)
        let attach = calls[1].load(vfio_device_attach_iommufd_pt.self)
        #expect(attach.argsz == 16 && attach.flags == 0 && attach.pt_id == 1 && attach.pasid == 0)
        let attachPASID = calls[2].load(vfio_device_attach_iommufd_pt.self)
        #expect(attachPASID.flags == UInt32(VFIO_DEVICE_ATTACH_PASID) && attachPASID.pasid == 5 && attachPASID.pt_id == 11)
        let detachPASID = calls[3].load(vfio_device_detach_iommufd_pt.self)
        #expect(detachPASID.argsz == 12 && detachPASID.flags == UInt32(VFIO_DEVICE_DETACH_PASID) && detachPASID.pasid == 5)
        let detach = calls[4].load(vfio_device_detach_iommufd_pt.self)
        #expect(detach.flags == 0 && detach.pasid == 0)
        #expect(calls[5].load(vfio_device_info.self).argsz == 24)
    }

    @Test("a VF token is passed by pointer with the token flag")
    func bindWithToken() throws {
        backend.addVFIODevice(name: "vfio0", pci: "0000:00:03.0")
        backend.addIOMMUNode()
        backend.respond { _, argument, _ in
            let command = load(argument, as: vfio_device_bind_iommufd.self)
            let uuid = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: UInt(command.token_uuid_ptr)), count: 16)
            #expect(Array(uuid) == [0x2a, 0xb7, 0x49, 0x24, 0xc3, 0x35, 0x45, 0xf4,
                                    0x9b, 0x16, 0x85, 0x69, 0xe5, 0xb0, 0x82, 0x58])
            return 0
        }
        let iommufd = try IOMMUFD(backend: backend)
        var device = try VFIODevice(opening: "vfio0", backend: backend)
        let token = try #require(VFToken(uuid: "2ab74924-c335-45f4-9b16-8569e5b08258"))
        try device.bind(to: iommufd, token: token)
        let bind = try #require(backend.calls.first).load(vfio_device_bind_iommufd.self)
        #expect(bind.flags == UInt32(VFIO_DEVICE_BIND_FLAG_TOKEN) && bind.token_uuid_ptr != 0)
        #expect(VFToken(uuid: "not-a-uuid") == nil)
    }
}
