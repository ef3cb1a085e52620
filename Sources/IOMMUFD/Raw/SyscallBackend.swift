public import SystemPackage

/// The system calls the library makes, as one replaceable object.
///
/// Every `open`, `ioctl`, `close` and sysfs read of the library goes through a
/// backend. ``LinuxSyscalls`` issues the real system calls and is what every
/// API uses unless told otherwise; `IOMMUFDTesting`'s in-memory kernel model is
/// another backend, so code built on ``IOMMUFD`` can be tested without root or
/// hardware, and a backend of your own can record, replay or inject faults.
///
/// The methods mirror the system calls closely and report failure as a
/// negative errno, the way the kernel does, so a backend stays a thin layer.
public protocol SyscallBackend: AnyObject, Sendable {
    /// `open(2)`: a new descriptor, or `-errno`.
    func open(_ path: String, flags: CInt) -> CInt

    /// `close(2)`: `0`, or `-errno`.
    func close(_ descriptor: CInt) -> CInt

    /// `ioctl(2)` with a pointer argument: the non-negative result, or `-errno`.
    func ioctl(_ descriptor: CInt, request: UInt, argument: UnsafeMutableRawPointer) -> CInt

    /// `pread(2)`: the number of bytes read, or `-errno`.
    func pread(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Int

    /// `stat(2)` (follows symbolic links).
    func status(ofPath path: String) throws(Errno) -> FileStatus

    /// `fstat(2)`.
    func status(ofDescriptor descriptor: CInt) throws(Errno) -> FileStatus

    /// `realpath(3)`: the canonical path, or `nil` when it does not resolve.
    func canonicalPath(_ path: String) -> String?

    /// The whole content of a (small) file such as a sysfs attribute, or `nil`.
    func readFile(_ path: String) -> [UInt8]?

    /// The entry names of a directory (without `.` and `..`), or `nil`.
    func directoryEntries(_ path: String) -> [String]?

    /// The running kernel's release (`uname -r`), or `nil` when unknown.
    func kernelRelease() -> String?
}

/// What `stat(2)` says about a file, reduced to what the library checks.
public struct FileStatus: Sendable, Hashable {
    /// The kind of file.
    public var kind: FileKind
    /// For device files, the device number's major part; otherwise 0.
    public var deviceMajor: UInt32
    /// For device files, the device number's minor part; otherwise 0.
    public var deviceMinor: UInt32

    /// Creates a file status.
    public init(kind: FileKind, deviceMajor: UInt32 = 0, deviceMinor: UInt32 = 0) {
        self.kind = kind
        self.deviceMajor = deviceMajor
        self.deviceMinor = deviceMinor
    }
}

/// The kinds of file `stat(2)` distinguishes.
public enum FileKind: String, Sendable, Hashable, CustomStringConvertible {
    /// A regular file.
    case regular = "regular file"
    /// A directory.
    case directory
    /// A character device.
    case characterDevice = "character device"
    /// A block device.
    case blockDevice = "block device"
    /// A FIFO (named pipe).
    case fifo = "FIFO"
    /// A UNIX domain socket.
    case socket
    /// A symbolic link (only seen when links are not followed).
    case symbolicLink = "symbolic link"
    /// Anything else.
    case unknown

    /// The kind as words, e.g. "character device".
    public var description: String { rawValue }
}
