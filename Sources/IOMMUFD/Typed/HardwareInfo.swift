public import CIOMMUFD   // HardwareInfoType(rawValue:) is inlinable

/// What `IOMMU_GET_HW_INFO` reports about the IOMMU behind a bound device.
///
/// A plain value (`BitwiseCopyable`): no reference counting when it is
/// copied or dropped.
public struct HardwareInfo: BitwiseCopyable, Sendable, Hashable {
    // The two info types are stored as the kernel's numbers: a plain 32-bit
    // field is cheaper to fill on every GET_HW_INFO than the enum, whose
    // `unknown` payload the value's layout packs with shifts and masks
    // (Docs/Benchmarks.md).
    @usableFromInline var typeNumber: UInt32
    @usableFromInline var requestedTypeNumber: UInt32
    @usableFromInline var hasRequestedType: Bool

    /// The type of the vendor data (`out_data_type`).
    public var type: HardwareInfoType {
        get { HardwareInfoType(rawValue: typeNumber) }
        set { typeNumber = newValue.rawValue }
    }
    /// The vendor data, holding the raw registers (decode them with
    /// ``VendorData/decoded``).
    public var vendorData: VendorData
    /// Generic capabilities (`out_capabilities`, Linux 6.7).
    public var capabilities: HardwareCapabilities
    /// The device's PASID width in bits (`out_max_pasid_log2`, Linux 6.15);
    /// 0 when the device has no usable PASID support or the kernel is older.
    public var maxPASIDLog2: UInt8
    /// The length of the vendor data the kernel has (`data_len` on return);
    /// may exceed what the library read when the kernel is newer.
    public var vendorDataLength: UInt32
    /// The info type that was requested with `IOMMU_HW_INFO_FLAG_INPUT_TYPE`,
    /// if one was.
    public var requestedType: HardwareInfoType? {
        get { hasRequestedType ? HardwareInfoType(rawValue: requestedTypeNumber) : nil }
        set {
            hasRequestedType = newValue != nil
            requestedTypeNumber = newValue?.rawValue ?? 0
        }
    }
    /// Whether the request for ``requestedType`` was refused by a kernel that
    /// predates `IOMMU_HW_INFO_FLAG_INPUT_TYPE` (Linux 6.17), so the default
    /// type was returned instead.
    public var requestedTypeFellBack: Bool

    /// Whether the device can use PASIDs (``maxPASIDLog2`` > 0).
    public var supportsPASID: Bool { maxPASIDLog2 > 0 }

    /// Creates hardware information (for tests and models).
    ///
    /// An info type is kept as its number, so ``HardwareInfoType/unknown(_:)``
    /// of a number the library knows reads back as that number's case.
    public init(
        type: HardwareInfoType, vendorData: VendorData, capabilities: HardwareCapabilities = [],
        maxPASIDLog2: UInt8 = 0, vendorDataLength: UInt32? = nil,
        requestedType: HardwareInfoType? = nil, requestedTypeFellBack: Bool = false
    ) {
        self.init(
            typeNumber: type.rawValue, vendorData: vendorData, capabilities: capabilities,
            maxPASIDLog2: maxPASIDLog2, vendorDataLength: vendorDataLength ?? UInt32(vendorData.byteCount),
            requestedTypeNumber: requestedType?.rawValue, requestedTypeFellBack: requestedTypeFellBack)
    }

    /// Creates hardware information from the kernel's numbers.
    @inlinable
    init(
        typeNumber: UInt32, vendorData: VendorData, capabilities: HardwareCapabilities, maxPASIDLog2: UInt8,
        vendorDataLength: UInt32, requestedTypeNumber: UInt32?, requestedTypeFellBack: Bool
    ) {
        self.typeNumber = typeNumber
        self.requestedTypeNumber = requestedTypeNumber ?? 0
        self.hasRequestedType = requestedTypeNumber != nil
        self.vendorData = vendorData
        self.capabilities = capabilities
        self.maxPASIDLog2 = maxPASIDLog2
        self.vendorDataLength = vendorDataLength
        self.requestedTypeFellBack = requestedTypeFellBack
    }
}

/// `enum iommu_hw_info_type`: the type of vendor data GET_HW_INFO returns.
public enum HardwareInfoType: BitwiseCopyable, Sendable, Hashable, CustomStringConvertible {
    /// `IOMMU_HW_INFO_TYPE_NONE` (also `DEFAULT` as input): no vendor data.
    case none
    /// `IOMMU_HW_INFO_TYPE_INTEL_VTD`.
    case intelVTd
    /// `IOMMU_HW_INFO_TYPE_ARM_SMMUV3`.
    case armSMMUv3
    /// `IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV` (Linux 6.17).
    case tegra241CMDQV
    /// `IOMMU_HW_INFO_TYPE_AMD`.
    case amd
    /// A type newer than the library's pinned UAPI (or a test driver's).
    case unknown(UInt32)

