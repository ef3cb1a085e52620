#if canImport(Glibc)
import Glibc
#endif
import CIOMMUFD
import IOMMUFD
import SystemPackage
import Testing

/// Every errno the typed layer classifies, with the hint a person can act on.
@Suite("error mapping and hints")
struct ErrorMappingTests {
    let backend = ScriptedBackend()

    func open() throws -> IOMMUFD { try backend.openIOMMUFD() }

    func failing(_ errno: CInt, kernel: String? = "7.2.13") throws -> IOMMUFD {
        backend.setKernelRelease(kernel)
        backend.respond { _, _, _ in -errno }
        return try open()
    }

    @Test("missing /dev/iommu: kernel without iommufd")
    func missingNode() {
        let error = #expect(throws: IOMMUFDError.self) { _ = try IOMMUFD(backend: backend) }
        #expect(error?.code == .iommufdUnavailable && error?.operation == .openIOMMUFD)
        #expect(error?.errno == .noSuchFileOrDirectory && error?.path == "/dev/iommu")
        #expect(error?.hint.contains("CONFIG_IOMMUFD") == true)
        #expect(error?.description.hasPrefix("open iommufd failed on /dev/iommu: ENOENT") == true)
    }

    @Test("no permission: root or access rights")
    func noPermission() {
        backend.addIOMMUNode()
        backend.failOpen("/dev/iommu", errno: EACCES)
        let error = #expect(throws: IOMMUFDError.self) { _ = try IOMMUFD(backend: backend) }
        #expect(error?.code == .permissionDenied && error?.hint.contains("root") == true)
    }

    @Test("ENOTTY on an older kernel names the release that added the ioctl")
    func enottyOldKernel() throws {
        let iommufd = try failing(ENOTTY, kernel: "6.1.0-18-amd64")
        let error = #expect(throws: IOMMUFDError.self) {
            try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: 1), on: .ioas(IOASID(rawValue: 2)))
        }
        #expect(error?.code == .unsupportedByKernel)
        #expect(error?.hint == "Linux 6.1 predates IOMMU_HWPT_ALLOC, which Linux 6.6 added")
    }

    @Test("ENOTTY on a new kernel: the descriptor is not an iommufd")
    func enottyNewKernel() throws {
        let iommufd = try failing(ENOTTY)
        let error = #expect(throws: IOMMUFDError.self) { try iommufd.allocateIOAS() }
        #expect(error?.code == .unsupportedByKernel && error?.hint.contains("not an iommufd") == true)
    }

    @Test("EOPNOTSUPP on HWPT_ALLOC before 6.15 names the PASID flag's release")
    func pasidOnOldKernel() throws {
        let iommufd = try failing(EOPNOTSUPP, kernel: "6.12.9")
        let error = #expect(throws: IOMMUFDError.self) {
            try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: 1), on: .ioas(IOASID(rawValue: 2)), flags: [.dirtyTracking, .pasid])
        }
        #expect(error?.code == .unsupportedFeature)
        #expect(error?.hint == "Linux 6.12 predates IOMMU_HWPT_ALLOC_PASID (Linux 6.15)")
        #expect(error?.objects == [BoundDeviceID(rawValue: 1).reference, IOASID(rawValue: 2).reference])
    }

    @Test("EOPNOTSUPP on HWPT_ALLOC on a new kernel explains each flag")
    func unsupportedFlagsOnNewKernel() throws {
        let iommufd = try failing(EOPNOTSUPP)
        let error = #expect(throws: IOMMUFDError.self) {
            try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: 1), on: .ioas(IOASID(rawValue: 2)), flags: [.nestParent, .dirtyTracking])
        }
        let hint = error?.hint ?? ""
        #expect(hint.hasPrefix("the IOMMU driver for this device does not support [nestParent, dirtyTracking]"))
        #expect(hint.contains("nestParent:") && hint.contains("dirtyTracking:") && !hint.contains("pasid:"))
    }

    @Test("EINVAL on attach: incompatible domain")
    func attachIncompatible() throws {
        backend.addVFIODevice(name: "vfio0", pci: "0000:00:03.0")
        backend.respond { _, _, _ in -EINVAL }
        let device = try VFIODevice(opening: "vfio0", backend: backend)
        let error = #expect(throws: IOMMUFDError.self) { try device.attach(to: HWPTID(rawValue: 5)) }
        #expect(error?.code == .incompatibleDomain && error?.operation == .vfioDeviceAttachIOMMUFDPT)
        #expect(error?.path == "/dev/vfio/devices/vfio0" && error?.objects == [HWPTID(rawValue: 5).reference])
        let pasid = #expect(throws: IOMMUFDError.self) { try device.attach(to: HWPTID(rawValue: 5), pasid: 3) }
        #expect(pasid?.hint.contains("IOMMU_HWPT_ALLOC_PASID") == true)
    }

    @Test("EBUSY on destroy: object in use")
    func destroyBusy() throws {
        let iommufd = try failing(EBUSY)
        let error = #expect(throws: IOMMUFDError.self) { try iommufd.destroy(IOASID(rawValue: 1)) }
        #expect(error?.code == .objectBusy && error?.hint.contains("detach") == true)
    }

    @Test("EBUSY on bind: the device is used elsewhere")
    func bindBusy() throws {
        backend.addVFIODevice(name: "vfio0", pci: "0000:00:03.0")
        let iommufd = try failing(EBUSY)
        var device = try VFIODevice(opening: "/dev/vfio/devices/vfio0", backend: backend)
        let error = #expect(throws: IOMMUFDError.self) { try device.bind(to: iommufd) }
        #expect(error?.code == .deviceBusy && error?.hint.contains("already bound") == true)
        #expect(device.deviceID == nil)
    }

    @Test("EPERM on bind: interrupt remapping missing")
    func bindPermission() throws {
        backend.addVFIODevice(name: "vfio0", pci: "0000:00:03.0")
        let iommufd = try failing(EPERM)
        var device = try VFIODevice(opening: "vfio0", backend: backend)
        let error = #expect(throws: IOMMUFDError.self) { try device.bind(to: iommufd) }
        #expect(error?.code == .permissionDenied && error?.hint.contains("allow_unsafe_interrupts") == true)
    }

    @Test("EINTR is retried until the call completes")
    func eintrRetried() throws {
        backend.respond { _, argument, index in
            if index < 2 { return -EINTR }
            var command = load(argument, as: iommu_ioas_alloc.self)
            command.out_ioas_id = 3
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        #expect(try iommufd.allocateIOAS() == IOASID(rawValue: 3))
        #expect(backend.calls.count == 3)
    }

    @Test("EBADF and EFAULT are programmer errors", arguments: [EBADF, EFAULT])
    func programmerErrors(_ errno: CInt) throws {
        let iommufd = try failing(errno)
        let error = #expect(throws: IOMMUFDError.self) { try iommufd.allocateIOAS() }
        #expect(error?.code == .programmerError)
    }

    @Test("remaining classes", arguments: [
        (ENOENT, IOMMUFDError.Code.noSuchObject), (E2BIG, .unsupportedFeature), (ENOMEM, .outOfResources),
        (EEXIST, .invalidArgument), (EOVERFLOW, .invalidArgument), (EIO, .system),
    ])
    func classes(_ errno: CInt, _ code: IOMMUFDError.Code) throws {
        let iommufd = try failing(errno)
        let error = #expect(throws: IOMMUFDError.self) { try iommufd.destroy(HWPTID(rawValue: 3)) }
        #expect(error?.code == code && error?.errno == Errno(rawValue: errno))
        #expect(error?.description.contains(Errno(rawValue: errno).symbolicName) == true)
        #expect(error?.hint.isEmpty == false)
    }

    @Test("errors name the operation, the objects, the errno and the hint in one line")
    func description() throws {
        let iommufd = try failing(EBUSY)
        let error = #expect(throws: IOMMUFDError.self) { try iommufd.destroy(HWPTID(rawValue: 7)) }
        #expect(error?.description == "IOMMU_DESTROY failed on HWPT 7: EBUSY (Device or resource busy). "
                + "the object is still in use: detach its devices and destroy the objects built on it "
                + "(nested HWPTs, vIOMMUs, vDEVICEs) first")
    }
}

