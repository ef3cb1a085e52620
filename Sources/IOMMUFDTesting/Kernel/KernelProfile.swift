internal import CIOMMUFD
public import IOMMUFD

/// Which Linux release the model behaves as.
///
/// A profile decides which ioctls exist (others fail with `ENOTTY`), which
/// flags iommufd itself accepts (others fail with `EOPNOTSUPP`), the size of
/// every command structure (shorter user structures are zero-extended, bytes
/// beyond the release's structure must be zero or the call fails with
/// `E2BIG`, sizes below the minimum fail with `EINVAL`), and which output
/// fields are written. The rules follow `Docs/KernelVersions.md`.
///
/// ```swift
/// let model = KernelModel(host: .qemuIntelVTd(), kernel: .linux6_11)
/// ```
public struct KernelProfile: Sendable, Hashable, CustomStringConvertible {
    /// The release, e.g. 6.15.
    public var release: KernelRelease
    /// What `uname -r` reports (``KernelModel/kernelRelease()``).
    public var releaseString: String
    /// Whether the kernel was built with `CONFIG_IOMMUFD_TEST`, i.e. has the
    /// `IOMMU_TEST_CMD` ioctl and its mock device. Without it the ioctl fails
    /// with `ENOTTY` as on distribution kernels.
    public var hasIOMMUFDTest: Bool

    /// Creates a profile.
    public init(release: KernelRelease, releaseString: String? = nil, hasIOMMUFDTest: Bool = true) {
        self.release = release
        self.releaseString = releaseString ?? "\(release.major).\(release.minor).0"
        self.hasIOMMUFDTest = hasIOMMUFDTest
    }

    /// Linux 6.6: the first release with the VFIO device cdev, `IOMMU_HWPT_ALLOC`
    /// (flags must be 0) and `IOMMU_GET_HW_INFO` (32-byte structure, no capabilities).
    public static let linux6_6 = KernelProfile(release: KernelRelease(6, 6), releaseString: "6.6.0")
    /// Linux 6.7: nesting parent and dirty tracking flags, dirty tracking
    /// ioctls, `out_capabilities`.
    public static let linux6_7 = KernelProfile(release: KernelRelease(6, 7), releaseString: "6.7.0")
    /// Linux 6.11: fault queues, `fault_id` in `IOMMU_HWPT_ALLOC`.
    public static let linux6_11 = KernelProfile(release: KernelRelease(6, 11), releaseString: "6.11.0")
    /// Linux 6.13: vIOMMU, vDEVICE, `IOMMU_IOAS_MAP_FILE`, `IOMMU_IOAS_CHANGE_PROCESS`.
    public static let linux6_13 = KernelProfile(release: KernelRelease(6, 13), releaseString: "6.13.0")
    /// Linux 6.15: PASID-capable HWPTs and PASID attach, `out_max_pasid_log2`, vEVENTQ.
    public static let linux6_15 = KernelProfile(release: KernelRelease(6, 15), releaseString: "6.15.0")
    /// Linux 6.17: `IOMMU_HW_INFO_FLAG_INPUT_TYPE`, VF tokens on bind, HW queues.
    public static let linux6_17 = KernelProfile(release: KernelRelease(6, 17), releaseString: "6.17.0")
    /// Linux 7.2, the release the library's UAPI is pinned to.
    public static let linux7_2 = KernelProfile(release: KernelRelease(7, 2), releaseString: "7.2.13")

    /// Every built-in profile, oldest first.
    public static let all: [KernelProfile] = [.linux6_6, .linux6_7, .linux6_11, .linux6_13, .linux6_15, .linux6_17, .linux7_2]

    /// The same release without `CONFIG_IOMMUFD_TEST`.
    public var withoutIOMMUFDTest: KernelProfile {
        var copy = self
        copy.hasIOMMUFDTest = false
        return copy
    }

    /// `"Linux 6.15"`.
    public var description: String { "Linux \(release)" }

    // MARK: - Derived rules

    private func atLeast(_ major: Int, _ minor: Int) -> Bool { release >= KernelRelease(major, minor) }

    /// Whether the release has the ioctl of `operation` (iommufd or VFIO cdev).
    public func supports(_ operation: IOMMUFDError.Operation) -> Bool {
        guard let added = operation.introducedIn else { return false }
        return release >= added
    }

    /// The flags iommufd accepts for a paging HWPT (before the driver is asked).
    public var pagingHWPTFlags: HWPTAllocFlags {
        var flags: HWPTAllocFlags = []
        if atLeast(6, 7) { flags.formUnion([.nestParent, .dirtyTracking]) }
        if atLeast(6, 13) { flags.insert(.faultIDValid) }
        if atLeast(6, 15) { flags.insert(.pasid) }
        return flags
    }

