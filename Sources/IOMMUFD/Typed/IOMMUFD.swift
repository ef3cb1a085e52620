#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import SystemPackage

/// An owned iommufd: the `/dev/iommu` descriptor through which IO address
/// spaces, hardware page tables and the other iommufd objects are made.
///
/// `IOMMUFD` is non-copyable: exactly one value owns the descriptor, which is
/// closed exactly once — by ``close()`` or when the value goes out of scope —
/// and cannot be used afterwards. Every object the kernel made through it is
/// destroyed when the descriptor closes.
///
/// ```swift
/// let iommufd = try IOMMUFD()
/// let ioas = try iommufd.allocateIOAS()
/// var device = try VFIODevice(opening: "0000:00:03.0")
/// let deviceID = try device.bind(to: iommufd)
/// let info = try iommufd.hardwareInfo(for: deviceID)
/// ```
///
/// The methods are thin, typed forms of the iommufd ioctls; each names its C
/// ioctl in its documentation. None allocates heap memory on success unless
/// it returns an array.
public struct IOMMUFD: ~Copyable, Sendable {
    /// The descriptor. Owned by this value: do not close it yourself.
    @inlinable public var descriptor: FileDescriptor { owner.descriptor }

    /// The path it was opened from, or `nil` for an adopted descriptor.
    public let path: String?

    @usableFromInline let owner: OwnedDescriptor

    @inlinable var syscalls: Syscalls { owner.syscalls }

    /// The default iommufd node.
    public static let defaultPath = "/dev/iommu"

    /// Opens the iommufd node (`open("/dev/iommu", O_RDWR | O_CLOEXEC)`).
    ///
    /// - Parameters:
    ///   - path: The node to open; `/dev/iommu` unless the system puts it elsewhere.
    ///   - backend: The system-call backend; the real kernel unless a test
    ///     passes another (see ``SyscallBackend``).
    /// - Throws: ``IOMMUFDError`` with code ``IOMMUFDError/Code/iommufdUnavailable``
    ///   when the node is missing (a kernel without `CONFIG_IOMMUFD`, or the
    ///   module not loaded) and ``IOMMUFDError/Code/permissionDenied`` without access.
    public init(path: String = IOMMUFD.defaultPath, backend: (any SyscallBackend)? = nil) throws(IOMMUFDError) {
        let syscalls = Syscalls(backend)
        let status = try Self.checkNode(path, backend: syscalls.backend)
        let fd = syscalls.open(path, flags: O_RDWR)
        guard fd >= 0 else {
            throw IOMMUFDError.openFailed(path: path, errno: Errno(rawValue: -fd))
        }
        // The node could have been swapped between the check and the open.
        guard (try? syscalls.backend.status(ofDescriptor: fd)) == status else {
            syscalls.close(fd)
            throw IOMMUFDError(code: .notAnIOMMUFD, operation: .openIOMMUFD, path: path,
                               hint: "the file changed between the check and the open; no ioctl was issued")
        }
        self.owner = OwnedDescriptor(fd, syscalls: syscalls)
        self.path = path
    }

    /// Checks, without opening it, that `path` is the iommufd node: a
    /// character device that sysfs names `misc/iommu`. ``init(path:backend:)``
    /// does this first, so no iommufd ioctl can reach another file.
    ///
    /// - Returns: The node's status.
    /// - Throws: ``IOMMUFDError`` with ``IOMMUFDError/Code/iommufdUnavailable``
    ///   when nothing is there, ``IOMMUFDError/Code/notAnIOMMUFD`` for any other file.
    @discardableResult
    public static func checkNode(_ path: String, backend: (any SyscallBackend)? = nil) throws(IOMMUFDError) -> FileStatus {
        let backend = backend ?? LinuxSyscalls.shared
        let status: FileStatus
        do {
            status = try backend.status(ofPath: path)
        } catch {
            throw IOMMUFDError.openFailed(path: path, errno: error)
        }
        try checkNode(status: status, path: path, backend: backend, untouched: "nothing was opened")
        return status
    }

