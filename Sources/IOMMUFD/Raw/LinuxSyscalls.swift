#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
internal import CIOMMUFD
public import SystemPackage

/// The backend that issues the real Linux system calls.
///
/// Stateless; ``shared`` is the instance every API uses by default.
public final class LinuxSyscalls: SyscallBackend {
    /// The one instance.
    public static let shared = LinuxSyscalls()

    private init() {}

    /// `open(2)`.
    public func open(_ path: String, flags: CInt) -> CInt {
        let fd = path.withCString { Glibc.open($0, flags) }
        return fd < 0 ? -errno : fd
    }

    /// `close(2)`. Not retried on `EINTR`: Linux releases the descriptor anyway.
    public func close(_ descriptor: CInt) -> CInt {
        Glibc.close(descriptor) < 0 ? -errno : 0
    }

    /// `ioctl(2)` through the non-variadic C shim.
    public func ioctl(_ descriptor: CInt, request: UInt, argument: UnsafeMutableRawPointer) -> CInt {
        ciommufd_ioctl(descriptor, request, argument)
    }

    /// `pread(2)`.
    public func pread(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Int {
        let n = Glibc.pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
        return n < 0 ? -Int(errno) : n
    }

    /// `stat(2)`.
    public func status(ofPath path: String) throws(Errno) -> FileStatus {
        var st = stat()
        let rc = path.withCString { stat($0, &st) }
        guard rc == 0 else { throw Errno(rawValue: errno) }
        return FileStatus(st)
    }

    /// `fstat(2)`.
    public func status(ofDescriptor descriptor: CInt) throws(Errno) -> FileStatus {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else { throw Errno(rawValue: errno) }
        return FileStatus(st)
    }

    /// `realpath(3)`.
    public func canonicalPath(_ path: String) -> String? {
        guard let resolved = path.withCString({ realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Reads a whole file with `read(2)`.
    public func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, flags: O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<n])
        }
    }

    /// Lists a directory with `opendir(3)` / `readdir(3)`.
    public func directoryEntries(_ path: String) -> [String]? {
        guard let dir = path.withCString({ opendir($0) }) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// `uname(2)`'s release field (read once: it cannot change while the
    /// process runs).
    public func kernelRelease() -> String? { Self.release }

    private static let release: String? = {
        var names = utsname()
        guard uname(&names) == 0 else { return nil }
        return withUnsafePointer(to: names.release) {
            $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) }
        }
    }()
}

extension FileStatus {
    init(_ st: stat) {
        let kind: FileKind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFLNK: kind = .symbolicLink
        default: kind = .unknown
        }
        let isDevice = kind == .characterDevice || kind == .blockDevice
        let dev = UInt64(st.st_rdev)
        // glibc's encoding of dev_t: major in bits 8-19 and 32-43, minor in 0-7 and 20-31.
        let major = UInt32(truncatingIfNeeded: ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfff))
        let minor = UInt32(truncatingIfNeeded: (dev & 0xff) | ((dev >> 12) & ~0xff))
        self.init(kind: kind, deviceMajor: isDevice ? major : 0, deviceMinor: isDevice ? minor : 0)
    }
}