    /// The flags iommufd accepts for a nested HWPT.
    public var nestedHWPTFlags: HWPTAllocFlags {
        var flags: HWPTAllocFlags = []
        if atLeast(6, 11) { flags.insert(.faultIDValid) }
        if atLeast(6, 15) { flags.insert(.pasid) }
        return flags
    }

    /// Whether `IOMMU_HWPT_FAULT_ID_VALID` together with
    /// `IOMMU_HWPT_ALLOC_NEST_PARENT` is refused (`EOPNOTSUPP`, Linux 6.15).
    public var refusesFaultOnNestParent: Bool { atLeast(6, 15) }

    /// Whether PASIDs can be attached (`VFIO_DEVICE_ATTACH_PASID`, Linux 6.15).
    public var supportsPASIDAttach: Bool { atLeast(6, 15) }

    /// Whether `IOMMU_GET_HW_INFO` accepts `IOMMU_HW_INFO_FLAG_INPUT_TYPE` (6.17).
    public var supportsHardwareInfoInputType: Bool { atLeast(6, 17) }

    /// Whether `IOMMU_GET_HW_INFO` reports `out_max_pasid_log2` (6.15).
    public var reportsMaxPASID: Bool { atLeast(6, 15) }

    /// Whether `IOMMU_GET_HW_INFO` reports `out_capabilities` (6.7).
    public var reportsCapabilities: Bool { atLeast(6, 7) }

    /// Whether `IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED` is reported (7.1, inferred).
    public var reportsATSNotSupported: Bool { atLeast(7, 1) }

    /// Whether `VFIO_DEVICE_BIND_IOMMUFD` knows `token_uuid_ptr` (6.17).
    public var supportsBindToken: Bool { atLeast(6, 17) }

    /// Whether a driver's info type is known to this release's iommufd.
    func knowsInfoType(_ type: HardwareInfoType) -> Bool {
        switch type {
        case .none, .intelVTd, .unknown: true
        case .armSMMUv3: atLeast(6, 13)
        case .tegra241CMDQV: atLeast(6, 17)
        case .amd: atLeast(6, 18)
        }
    }

    /// The size of the command structure of an iommufd ioctl in this release,
    /// and its minimum; `nil` when the ioctl does not exist.
    func iommufdCommandSizes(_ nr: UInt32) -> (size: Int, minimum: Int)? {
        let command = nr
        func sz<T>(_ type: T.Type) -> Int { MemoryLayout<T>.size }
        switch command {
        case 0x80: return (sz(iommu_destroy.self), 8)
        case 0x81: return (sz(iommu_ioas_alloc.self), 12)
        case 0x82: return (sz(iommu_ioas_allow_iovas.self), 24)
        case 0x83: return (sz(iommu_ioas_copy.self), 40)
        case 0x84: return (sz(iommu_ioas_iova_ranges.self), 32)
        case 0x85: return (sz(iommu_ioas_map.self), 40)
        case 0x86: return (sz(iommu_ioas_unmap.self), 24)
        case 0x87: return (sz(iommu_option.self), 24)
        case 0x88: return (sz(iommu_vfio_ioas.self), 12)
        case 0x89:
            guard atLeast(6, 6) else { return nil }
            return (atLeast(6, 11) ? 48 : atLeast(6, 7) ? 40 : 24, 24)
        case 0x8a:
            guard atLeast(6, 6) else { return nil }
            return (atLeast(6, 7) ? 40 : 32, 32)
        case 0x8b: return atLeast(6, 7) ? (16, 16) : nil
        case 0x8c: return atLeast(6, 7) ? (48, 48) : nil
        case 0x8d: return atLeast(6, 8) ? (32, 32) : nil
        case 0x8e: return atLeast(6, 11) ? (16, 16) : nil
        case 0x8f: return atLeast(6, 13) ? (40, 40) : nil
        case 0x90: return atLeast(6, 13) ? (atLeast(6, 17) ? 40 : 24, 24) : nil
        case 0x91: return atLeast(6, 13) ? (24, 24) : nil
        case 0x92: return atLeast(6, 13) ? (8, 8) : nil
        case 0x93: return atLeast(6, 15) ? (32, 28) : nil
        case 0x94: return atLeast(6, 17) ? (40, 40) : nil
        default: return nil
        }
    }

    /// `sizeof(struct vfio_device_bind_iommufd)` in this release.
    var bindStructureSize: Int { supportsBindToken ? 24 : 16 }
}
