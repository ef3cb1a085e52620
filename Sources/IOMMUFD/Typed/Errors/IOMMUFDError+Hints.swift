#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import SystemPackage

extension IOMMUFDError {
    /// What the failed call asked for, beyond its operation: the hint for an
    /// errno depends on it.
    @usableFromInline
    enum Context: Sendable, Hashable {
        case none
        case hwptAlloc(flags: HWPTAllocFlags, nested: Bool)
        case hardwareInfo(requestedType: Bool)
        case attach(pasid: UInt32?)
        case detach(pasid: UInt32?)
        case bind(token: Bool)
        case map(fixed: Bool)
        case option(HardwareOption)

        @usableFromInline enum HardwareOption: Sendable, Hashable { case rlimitMode, hugePages }
    }

    /// The error for a failed ioctl, classified and with a hint, as the
    /// library builds it — for backends and device types outside the library
    /// (such as `IOMMUFDTesting`'s mock device) that issue ioctls themselves.
    ///
    /// - Parameters:
    ///   - operation: The ioctl.
    ///   - errno: What it failed with.
    ///   - objects: The objects it named.
    ///   - path: The file involved, if any.
    ///   - backend: The backend, asked for the running kernel's release.
    public init(
        operation: Operation, errno: Errno, objects: [ObjectReference] = [], path: String? = nil,
        backend: any SyscallBackend
    ) {
        self.init(operation: operation, errno: errno, objects: objects, context: .none, backend: backend, path: path)
    }

    /// The error for a failed ioctl: classifies the errno and writes the hint.
    init(
        operation: Operation, errno: Errno, objects: [ObjectReference], context: Context,
        backend: any SyscallBackend, path: String? = nil
    ) {
        let running = backend.kernelRelease().flatMap { KernelRelease(parsing: $0) }
        let (code, hint) = IOMMUFDError.classify(operation, errno, context, running)
        self.init(code: code, operation: operation, errno: errno, objects: objects, path: path, hint: hint)
    }

