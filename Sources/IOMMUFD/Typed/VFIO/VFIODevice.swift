#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import CIOMMUFD   // attach and detach are inlinable
public import SystemPackage

/// An open VFIO device character device (`/dev/vfio/devices/vfioN`), owned:
/// the descriptor is closed exactly once, which also unbinds the device from
/// its iommufd.
///
/// Opening checks, before the first ioctl, that the file is a character
/// device that sysfs places in the `vfio-dev` class; regular files,
/// directories, FIFOs, `/dev/null` and other devices are refused.
///
/// ```swift
/// var device = try VFIODevice(opening: "0000:00:03.0")
/// let id = try device.bind(to: iommufd)
/// let hwpt = try device.attach(to: ioas)
/// ```
public struct VFIODevice: ~Copyable, Sendable {
    /// The descriptor. Owned by this value.
    @inlinable public var descriptor: FileDescriptor { owner.descriptor }
    /// Where the device is: node, sysfs directory, PCI address.
    public let location: VFIODeviceLocation
    /// The device's ID in the iommufd it is bound to, once bound.
    public private(set) var deviceID: BoundDeviceID?

    @usableFromInline let owner: OwnedDescriptor

    @inlinable var syscalls: Syscalls { owner.syscalls }

    /// Opens a VFIO device by path (`/dev/vfio/devices/vfioN`, or a link to
    /// it), name (`vfioN`) or PCI address (`0000:00:03.0`, `00:03.0`).
    ///
    /// - Throws: ``IOMMUFDError`` with ``IOMMUFDError/Code/deviceNotFound``,
    ///   ``IOMMUFDError/Code/notAVFIODevice`` (no ioctl issued) or
    ///   ``IOMMUFDError/Code/permissionDenied``.
    public init(opening specifier: String, backend: (any SyscallBackend)? = nil) throws(IOMMUFDError) {
        let syscalls = Syscalls(backend)
        let location = try VFIODeviceLocation(resolving: specifier, backend: syscalls.backend)
        let fd = syscalls.open(location.devicePath, flags: O_RDWR)
        guard fd >= 0 else {
            let errno = Errno(rawValue: -fd)
            let code: IOMMUFDError.Code = switch errno.rawValue {
            case EACCES, EPERM: .permissionDenied
            case EBUSY: .deviceBusy
            case ENOENT, ENODEV, ENXIO: .deviceNotFound
            default: .system
            }
            throw IOMMUFDError(
                code: code, operation: .openVFIODevice, errno: errno, path: location.devicePath,
                hint: code == .permissionDenied ? "run as root or grant access to \(location.devicePath)"
                    : code == .deviceBusy ? "the device is in use by another process or its VFIO group is open"
                    : "the device went away")
        }
        // The node could have been swapped between the check and the open:
        // check the descriptor itself too.
        do throws(IOMMUFDError) {
            let opened: FileStatus
            do { opened = try syscalls.backend.status(ofDescriptor: fd) } catch {
                throw IOMMUFDError(code: .system, operation: .checkVFIODevice, errno: error,
                                   path: location.devicePath, hint: "cannot inspect the opened descriptor")
            }
            guard opened == location.status else {
                throw IOMMUFDError(code: .notAVFIODevice, operation: .checkVFIODevice, path: location.devicePath,
                                   hint: "the file changed between the check and the open; no ioctl was issued")
            }
        } catch {
            syscalls.close(fd)
            throw error
        }
        self.owner = OwnedDescriptor(fd, syscalls: syscalls)
        self.location = location
    }

    /// Takes ownership of an open descriptor after checking that it is a
    /// VFIO device cdev (no ioctl is issued otherwise). On failure the
    /// descriptor is left open and still belongs to the caller.
    public init(adopting descriptor: FileDescriptor, backend: (any SyscallBackend)? = nil) throws(IOMMUFDError) {
        let syscalls = Syscalls(backend)
        let status = try syscalls.statusOfAdopted(descriptor.rawValue, operation: .checkVFIODevice)
        let location = try VFIODeviceLocation.check(
            status: status, path: "descriptor \(descriptor.rawValue)", backend: syscalls.backend)
        self.owner = OwnedDescriptor(descriptor.rawValue, syscalls: syscalls)
        self.location = location
    }


    /// Closes the device now (which unbinds it from its iommufd).
    public consuming func close() {
        owner.close()
    }

