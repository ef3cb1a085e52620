public import Logging
import SystemPackage
public import Synchronization   // the lock is reached from inlinable operations
#if canImport(Glibc)
import Glibc
#endif

/// QEMU's *autodomain* policy for passthrough devices: one IOAS and the
/// hardware page tables (HWPTs) made for its devices, shared whenever the
/// kernel accepts a device on an existing one.
///
/// For each device `attach(_:iommufd:wants:savedHWPT:)` follows QEMU's
/// `hw/vfio/iommufd.c` (with the PASID series) rule by rule:
///
/// 1. A mediated device attaches to the IOAS directly: no HWPT, no GET_HW_INFO.
/// 2. Otherwise each existing HWPT is tried, newest first. `EINVAL` means
///    "incompatible" and the next is tried; any other error aborts the attach
///    and nothing is allocated.
/// 3. A reused HWPT needs no GET_HW_INFO and no allocation; the device's dirty
///    tracking is the HWPT's.
/// 4. Otherwise GET_HW_INFO decides the flags (``AutodomainRules/flags(for:wants:)``):
///    `dirtyTracking` from the capabilities, `nestParent` if the vIOMMU wants a
///    nesting parent, `pasid` if the device has a PASID width and the vIOMMU
///    wants PASID attach.
/// 5. With `nestParent`, VT-d's erratum 772415 flag gives the container the
///    bypass-read-only quirk.
/// 6. Live update (CPR, incoming): only the HWPT whose ID was saved is reused,
///    with no ioctl; if none matches, the saved ID is recorded as a new HWPT
///    with the computed flags, without allocating or attaching.
/// 7. HWPT_ALLOC on the IOAS with those flags; a failure leaves nothing behind.
/// 8. Attach to the new HWPT; a failure destroys it and aborts.
/// 9. The HWPT is recorded; the container supports dirty pages once any device
///    has dirty tracking, and a device without it in such a container is
///    logged as a warning.
///
/// `detach(_:iommufd:)` detaches (a failure is logged, not thrown) and the
/// last device out destroys its HWPT. ``attachPASID(_:of:to:)`` refuses, before
/// the kernel would, a PASID attach while the device's HWPT lacks `pasid`.
/// ``setDirtyTracking(_:iommufd:)`` and ``readDirtyBitmap(into:iommufd:clear:)``
/// work over every dirty-tracking HWPT.
///
/// Every decision is returned as an ``AttachDecision`` and logged at debug
/// level, like QEMU's trace events. A failed attach leaves the container and
/// the kernel as they were. The container is thread-safe; operations are
/// serialised by its lock. ``AutodomainPolicy`` is the same policy without
/// the lock, for an owner that serializes the calls itself.
public final class AutodomainContainer: Sendable {
    /// Behaviour beyond QEMU's, off by default so the default equals QEMU.
    public struct Options: Sendable, Hashable {
        /// When HWPT_ALLOC with `dirtyTracking` fails with `EOPNOTSUPP` (as
        /// nesting parents often do), retry once without it and say so.
        public var retryWithoutDirtyTracking: Bool

        /// Creates options.
        public init(retryWithoutDirtyTracking: Bool = false) {
            self.retryWithoutDirtyTracking = retryWithoutDirtyTracking
        }
    }

    /// One HWPT the container made (or recorded on live update).
    public struct ManagedHWPT: Sendable, Hashable {
        /// Its ID.
        public var id: HWPTID
        /// The flags it was allocated with.
        public var flags: HWPTAllocFlags
        /// The devices attached to it, newest first.
        public var devices: [BoundDeviceID] { attachOrder.reversed() }
        /// The devices attached to it, oldest first.
        var attachOrder: [BoundDeviceID]

        /// Whether it tracks dirty pages.
        public var dirtyTracking: Bool { flags.contains(.dirtyTracking) }
    }

    /// The container's state at one moment.
    public struct Snapshot: Sendable, Hashable {
        /// The HWPTs, newest first.
        public var hwpts: [ManagedHWPT]
        /// Devices attached to the IOAS directly (mediated devices).
        public var ioasDevices: [BoundDeviceID]
        /// PASID attachments made through the container: device → PASID → HWPT.
        public var pasids: [BoundDeviceID: [UInt32: HWPTID]]
        /// Whether some device has IOMMU dirty tracking.
        public var dirtyPagesSupported: Bool
        /// Whether read-only mappings are bypassed on the nesting parent
        /// (VT-d erratum 772415).
        public var bypassReadOnly: Bool
        /// HWPTs whose last device left but whose destroy failed (e.g. the
        /// device's detach had failed and it still uses the HWPT); see
        /// ``AutodomainContainer/reclaim(iommufd:)``.
        public var undestroyedHWPTs: [HWPTID] = []

        /// The HWPT a device is attached to.
        public func hwpt(of device: BoundDeviceID) -> ManagedHWPT? {
            hwpts.first { $0.attachOrder.contains(device) }
        }
    }

    /// The IOAS the container maps guest memory into.
    public let ioas: IOASID
    /// The options.
    public let options: Options
    /// Where decisions are logged (debug level; warnings for failed detaches).
    /// Its level is read when the container is made.
    public let logger: Logger

    /// The policy, behind the lock.
    @usableFromInline let policy: Mutex<AutodomainPolicy>

    /// Creates a container for an IOAS of `iommufd` (it does not take
    /// ownership of the IOAS).
    public init(ioas: IOASID, iommufd: borrowing IOMMUFD, options: Options = .init(),
                logger: Logger = Logger(label: "iommufd.autodomain")) {
        self.ioas = ioas
        self.options = options
        self.logger = logger
        self.policy = Mutex(AutodomainPolicy(ioas: ioas, iommufd: iommufd, options: options, logger: logger))
    }

    /// The current state.
    public var snapshot: Snapshot { policy.withLock { $0.snapshot } }
}
