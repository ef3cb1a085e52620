import CBaseline
import CIOMMUFD
import IOMMUFD
import Logging
import struct SystemPackage.FileDescriptor

#if canImport(Glibc)
import Glibc
#endif

/// The ioctl-overhead micro-benchmark: runs on any Linux machine, with or
/// without /dev/iommu, through the library's real code path (the
/// `LinuxSyscalls` route, `IOMMUFD(adopting:)`).
///
/// - Error path: an iommufd request on /dev/null, which answers `ENOTTY`;
///   the library turns it into an `IOMMUFDError`.
/// - Success path: a descriptor on which a seccomp filter makes every ioctl
///   return 0 without running (`SECCOMP_RET_ERRNO` with errno 0), so the
///   library takes its success path — argument set-up, the system call, the
///   result decoding — and the kernel does nothing but enter and leave.
///   This isolates the wrapper's overhead over the bare system call.
enum MicroSuite {
    /// The descriptor number the filter applies to.
    static let succeedingDescriptor: CInt = 777

    static func run(settings: Settings, log: (String) -> Void) throws -> (comparisons: [Comparison], notes: [String]) {
        var results: [Comparison] = []
        var notes: [String] = []

        // Error path first: the filter, once installed, stays for the thread.
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { throw BenchError("cannot open /dev/null") }
        do {
            let iommufd = try IOMMUFD(adopting: FileDescriptor(rawValue: null), verify: false)
            let ioas = IOASID(rawValue: 1)
            log("micro: ENOTTY error path")
            results.append(try compare(
                "enotty_error_unmap", group: "micro",
                summary: "IOAS_UNMAP on /dev/null: ENOTTY, mapped to an IOMMUFDError (error path)",
                ioctls: 1, allocationTarget: false, ratioTarget: false, settings: settings,
                swift: { n in
                    var failures = 0
                    for _ in 0..<n {
                        do { try iommufd.unmap(ioas, iova: 0, length: 4096) } catch { failures += 1 }
                    }
                    blackHole(failures)
                },
                c: { n in cb_failing_unmap(null, 1, ENOTTY, n) == n ? 0 : -EPROTO }))
        }

        // Success path.
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard devNull >= 0, dup2(devNull, succeedingDescriptor) == succeedingDescriptor else {
            throw BenchError("cannot place a descriptor at \(succeedingDescriptor)")
        }
        close(devNull)
        let rc = cb_install_succeeding_ioctl_filter(succeedingDescriptor)
        guard rc == 0 else {
            notes.append("success-path micro-benchmark skipped: seccomp filters unavailable (errno \(-rc))")
            return (results, notes)
        }
        let fd = succeedingDescriptor
        let iommufd = try IOMMUFD(adopting: FileDescriptor(rawValue: fd), verify: false)
        let ioas = IOASID(rawValue: 1)
        let device = BoundDeviceID(rawValue: 2)
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 2 << 20, alignment: 2 << 20)
        defer { memory.deallocate() }
        let iova: UInt64 = 0x1000_0000

        log("micro: syscall floor")
        results.append(try compare(
            "syscall_floor", group: "micro",
            summary: "bare ioctl(2) under the filter, both sides C: the cost of the system call itself",
            ioctls: 1, allocationTarget: false, ratioTarget: false, settings: settings,
            swift: { n in cb_bare_ioctl(fd, n) },
            c: { n in cb_bare_ioctl(fd, n); return 0 }))

        log("micro: function boundary")
        results.append(try compare(
            "c_function_boundary", group: "micro",
            summary: "the floor's ioctl issued from a non-inlined C function vs inline: what any library call adds",
            ioctls: 1, allocationTarget: false, ratioTarget: false, settings: settings,
            swift: { n in cb_wrapped_ioctl(fd, n) },
            c: { n in cb_bare_ioctl(fd, n); return 0 }))

        for (label, length) in [("4k", 4096), ("2m", 2 << 20)] {
            log("micro: map+unmap \(label)")
            let buffer = UnsafeRawBufferPointer(start: memory, count: length)
            results.append(try compare(
                "map_unmap_\(label)", group: "micro",
                summary: "IOAS_MAP (fixed IOVA) + IOAS_UNMAP of \(label == "4k" ? "4 KiB" : "2 MiB"), success path",
                ioctls: 2, settings: settings,
                swift: { n in
                    for _ in 0..<n {
                        let mapped = try iommufd.map(buffer, into: ioas, at: .fixed(iova))
                        try iommufd.unmap(ioas, iova: mapped, length: UInt64(length))
                    }
                },
                c: { n in cb_map_unmap(fd, 1, memory, UInt64(length), iova, n) }))
        }

        log("micro: GET_HW_INFO")
        var sink: UInt64 = 0
        results.append(try compare(
            "get_hw_info", group: "micro", summary: "GET_HW_INFO (128-byte vendor buffer), success path",
            ioctls: 1, settings: settings,
            swift: { n in
                var acc: UInt64 = 0
                for _ in 0..<n {
                    let info = try iommufd.hardwareInfo(for: device)
                    acc &+= info.capabilities.rawValue &+ UInt64(info.maxPASIDLog2)
                }
                blackHole(acc)
            },
            c: { n in cb_get_hw_info(fd, 2, n, &sink) }))