/// The iommufd node is checked before it is opened.
@Suite("iommufd node check")
struct IOMMUFDNodeTests {
    @Test("a file that is not misc/iommu is refused without being opened", arguments: [
        FileStatus(kind: .regular), FileStatus(kind: .directory), FileStatus(kind: .fifo),
        FileStatus(kind: .characterDevice, deviceMajor: 1, deviceMinor: 3),
    ])
    func notTheNode(_ status: FileStatus) {
        let backend = ScriptedBackend()
        backend.addFile("/tmp/not-iommu", status)
        backend.addLink("/sys/dev/char/1:3", to: "/sys/devices/virtual/mem/null")
        let error = #expect(throws: IOMMUFDError.self) { _ = try IOMMUFD(path: "/tmp/not-iommu", backend: backend) }
        #expect(error?.code == .notAnIOMMUFD && error?.path == "/tmp/not-iommu")
        #expect(error?.hint.contains("nothing was opened") == true)
        #expect(backend.opens.isEmpty && backend.calls.isEmpty)
    }

    @Test("the real node is accepted and opened once")
    func theNode() throws {
        let backend = ScriptedBackend()
        backend.addIOMMUNode()
        let iommufd = try IOMMUFD(backend: backend)
        #expect(backend.opens == ["/dev/iommu"] && iommufd.path == "/dev/iommu")
        #expect(try IOMMUFD.checkNode("/dev/iommu", backend: backend).deviceMajor == 10)
    }

    @Test("an adopted descriptor is checked; a wrong one stays the caller's")
    func adoptChecks() throws {
        let backend = ScriptedBackend()
        let fd = Glibc.open("/dev/null", O_RDWR)
        defer { _ = Glibc.close(fd) }
        let error = #expect(throws: IOMMUFDError.self) {
            _ = try IOMMUFD(adopting: FileDescriptor(rawValue: fd), backend: backend)
        }
        #expect(error?.code == .notAnIOMMUFD && error?.hint.contains("no ioctl was issued") == true)
        #expect(fcntl(fd, F_GETFD) >= 0, "the caller's descriptor was closed")
        // Unverified adoption (no sysfs in a container) takes it as it is.
        let unchecked = try IOMMUFD(adopting: FileDescriptor(rawValue: fd), verify: false, backend: backend)
        _ = unchecked.relinquish()
        #expect(backend.calls.isEmpty)
    }
}
