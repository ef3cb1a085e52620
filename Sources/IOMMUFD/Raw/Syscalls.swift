#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import CIOMMUFD   // the ioctl shim, inlined into callers (see ioctl)
import SystemPackage

/// How the library reaches the kernel: the real system calls, called
/// directly, or a ``SyscallBackend`` standing in for them.
///
/// The real path avoids the existential call entirely, so the seam costs one
/// well-predicted branch per system call.
@usableFromInline
struct Syscalls: Sendable {
    private enum Route: Sendable {
        case linux
        case custom(any SyscallBackend)
    }

    private let route: Route

    /// Whether ``route`` is `.linux`, stored apart from it: the hot path reads
    /// this `Bool` and never copies `route` — copying it retains and releases
    /// the backend reference (even the absent one of `.linux`), which measured
    /// about 45 instructions and 4 calls per ioctl (Docs/Benchmarks.md).
    @usableFromInline let isLinux: Bool

    /// The real system calls.
    static let linux = Syscalls(route: .linux)

    private init(route: Route) {
        self.route = route
        if case .linux = route { isLinux = true } else { isLinux = false }
    }

    /// Routes through `backend`, or the real system calls when it is `nil` or
    /// ``LinuxSyscalls/shared``.
    init(_ backend: (any SyscallBackend)?) {
        if let backend, !(backend === LinuxSyscalls.shared) {
            self.init(route: .custom(backend))
        } else {
            self.init(route: .linux)
        }
    }

    /// The backend object (``LinuxSyscalls/shared`` for the real path).
    @usableFromInline var backend: any SyscallBackend {
        switch route {
        case .linux: LinuxSyscalls.shared
        case .custom(let backend): backend
        }
    }

    /// `ioctl(2)`, retried while it fails with `EINTR`: the result or `-errno`.
    ///
    /// The hot path, inlined with the operations that end here on every
    /// call — `map`, `unmap`, `hardwareInfo(for:)` without a requested type,
    /// `allocateHWPT`, `destroy`, VFIO `attach` and `detach` — into their
    /// callers: the caller's frame issues the system call through the C shim,
    /// as a C program calling `ioctl` would. A call level between them costs 5–10 ns
    /// on an x86 host with return-stack mitigations (2–4 % of a 200 ns ioctl)
    /// and far more under QEMU's TCG, where every return is a lookup
    /// (Docs/Benchmarks.md). The Linux route is one predicted branch.
    @inlinable
    func ioctl(_ descriptor: CInt, _ request: UInt, _ argument: UnsafeMutableRawPointer) -> CInt {
        guard isLinux else { return customIoctl(descriptor, request, argument) }
        var result: CInt
        repeat { result = ciommufd_ioctl(descriptor, request, argument) } while result == -EINTR
        return result
    }

    /// ``ioctl(_:_:_:)`` through a custom backend, out of line.
    @usableFromInline @inline(never)
    func customIoctl(_ descriptor: CInt, _ request: UInt, _ argument: UnsafeMutableRawPointer) -> CInt {
        guard case .custom(let backend) = route else { preconditionFailure("the Linux route is handled inline") }
        var result: CInt
        repeat { result = backend.ioctl(descriptor, request: request, argument: argument) } while result == -EINTR
        return result
    }

    /// `open(2)` with `O_CLOEXEC` added, retried on `EINTR`.
    func open(_ path: String, flags: CInt) -> CInt {
        var result: CInt
        repeat { result = backend.open(path, flags: flags | O_CLOEXEC) } while result == -EINTR
        return result
    }

    /// `close(2)`, once (Linux frees the descriptor even when it reports `EINTR`).
    @discardableResult
    func close(_ descriptor: CInt) -> CInt { backend.close(descriptor) }
}
