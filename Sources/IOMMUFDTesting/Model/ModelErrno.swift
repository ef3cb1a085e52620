#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemPackage

// The errnos the model returns, spelled as the kernel spells them so the
// handlers read like the kernel code they mirror.
extension ModelErrno {
    static let EPERM = ModelErrno(Glibc.EPERM)
    static let ENOENT = ModelErrno(Glibc.ENOENT)
    static let ENXIO = ModelErrno(Glibc.ENXIO)
    static let E2BIG = ModelErrno(Glibc.E2BIG)
    static let EBADF = ModelErrno(Glibc.EBADF)
    static let ENOMEM = ModelErrno(Glibc.ENOMEM)
    static let EACCES = ModelErrno(Glibc.EACCES)
    static let EFAULT = ModelErrno(Glibc.EFAULT)
    static let EBUSY = ModelErrno(Glibc.EBUSY)
    static let EEXIST = ModelErrno(Glibc.EEXIST)
    static let ENODEV = ModelErrno(Glibc.ENODEV)
    static let ENOTDIR = ModelErrno(Glibc.ENOTDIR)
    static let EISDIR = ModelErrno(Glibc.EISDIR)
    static let EINVAL = ModelErrno(Glibc.EINVAL)
    static let ENOTTY = ModelErrno(Glibc.ENOTTY)
    static let ENOSPC = ModelErrno(Glibc.ENOSPC)
    static let ESPIPE = ModelErrno(Glibc.ESPIPE)
    static let ELOOP = ModelErrno(Glibc.ELOOP)
    static let EOVERFLOW = ModelErrno(Glibc.EOVERFLOW)
    static let EBADFD = ModelErrno(Glibc.EBADFD)
    static let EMSGSIZE = ModelErrno(Glibc.EMSGSIZE)
    static let EOPNOTSUPP = ModelErrno(Glibc.EOPNOTSUPP)
    static let EADDRINUSE = ModelErrno(Glibc.EADDRINUSE)

    /// The public form.
    var errno: Errno { Errno(rawValue: value) }
}

/// The result of a model handler: a non-negative value or an errno.
typealias KResult<Value> = Result<Value, ModelErrno>
