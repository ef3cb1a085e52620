#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import SystemPackage

extension Errno {
    /// The C name of the errno (`"EOPNOTSUPP"`), or `"errno N"` for one the
    /// library does not name.
    public var symbolicName: String {
        errnoNames[rawValue] ?? "errno \(rawValue)"
    }
}

private let errnoNames: [CInt: String] = [
    EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EINTR: "EINTR", EIO: "EIO",
    ENXIO: "ENXIO", E2BIG: "E2BIG", ENOEXEC: "ENOEXEC", EBADF: "EBADF", EAGAIN: "EAGAIN",
    ENOMEM: "ENOMEM", EACCES: "EACCES", EFAULT: "EFAULT", EBUSY: "EBUSY", EEXIST: "EEXIST",
    EXDEV: "EXDEV", ENODEV: "ENODEV", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR", EINVAL: "EINVAL",
    ENFILE: "ENFILE", EMFILE: "EMFILE", ENOTTY: "ENOTTY", EFBIG: "EFBIG", ENOSPC: "ENOSPC",
    ESPIPE: "ESPIPE", EROFS: "EROFS", ERANGE: "ERANGE", ENAMETOOLONG: "ENAMETOOLONG",
    ENOSYS: "ENOSYS", ELOOP: "ELOOP", EOVERFLOW: "EOVERFLOW", EMSGSIZE: "EMSGSIZE",
    EOPNOTSUPP: "EOPNOTSUPP", EADDRINUSE: "EADDRINUSE", ETIMEDOUT: "ETIMEDOUT",
    ENOLINK: "ENOLINK", EDOM: "EDOM", EALREADY: "EALREADY", EBADFD: "EBADFD", ENOTSOCK: "ENOTSOCK",
]