    /// Gives up ownership without closing: the caller must close the returned
    /// descriptor (which unbinds the device).
    public consuming func relinquish() -> FileDescriptor {
        owner.relinquish()
    }

    /// Binds the device to an iommufd (`VFIO_DEVICE_BIND_IOMMUFD`, Linux 6.6).
    ///
    /// - Parameters:
    ///   - iommufd: The iommufd.
    ///   - token: The VF token (a UUID's 16 bytes) a PF driver requires of its
    ///     VFs (`VFIO_DEVICE_BIND_FLAG_TOKEN`).
    /// - Returns: The device's ID in that iommufd.
    @discardableResult
    public mutating func bind(to iommufd: borrowing IOMMUFD, token: VFToken? = nil) throws(IOMMUFDError) -> BoundDeviceID {
        var command = vfio_device_bind_iommufd()
        command.argsz = UInt32(MemoryLayout<vfio_device_bind_iommufd>.size)
        command.iommufd = iommufd.descriptor.rawValue
        var uuid = token?.bytes ?? (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        try withUnsafeMutableBytes(of: &uuid) { (uuidBytes) throws(IOMMUFDError) in
            if token != nil {
                command.flags = UInt32(VFIO_DEVICE_BIND_FLAG_TOKEN)
                command.token_uuid_ptr = UInt64(UInt(bitPattern: uuidBytes.baseAddress))
            }
            try perform(.vfioDeviceBindIOMMUFD, CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD, &command,
                        context: .bind(token: token != nil))
        }
        let id = BoundDeviceID(rawValue: command.out_devid)
        deviceID = id
        return id
    }

    /// Attaches the device — or one PASID of it — to a page table
    /// (`VFIO_DEVICE_ATTACH_IOMMUFD_PT`); attaching again replaces the page
    /// table without a detach.
    ///
    /// - Parameters:
    ///   - target: An IOAS (the kernel finds or makes a compatible HWPT) or an HWPT.
    ///   - pasid: A PASID to attach instead of the whole device
    ///     (`VFIO_DEVICE_ATTACH_PASID`, Linux 6.15). The kernel refuses it
    ///     while the device's own page table lacks ``HWPTAllocFlags/pasid``.
    /// - Returns: The HWPT now attached (for an IOAS, the one the kernel chose).
    /// - Throws: ``IOMMUFDError``; `EINVAL` becomes
    ///   ``IOMMUFDError/Code/incompatibleDomain``.
    @inlinable @discardableResult
    public func attach<Target: AttachTargetID>(to target: Target, pasid: UInt32? = nil) throws(IOMMUFDError) -> HWPTID {
        // Inlinable, like every ioctl on a hot path: the caller issues the
        // system call from its own frame (see IOMMUFD's perform).
        try attach(pageTableID: target.rawValue, kindName: Target.kindName, pasid: pasid)
    }

    /// ``attach(to:pasid:)`` for one page-table number; `kindName` names it
    /// in an error.
    @inlinable @inline(__always)
    func attach(pageTableID: UInt32, kindName: String, pasid: UInt32?) throws(IOMMUFDError) -> HWPTID {
        var command = vfio_device_attach_iommufd_pt()
        command.argsz = UInt32(MemoryLayout<vfio_device_attach_iommufd_pt>.size)
        command.pt_id = pageTableID
        if let pasid {
            command.flags = UInt32(VFIO_DEVICE_ATTACH_PASID)
            command.pasid = pasid
        }
        try perform(.vfioDeviceAttachIOMMUFDPT, CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT, &command,
                    objects: [ObjectReference(kind: kindName, id: pageTableID)], context: .attach(pasid: pasid))
        return HWPTID(rawValue: command.pt_id)
    }

    /// Detaches the device — or one PASID of it — from its page table
    /// (`VFIO_DEVICE_DETACH_IOMMUFD_PT`); DMA is blocked afterwards.
    @inlinable @inline(__always)   // the ioctl is issued from the caller's frame (see IOMMUFD's perform)
    public func detach(pasid: UInt32? = nil) throws(IOMMUFDError) {
        var command = vfio_device_detach_iommufd_pt()
        command.argsz = UInt32(MemoryLayout<vfio_device_detach_iommufd_pt>.size)
        if let pasid {
            command.flags = UInt32(VFIO_DEVICE_DETACH_PASID)
            command.pasid = pasid
        }
        try perform(.vfioDeviceDetachIOMMUFDPT, CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT, &command,
                    context: .detach(pasid: pasid))
    }

    /// The device's kind, regions and interrupts (`VFIO_DEVICE_GET_INFO`).
    /// The device must be bound first.
    public func info() throws(IOMMUFDError) -> VFIODeviceInfo {
        var command = vfio_device_info()
        command.argsz = UInt32(MemoryLayout<vfio_device_info>.size)
        try perform(.vfioDeviceGetInfo, CIOMMUFD_VFIO_DEVICE_GET_INFO, &command)
        return VFIODeviceInfo(
            flags: VFIODeviceInfo.Flags(rawValue: command.flags),
            regionCount: command.num_regions, irqCount: command.num_irqs)
    }

    /// The size and file offset of a device region (`VFIO_DEVICE_GET_REGION_INFO`).
    public func regionInfo(_ index: UInt32) throws(IOMMUFDError) -> VFIORegionInfo {
        var command = vfio_region_info()
        command.argsz = UInt32(MemoryLayout<vfio_region_info>.size)
        command.index = index
        try perform(.vfioDeviceGetRegionInfo, CIOMMUFD_VFIO_DEVICE_GET_REGION_INFO, &command)
        return VFIORegionInfo(index: index, flags: command.flags, size: command.size, offset: command.offset)
    }

    /// Reads the PCI configuration space (up to 4 KiB) through the device's
    /// config region. The device must be bound first.
    public func readConfigSpace(maxLength: Int = 4096) throws(IOMMUFDError) -> [UInt8] {
        let region = try regionInfo(UInt32(VFIO_PCI_CONFIG_REGION_INDEX))
        let length = Int(min(UInt64(maxLength), region.size))
        var bytes = [UInt8](repeating: 0, count: length)
        let n = bytes.withUnsafeMutableBytes {
            syscalls.backend.pread(descriptor.rawValue, into: $0, offset: Int64(bitPattern: region.offset))
        }
        if n < 0 {
            throw IOMMUFDError(code: .system, operation: .readVFIORegion, errno: Errno(rawValue: CInt(-n)),
                               path: location.devicePath, hint: "reading the PCI configuration space failed")
        }
        return Array(bytes.prefix(n))
    }

    /// Issues one VFIO device ioctl with `argument` as its structure; maps a
    /// failure to an ``IOMMUFDError`` naming the device, the operation and
    /// `objects` (built only on failure). Inlinable, so attach and detach
    /// issue the system call from their caller's frame (see ``IOMMUFD``'s).
    @inlinable @inline(__always)
    func perform<Argument>(
        _ operation: @autoclosure () -> IOMMUFDError.Operation, _ request: UInt, _ argument: inout Argument,
        objects: @autoclosure () -> [ObjectReference] = [],
        context: @autoclosure () -> IOMMUFDError.Context = .none
    ) throws(IOMMUFDError) {
        // Nothing here hands the whole device to a function: the ioctl takes
        // its descriptor and its syscall route, the error path the three
        // fields it names. Were the device (over 100 bytes) an argument of
        // any call, even one on the error path, the compiler would copy all
        // of it to the stack on entry, on every call (Docs/Benchmarks.md,
        // fix 22).
        let descriptor = owner.descriptor.rawValue
        let rc = withUnsafeMutableBytes(of: &argument) { owner.syscalls.ioctl(descriptor, request, $0.baseAddress!) }
        if rc < 0 {
            throw Self.failure(operation(), rc, objects: objects(), context: context(), device: deviceID,
                               path: location.devicePath, backend: owner.syscalls.backend)
        }
    }

    /// The error of a failed device ioctl (out of line). Static, taking the
    /// fields it names: see ``perform(_:_:_:objects:context:)``.
    @usableFromInline @inline(never)
    static func failure(
        _ operation: IOMMUFDError.Operation, _ rc: CInt, objects: [ObjectReference] = [],
        context: IOMMUFDError.Context = .none, device: BoundDeviceID?, path: String, backend: any SyscallBackend
    ) -> IOMMUFDError {
        var all: [ObjectReference] = device.map { [$0.reference] } ?? []
        all += objects
        return IOMMUFDError(operation: operation, errno: Errno(rawValue: -rc), objects: all, context: context,
                            backend: backend, path: path)
    }
}
