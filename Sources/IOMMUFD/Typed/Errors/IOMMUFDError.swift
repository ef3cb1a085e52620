public import SystemPackage

/// The one error type of the library: what failed, with which errno, on which
/// objects, and what a person can do about it.
///
/// ```swift
/// do {
///     let hwpt = try iommufd.allocateHWPT(for: device, on: .ioas(ioas), flags: .pasid)
/// } catch {
///     print(error)   // IOMMU_HWPT_ALLOC failed on device 2, IOAS 1: EOPNOTSUPP (…). Hint: …
///     if error.code == .unsupportedFeature { … }
/// }
/// ```
public struct IOMMUFDError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, for code that reacts to errors.
    public var code: Code
    /// The ioctl or step that failed.
    public var operation: Operation
    /// The errno the kernel (or the backend) reported, if any.
    public var errno: Errno?
    /// The objects the failed call named, in argument order.
    public var objects: [ObjectReference]
    /// The file involved, if any (the iommufd node, a VFIO device path).
    public var path: String?
    /// What a person can do about it.
    public var hint: String

    /// Creates an error.
    public init(
        code: Code,
        operation: Operation,
        errno: Errno? = nil,
        objects: [ObjectReference] = [],
        path: String? = nil,
        hint: String
    ) {
        self.code = code
        self.operation = operation
        self.errno = errno
        self.objects = objects
        self.path = path
        self.hint = hint
    }

    /// One line: operation, subject, errno and hint.
    public var description: String {
        var text = "\(operation.name) failed"
        if let path { text += " on \(path)" }
        if !objects.isEmpty {
            text += (path == nil ? " on " : " (") + objects.map(\.description).joined(separator: ", ")
            if path != nil { text += ")" }
        }
        if let errno {
            text += ": \(errno.symbolicName) (\(errno.description))"
        }
        if !hint.isEmpty { text += ". \(hint)" }
        return text
    }
}

extension IOMMUFDError {
    /// A class of failure. Extensible: new codes may be added in later
    /// versions, so `switch` over it with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short identifier, e.g. "unsupported-feature".
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        /// The iommufd node does not exist: no `CONFIG_IOMMUFD`, or the module is not loaded.
        public static let iommufdUnavailable = Code("iommufd-unavailable")
        /// The file given as the iommufd node is something else. Nothing was opened.
        public static let notAnIOMMUFD = Code("not-an-iommufd")
        /// The caller lacks the permission (`EACCES`/`EPERM`).
        public static let permissionDenied = Code("permission-denied")
        /// The file or descriptor is not a VFIO device cdev. No ioctl was issued.
        public static let notAVFIODevice = Code("not-a-vfio-device")
        /// No such device, path or PCI address.
        public static let deviceNotFound = Code("device-not-found")
        /// The device is in use elsewhere (bound to another iommufd, opened through a VFIO group, being reset).
        public static let deviceBusy = Code("device-busy")
        /// The running kernel has no such ioctl (`ENOTTY`): it predates it.
        public static let unsupportedByKernel = Code("unsupported-by-kernel")
        /// The kernel knows the call but not a flag, type or value given (`EOPNOTSUPP`, `E2BIG`).
        public static let unsupportedFeature = Code("unsupported-feature")
        /// The page table cannot serve this device (`EINVAL` on attach).
        public static let incompatibleDomain = Code("incompatible-domain")
        /// The object is still in use (`EBUSY` on destroy).
        public static let objectBusy = Code("object-busy")
        /// No object with that ID, or one of another kind (`ENOENT`).
        public static let noSuchObject = Code("no-such-object")
        /// An argument the kernel or the library rejects (`EINVAL`, `ERANGE`, `EEXIST`, …).
        public static let invalidArgument = Code("invalid-argument")
        /// The kernel ran out of memory or a limit such as `RLIMIT_MEMLOCK` (`ENOMEM`, `ENOSPC`).
        public static let outOfResources = Code("out-of-resources")
        /// A bug in the calling program: a closed descriptor or a bad pointer (`EBADF`, `EFAULT`).
        public static let programmerError = Code("programmer-error")
        /// Any other failure; see the errno.
        public static let system = Code("system")
    }
}