        log("micro: HWPT_ALLOC + DESTROY")
        results.append(try compare(
            "hwpt_alloc_destroy", group: "micro", summary: "HWPT_ALLOC (paging) + DESTROY, success path",
            ioctls: 2, settings: settings,
            swift: { n in
                for _ in 0..<n {
                    let hwpt = try iommufd.allocateHWPT(for: device, on: .ioas(ioas))
                    try iommufd.destroy(hwpt)
                }
            },
            c: { n in cb_hwpt_alloc_destroy(fd, 2, 1, 0, n) }))
        // The policy's own cost: its attach of a device that reuses an HWPT,
        // and its detach, with a device whose attach and detach are single
        // ioctls on the succeeding descriptor; C: QEMU's algorithm, the same
        // two ioctls.
        log("micro: policy attach (reuse) + detach")
        let container = AutodomainContainer(ioas: ioas, iommufd: iommufd, logger: quietLogger())
        let first = MicroDevice(id: BoundDeviceID(rawValue: 2), fd: fd)
        _ = try container.attach(first, iommufd: iommufd, wants: [])   // allocates "HWPT 0"
        guard let shared = container.snapshot.hwpts.first?.id else { throw BenchError("no HWPT") }
        let second = MicroDevice(id: BoundDeviceID(rawValue: 3), fd: fd)
        var qemu = QEMUReuseLoop(iommufd: fd, ioas: ioas, hwpt: shared, hwptFlags: 0, deviceFD: fd, deviceID: second.id)
        for row in QEMUReuseLoop.containerComparisons {
            results.append(try compare(
                row.name, group: "micro", summary: "AutodomainContainer attach reusing an HWPT + detach (device: one ioctl each); C: \(row.baseline)",
                ioctls: 2, allocationTarget: false, ratioTarget: row.ratioTarget, settings: settings,
                swift: { n in
                    for _ in 0..<n {
                        let decision = try container.attach(second, iommufd: iommufd, wants: [])
                        guard case .reused = decision.outcome else { throw BenchError("policy did not reuse: \(decision)") }
                        container.detach(second, iommufd: iommufd)
                    }
                },
                c: { n in qemu.run(n, under: row.lock) }))
        }

        log("micro: owned policy attach (reuse) + detach")
        var policy = AutodomainPolicy(ioas: ioas, iommufd: iommufd, logger: quietLogger())
        _ = try policy.attach(first, iommufd: iommufd, wants: [])
        guard let ownedHWPT = policy.snapshot.hwpts.first?.id else { throw BenchError("no HWPT") }
        var qemuOwned = QEMUReuseLoop(iommufd: fd, ioas: ioas, hwpt: ownedHWPT, hwptFlags: 0, deviceFD: fd,
                                      deviceID: second.id)
        results.append(try compare(
            "policy_value_attach_reuse", group: "micro",
            summary: "AutodomainPolicy (owned, no lock) attach reusing an HWPT + detach (device: one ioctl each); C: QEMU's algorithm",
            ioctls: 2, allocationTarget: false, settings: settings,
            swift: { n in
                for _ in 0..<n {
                    let decision = try policy.attach(second, iommufd: iommufd, wants: [])
                    guard case .reused = decision.outcome else { throw BenchError("policy did not reuse: \(decision)") }
                    policy.detach(second, iommufd: iommufd)
                }
            },
            c: { n in qemuOwned.run(n) }))
        blackHole(sink)
        return (results, notes)
    }
}

/// A device for the policy whose attach and detach are one ioctl each
/// (VFIO_DEVICE_ATTACH/DETACH_IOMMUFD_PT on the succeeding descriptor),
/// issued from the device's own function the way the C side's device
/// function (QEMU's `iommufd_cdev_attach_ioas_hwpt`) issues its ioctl: one
/// function, then the system call — so the device's cost is the same on
/// both sides and the row measures the policy.
struct MicroDevice: AttachableDevice {
    let id: BoundDeviceID
    let fd: CInt
    var boundDeviceID: BoundDeviceID? { id }
    var isMediated: Bool { false }
    var displayName: String { "micro device \(id.rawValue)" }
    func attachPageTable(_ target: some AttachTargetID) throws(IOMMUFDError) -> HWPTID {
        var attach = vfio_device_attach_iommufd_pt()
        attach.argsz = UInt32(MemoryLayout<vfio_device_attach_iommufd_pt>.size)
        attach.pt_id = target.rawValue
        let rc = ciommufd_ioctl(fd, CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach)
        if rc != 0 { throw IOMMUFDError(code: .system, operation: .vfioDeviceAttachIOMMUFDPT, hint: "errno \(-rc)") }
        return HWPTID(rawValue: attach.pt_id)
    }
    func detachPageTable() throws(IOMMUFDError) {
        var detach = vfio_device_detach_iommufd_pt()
        detach.argsz = UInt32(MemoryLayout<vfio_device_detach_iommufd_pt>.size)
        let rc = ciommufd_ioctl(fd, CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach)
        if rc != 0 { throw IOMMUFDError(code: .system, operation: .vfioDeviceDetachIOMMUFDPT, hint: "errno \(-rc)") }
    }
    func attachPASID(_ pasid: UInt32, to hwpt: HWPTID) throws(IOMMUFDError) {}
    func detachPASID(_ pasid: UInt32) throws(IOMMUFDError) {}
}