    /// Checks a file status (of a path or of an adopted descriptor): the
    /// misc/iommu character device. `untouched` ends the hint: what was not done.
    static func checkNode(
        status: FileStatus, path: String, backend: any SyscallBackend, untouched: String
    ) throws(IOMMUFDError) {
        guard status.kind == .characterDevice else {
            throw IOMMUFDError(code: .notAnIOMMUFD, operation: .openIOMMUFD, path: path,
                               hint: "it is a \(status.kind); give the iommufd character device (\(defaultPath)); "
                                   + untouched)
        }
        let number = "\(status.deviceMajor):\(status.deviceMinor)"
        let sysfs = backend.canonicalPath("/sys/dev/char/\(number)")
        guard let sysfs, sysfs.hasSuffix("/misc/iommu") else {
            let name = sysfs.map { "sysfs calls it \($0.split(separator: "/").last ?? "")" } ?? "sysfs does not know it"
            throw IOMMUFDError(code: .notAnIOMMUFD, operation: .openIOMMUFD, path: path,
                               hint: "character device \(number) is not misc/iommu (\(name)); give the iommufd "
                                   + "character device (\(defaultPath)); " + untouched)
        }
    }

    /// Takes ownership of an iommufd descriptor opened elsewhere — for
    /// example one a management process passed over a UNIX socket, as QEMU's
    /// `-object iommufd,fd=N` does. The descriptor is checked first (`fstat`
    /// and sysfs: the misc/iommu character device) and closed with this value.
    ///
    /// - Parameters:
    ///   - descriptor: An open iommufd descriptor.
    ///   - verify: Whether to check the descriptor. Pass `false` only when
    ///     sysfs is not available (a container without `/sys`) and the
    ///     descriptor comes from a trusted source.
    ///   - backend: The system-call backend (see ``SyscallBackend``).
    /// - Throws: ``IOMMUFDError`` with ``IOMMUFDError/Code/notAnIOMMUFD`` when
    ///   the descriptor is something else; it is then left open and still
    ///   belongs to the caller.
    public init(
        adopting descriptor: FileDescriptor, verify: Bool = true, backend: (any SyscallBackend)? = nil
    ) throws(IOMMUFDError) {
        let syscalls = Syscalls(backend)
        guard verify else {
            self.owner = OwnedDescriptor(descriptor.rawValue, syscalls: syscalls)
            self.path = nil
            return
        }
        let status = try syscalls.statusOfAdopted(descriptor.rawValue, operation: .openIOMMUFD)
        try Self.checkNode(status: status, path: "descriptor \(descriptor.rawValue)", backend: syscalls.backend, untouched: "no ioctl was issued")
        self.owner = OwnedDescriptor(descriptor.rawValue, syscalls: syscalls)
        self.path = nil
    }

    /// Closes the descriptor now, destroying every object made through it.
    ///
    /// - Throws: ``IOMMUFDError`` if `close(2)` reports an error; the
    ///   descriptor is released either way.
    public consuming func close() throws(IOMMUFDError) {
        let rc = owner.closeReportingResult()
        if rc < 0 {
            throw IOMMUFDError(
                code: .system, operation: .close, errno: Errno(rawValue: -rc), path: nil,
                hint: "the descriptor is released anyway")
        }
    }

    /// Gives up ownership without closing: the caller must close the returned
    /// descriptor.
    public consuming func relinquish() -> FileDescriptor {
        owner.relinquish()
    }

    /// The system-call backend this iommufd uses.
    public var backend: any SyscallBackend { syscalls.backend }
}

extension IOMMUFD {
    /// Issues one iommufd ioctl with `argument` as its structure; maps a
    /// failure to an ``IOMMUFDError`` naming the operation and `objects`.
    ///
    /// Everything that describes a failure — the operation too — is an
    /// autoclosure, evaluated only when the ioctl fails: otherwise the
    /// optimizer materializes it on the stack before every call.
    ///
    /// Inlinable, with the operations on every hot path: a caller in another
    /// module issues the system call from its own frame, as a C caller of
    /// `ioctl` would (Docs/Benchmarks.md). The error is built out of line.
    @inlinable @inline(__always)
    func perform<Argument>(
        _ operation: @autoclosure () -> IOMMUFDError.Operation,
        _ request: UInt,
        _ argument: inout Argument,
        objects: @autoclosure () -> [ObjectReference] = [],
        context: @autoclosure () -> IOMMUFDError.Context = .none
    ) throws(IOMMUFDError) {
        let rc = withUnsafeMutableBytes(of: &argument) { raw in
            syscalls.ioctl(descriptor.rawValue, request, raw.baseAddress!)
        }
        if rc < 0 { throw ioctlFailure(operation(), rc, objects: objects(), context: context()) }
    }

    /// The error of a failed ioctl (out of line).
    @usableFromInline @inline(never)
    func ioctlFailure(
        _ operation: IOMMUFDError.Operation, _ rc: CInt, objects: [ObjectReference], context: IOMMUFDError.Context
    ) -> IOMMUFDError {
        IOMMUFDError(operation: operation, errno: Errno(rawValue: -rc), objects: objects, context: context,
                     backend: syscalls.backend)
    }
}
