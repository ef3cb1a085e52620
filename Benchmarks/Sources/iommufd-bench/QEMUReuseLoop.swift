import CBaseline
import IOMMUFD

/// The C side of the policy's attach (reuse) + detach comparison: QEMU's
/// container with one HWPT that a device already uses, and the device that
/// joins it and leaves again on every call.
struct QEMUReuseLoop {
    private var container = cb_qemu_container()
    private var device: cb_qemu_device
    private var env = cb_qemu_env(ioctl: nil, context: nil, ioctls: 0)

    init(iommufd: CInt, ioas: IOASID, hwpt: HWPTID, hwptFlags: UInt32, deviceFD: CInt, deviceID: BoundDeviceID) {
        container.iommufd = iommufd
        container.ioas_id = ioas.rawValue
        container.count = 1
        container.hwpt_list.0 = cb_qemu_hwpt(hwpt_id: hwpt.rawValue, hwpt_flags: hwptFlags, devices: 1)
        device = cb_qemu_device(device_fd: deviceFD, devid: deviceID.rawValue, mock_stdev_id: 0, hwpt_id: 0,
                                iommu_dirty_tracking: 0)
    }

    /// The lock the C loop takes around each `autodomains_get` and each
    /// `detach_container`, if any.
    enum Lock {
        /// None: QEMU's loop, which runs under QEMU's big lock taken outside.
        case none
        /// A pthread mutex, the lock of QEMU's own `QemuMutex`.
        case pthread
        /// A lock of the kind Swift's `Mutex` is: an inlined compare-and-swap
        /// to take it, an inlined exchange to release it (a futex only when
        /// contended) — the strict C equivalent of ``AutodomainContainer``.
        case lean
    }

    /// `n` attaches and detaches; 0 or `-errno`.
    mutating func run(_ n: Int, under lock: Lock = .none) -> CInt {
        switch lock {
        case .none: cb_qemu_attach_detach(&env, &container, &device, n)
        case .pthread: cb_qemu_attach_detach_pthread_locked(&env, &container, &device, n)
        case .lean: cb_qemu_attach_detach_futex_locked(&env, &container, &device, n)
        }
    }

    /// The comparisons of ``AutodomainContainer``'s attach (reuse) + detach,
    /// in both suites: against the C loop under the lean lock (the target
    /// row), and, without a target, under a pthread mutex and with no lock.
    static let containerComparisons: [(name: String, lock: Lock, ratioTarget: Bool, baseline: String)] = [
        ("policy_container_attach_reuse", .lean, true,
         "QEMU's algorithm, each call under a lock as lean as Swift's Mutex (an inlined compare-and-swap and exchange)"),
        ("policy_container_vs_unlocked_c", .none, false,
         "QEMU's loop without any lock (no target: what sharing the policy between threads costs)"),
        ("policy_container_vs_pthread_c", .pthread, false,
         "QEMU's loop, each call under a pthread mutex, the lock of QEMU's own QemuMutex (no target)"),
    ]
}