    /// Maps the kernel's number.
    @inlinable   // on GET_HW_INFO's hot path, inlined into callers
    public init(rawValue: UInt32) {
        switch rawValue {
        case UInt32(IOMMU_HW_INFO_TYPE_NONE.rawValue): self = .none
        case UInt32(IOMMU_HW_INFO_TYPE_INTEL_VTD.rawValue): self = .intelVTd
        case UInt32(IOMMU_HW_INFO_TYPE_ARM_SMMUV3.rawValue): self = .armSMMUv3
        case UInt32(IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV.rawValue): self = .tegra241CMDQV
        case UInt32(IOMMU_HW_INFO_TYPE_AMD.rawValue): self = .amd
        default: self = .unknown(rawValue)
        }
    }

    /// The kernel's number.
    public var rawValue: UInt32 {
        switch self {
        case .none: UInt32(IOMMU_HW_INFO_TYPE_NONE.rawValue)
        case .intelVTd: UInt32(IOMMU_HW_INFO_TYPE_INTEL_VTD.rawValue)
        case .armSMMUv3: UInt32(IOMMU_HW_INFO_TYPE_ARM_SMMUV3.rawValue)
        case .tegra241CMDQV: UInt32(IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV.rawValue)
        case .amd: UInt32(IOMMU_HW_INFO_TYPE_AMD.rawValue)
        case .unknown(let raw): raw
        }
    }

    /// A stable identifier: `none`, `intel-vtd`, `arm-smmuv3`,
    /// `tegra241-cmdqv`, `amd`, or `unknown-0x…`.
    public var identifier: String {
        switch self {
        case .none: "none"
        case .intelVTd: "intel-vtd"
        case .armSMMUv3: "arm-smmuv3"
        case .tegra241CMDQV: "tegra241-cmdqv"
        case .amd: "amd"
        case .unknown(let raw): "unknown-\(hexString(raw))"
        }
    }

    /// The kernel's constant name, e.g. `IOMMU_HW_INFO_TYPE_INTEL_VTD`.
    public var kernelName: String {
        switch self {
        case .none: "IOMMU_HW_INFO_TYPE_NONE"
        case .intelVTd: "IOMMU_HW_INFO_TYPE_INTEL_VTD"
        case .armSMMUv3: "IOMMU_HW_INFO_TYPE_ARM_SMMUV3"
        case .tegra241CMDQV: "IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV"
        case .amd: "IOMMU_HW_INFO_TYPE_AMD"
        case .unknown(let raw): "unknown (\(hexString(raw)))"
        }
    }

    /// A human name, e.g. "Intel VT-d".
    public var description: String {
        switch self {
        case .none: "none"
        case .intelVTd: "Intel VT-d"
        case .armSMMUv3: "ARM SMMUv3"
        case .tegra241CMDQV: "NVIDIA Tegra241 CMDQV"
        case .amd: "AMD IOMMU"
        case .unknown(let raw): "unknown type \(hexString(raw))"
        }
    }
}

/// `enum iommufd_hw_capabilities`: `iommu_hw_info.out_capabilities`.
public struct HardwareCapabilities: FlagSet {
    /// The bits as the kernel reports them.
    public let rawValue: UInt64
    /// Wraps raw bits.
    @inlinable public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// `IOMMU_HW_CAP_DIRTY_TRACKING`: the IOMMU can track dirty pages for this
    /// device (HWPTs with ``HWPTAllocFlags/dirtyTracking``). Linux 6.7.
    public static let dirtyTracking = HardwareCapabilities(rawValue: UInt64(IOMMU_HW_CAP_DIRTY_TRACKING.rawValue))
    /// `IOMMU_HW_CAP_PCI_PASID_EXEC`: the device's PASID capability allows
    /// execute permission. Meaningful only when the PASID width is non-zero. Linux 6.15.
    public static let pciPASIDExec = HardwareCapabilities(rawValue: UInt64(IOMMU_HW_CAP_PCI_PASID_EXEC.rawValue))
    /// `IOMMU_HW_CAP_PCI_PASID_PRIV`: the device's PASID capability allows
    /// privileged mode. Meaningful only when the PASID width is non-zero. Linux 6.15.
    public static let pciPASIDPriv = HardwareCapabilities(rawValue: UInt64(IOMMU_HW_CAP_PCI_PASID_PRIV.rawValue))
    /// `IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED`: ATS cannot be used for this
    /// device (its absence means ATS may be enabled).
    public static let pciATSNotSupported = HardwareCapabilities(
        rawValue: UInt64(IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED.rawValue))

    /// Every defined flag with its name.
    public static let namedFlags: [(flag: HardwareCapabilities, name: String)] = [
        (.dirtyTracking, "dirtyTracking"), (.pciPASIDExec, "pciPASIDExec"),
        (.pciPASIDPriv, "pciPASIDPriv"), (.pciATSNotSupported, "pciATSNotSupported"),
    ]
}
