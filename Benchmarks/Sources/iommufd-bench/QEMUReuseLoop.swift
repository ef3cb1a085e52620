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

    /// `n` attaches and detaches; 0 or `-errno`.
    mutating func run(_ n: Int) -> CInt { cb_qemu_attach_detach(&env, &container, &device, n) }

    /// The same, each call under a pthread mutex (the lock of QEMU's
    /// `QemuMutex`): a C caller sharing the policy between threads.
    mutating func runPthreadLocked(_ n: Int) -> CInt { cb_qemu_attach_detach_pthread_locked(&env, &container, &device, n) }

    /// The same under a lock of the kind Swift's `Mutex` is (inlined atomics):
    /// the strict C equivalent of ``AutodomainContainer``.
    mutating func runFutexLocked(_ n: Int) -> CInt { cb_qemu_attach_detach_futex_locked(&env, &container, &device, n) }
}