    /// The error for a failed open of the iommufd node.
    static func openFailed(path: String, errno: Errno) -> IOMMUFDError {
        let code: Code
        let hint: String
        switch errno.rawValue {
        case ENOENT where path != IOMMUFD.defaultPath:
            code = .iommufdUnavailable
            hint = "no such file; the iommufd node is normally \(IOMMUFD.defaultPath)"
        case ENOENT, ENODEV, ENXIO:
            code = .iommufdUnavailable
            hint = "the kernel was built without CONFIG_IOMMUFD or the iommufd module "
                + "is not loaded (try `modprobe iommufd`); Debian's and many distributions' kernels ship without it"
        case EACCES, EPERM:
            code = .permissionDenied
            hint = "run as root, or give your user read-write access to \(path) (a udev rule or group)"
        default:
            code = .system
            hint = "opening \(path) failed"
        }
        return IOMMUFDError(code: code, operation: .openIOMMUFD, errno: errno, path: path, hint: hint)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    static func classify(
        _ operation: Operation, _ errno: Errno, _ context: Context, _ running: KernelRelease?
    ) -> (Code, String) {
        let kernel = running.map { "Linux \($0)" } ?? "this kernel"
        switch errno.rawValue {
        case ENOTTY:
            if let added = operation.introducedIn {
                if let running, running < added {
                    return (.unsupportedByKernel, "\(kernel) predates \(operation.name), which Linux \(added) added")
                }
                if operation.name.hasPrefix("VFIO_") {
                    return (.unsupportedByKernel,
                            "the descriptor does not accept \(operation.name): it needs a VFIO device cdev "
                            + "(CONFIG_VFIO_DEVICE_CDEV, Linux \(added) or later)")
                }
                return (.unsupportedByKernel,
                        "\(kernel) does not know \(operation.name) (added in Linux \(added)), "
                        + "or the descriptor is not an iommufd")
            }
            return (.system, "the descriptor does not support this request")

        case EOPNOTSUPP:
            return (.unsupportedFeature, unsupportedHint(operation, context, running, kernel))

        case E2BIG:
            return (.unsupportedFeature,
                    "\(kernel) is older than the \(operation.name) structure this library passes "
                    + "(Linux \(KernelRelease.pinned)) and a field it does not know is non-zero")

        case EINVAL:
            switch context {
            case .bind:
                return (.deviceBusy,
                        "the device is already bound to an iommufd (through another descriptor or process), or the "
                        + "descriptor passed is not an iommufd")
            case .attach(let pasid?):
                return (.incompatibleDomain,
                        "the page table cannot serve PASID \(pasid) of this device: it belongs to another IOMMU, "
                        + "or the device's RID page table was allocated without IOMMU_HWPT_ALLOC_PASID")
            case .attach(nil):
                return (.incompatibleDomain,
                        "the page table is incompatible with this device: it was made for another IOMMU instance "
                        + "or with features this device's IOMMU cannot use; allocate one for this device")
            case .hwptAlloc(_, let nested):
                return (.invalidArgument, nested
                        ? "the nested data does not fit the parent (wrong data type or length, or the parent "
                            + "is not a nesting parent)"
                        : "the device and the parent IOAS cannot be combined (e.g. the IOAS has mappings outside "
                            + "the IOVA ranges this device's IOMMU can use)")
            case .map:
                return (.invalidArgument,
                        "the address, length or IOVA is not aligned to the IOAS's IOVA alignment, or is outside "
                        + "its allowed IOVA ranges")
            default:
                return (.invalidArgument, "the kernel rejected an argument of \(operation.name)")
            }

        case EBUSY:
            if operation == .destroy {
                return (.objectBusy,
                        "the object is still in use: detach its devices and destroy the objects built on it "
                        + "(nested HWPTs, vIOMMUs, vDEVICEs) first")
            }
            if case .bind = context {
                return (.deviceBusy,
                        "the device is already bound to an iommufd or open through its VFIO group "
                        + "(/dev/vfio/N); close the other user first")
            }
            return (.deviceBusy, "the device or object is busy (e.g. a device reset is in progress)")

        case ENOENT:
            if case .map = context {
                return (.noSuchObject, "no such IOAS, or no mapping covers the given IOVA range")
            }
            return (.noSuchObject, "no object with that ID in this iommufd, or an object of another kind")

        case EACCES:
            return (.permissionDenied, "permission denied: run as root or grant access to the device node")

        case EPERM:
            if case .bind = context {
                return (.permissionDenied,
                        "the kernel refuses to bind: without interrupt remapping (MSI isolation) it needs "
                        + "`iommufd.allow_unsafe_interrupts=1`, or the process lacks privilege")
            }
            if case .option(.rlimitMode) = context {
                return (.permissionDenied, "changing the RLIMIT accounting mode needs CAP_SYS_RESOURCE")
            }
            return (.permissionDenied, "operation not permitted: run as root or with CAP_SYS_RAWIO / CAP_SYS_RESOURCE")

        case ENOMEM, ENOSPC:
            if case .map = context {
                return (.outOfResources,
                        "pinning the memory failed: raise RLIMIT_MEMLOCK (ulimit -l) or free memory")
            }
            return (.outOfResources, "the kernel ran out of memory or IDs")

        case EEXIST:
            return (.invalidArgument, "the IOVA range is already mapped")

        case EOVERFLOW, ERANGE:
            return (.invalidArgument, "an address or length overflows")

        case EBADFD:
            return (.invalidArgument, "the descriptor passed is not of the kind the call needs (e.g. not an iommufd)")

        case EBADF:
            return (.programmerError, "the descriptor is not open: it was closed behind the library's back")

        case EFAULT:
            return (.programmerError, "the kernel could not read or write a user buffer: a bad pointer was passed")

        case ENODEV:
            return (.deviceNotFound, "the device went away (unbound from its driver or hot-unplugged)")

        default:
            return (.system, "unexpected failure of \(operation.name)")
        }
    }

    private static func unsupportedHint(
        _ operation: Operation, _ context: Context, _ running: KernelRelease?, _ kernel: String
    ) -> String {
        switch context {
        case .hwptAlloc(let flags, let nested):
            let tooNew = flags.elements.filter { flag in
                guard let running, let added = flag.introducedIn else { return false }
                return running < added
            }
            if !tooNew.isEmpty {
                let list = tooNew.map { "\($0.kernelName ?? $0.description) (Linux \($0.introducedIn!))" }.joined(separator: ", ")
                return "\(kernel) predates \(list)"
            }
            if flags.isEmpty {
                return nested
                    ? "this device's IOMMU driver does not support this nested data type"
                    : "this device's IOMMU driver cannot allocate a page table for it"
            }
            var why: [String] = []
            if flags.contains(.pasid) {
                why.append("pasid: PASID-capable page tables need Linux 6.15 or later and driver support "
                           + "(Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not)")
            }
            if flags.contains(.nestParent) {
                why.append("nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P)")
            }
            if flags.contains(.dirtyTracking) {
                why.append("dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, "
                           + "SMMUv3 HTTU) and every attached device's IOMMU must support it")
            }
            if flags.contains(.faultIDValid) {
                why.append("faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later")
            }
            return "the IOMMU driver for this device does not support \(flags): " + why.joined(separator: "; ")
        case .hardwareInfo(requestedType: true):
            return "\(kernel) cannot return a requested info type (IOMMU_HW_INFO_FLAG_INPUT_TYPE needs Linux 6.17) "
                + "or this IOMMU does not provide that type"
        case .attach(let pasid?), .detach(let pasid?):
            return "attaching or detaching PASID \(pasid) needs Linux 6.15 or later and an IOMMU driver with "
                + "PASID support"
        default:
            if operation == .hwptSetDirtyTracking || operation == .hwptGetDirtyBitmap {
                return "the HWPT was not allocated with dirtyTracking, or its IOMMU cannot track dirty pages"
            }
            return "\(kernel) knows \(operation.name) but not a flag, type or value that was passed"
        }
    }
}
