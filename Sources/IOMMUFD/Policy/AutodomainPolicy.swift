public import Logging
import SystemPackage

/// QEMU's autodomain policy as a value its owner changes: the same rules,
/// decisions and state as ``AutodomainContainer``, without its lock.
///
/// The policy is not copyable, and changing it takes exclusive access
/// (`mutating`), so Swift's ownership serializes it the way QEMU's big lock
/// serializes its own: a virtual machine monitor whose device hot-plug runs
/// on one thread (or under its own lock) owns an `AutodomainPolicy` and pays
/// no atomic operation per attach or detach. ``AutodomainContainer`` wraps
/// one in a lock for sharing between threads.
///
/// ```swift
/// var policy = AutodomainPolicy(ioas: ioas, iommufd: iommufd)
/// let decision = try policy.attach(device, iommufd: iommufd, wants: [])
/// policy.detach(device, iommufd: iommufd)
/// ```
public struct AutodomainPolicy: ~Copyable, Sendable {
    @usableFromInline typealias State = AutodomainContainer.State

    /// The IOAS the policy maps guest memory into.
    public let ioas: IOASID
    /// The options.
    public let options: AutodomainContainer.Options
    /// Where decisions are logged (debug level; warnings for failed detaches).
    /// Its level is read when the policy is made.
    public let logger: Logger

    @usableFromInline let iommufdDescriptor: CInt
    /// Whether the logger records debug messages, read once: decisions are
    /// described only when they will be logged.
    @usableFromInline let debugLogging: Bool
    @usableFromInline var state = State()

    /// Creates a policy for an IOAS of `iommufd` (it does not take ownership
    /// of the IOAS).
    public init(ioas: IOASID, iommufd: borrowing IOMMUFD, options: AutodomainContainer.Options = .init(),
                logger: Logger = Logger(label: "iommufd.autodomain")) {
        self.ioas = ioas
        self.options = options
        self.logger = logger
        self.iommufdDescriptor = iommufd.descriptor.rawValue
        self.debugLogging = logger.logLevel <= .debug
    }

    /// The current state.
    public var snapshot: AutodomainContainer.Snapshot { state.snapshot }
}
