internal import CIOMMUFD

/// The vendor data of GET_HW_INFO, typed by its info type.
///
/// Every payload is a plain value, so ``HardwareInfo`` is too.
public enum VendorData: BitwiseCopyable, Sendable, Hashable {
    /// No vendor data (`IOMMU_HW_INFO_TYPE_NONE`).
    case none
    /// `struct iommu_hw_info_vtd`.
    case intelVTd(IntelVTdHardwareInfo)
    /// `struct iommu_hw_info_arm_smmuv3`.
    case armSMMUv3(ARMSMMUv3HardwareInfo)
    /// `struct iommu_hw_info_tegra241_cmdqv`.
    case tegra241CMDQV(Tegra241CMDQVHardwareInfo)
    /// `struct iommu_hw_info_amd`.
    case amd(AMDHardwareInfo)
    /// Data of a type the library does not know, as raw bytes: the first
    /// ``VendorDataBytes/capacity`` (128); ``HardwareInfo/vendorDataLength``
    /// says how many the kernel has, and
    /// ``IOMMUFD/vendorDataBytes(for:requesting:)`` reads them all.
    case unknown(type: UInt32, bytes: VendorDataBytes)

    /// The size of the kernel structure this payload corresponds to.
    var byteCount: Int {
        switch self {
        case .none: 0
        case .intelVTd: MemoryLayout<iommu_hw_info_vtd>.size
        case .armSMMUv3: MemoryLayout<iommu_hw_info_arm_smmuv3>.size
        case .tegra241CMDQV: MemoryLayout<iommu_hw_info_tegra241_cmdqv>.size
        case .amd: MemoryLayout<iommu_hw_info_amd>.size
        case .unknown(_, let bytes): bytes.count
        }
    }
}

/// `struct iommu_hw_info_vtd`: Intel VT-d capability registers.
public struct IntelVTdHardwareInfo: BitwiseCopyable, Sendable, Hashable {
    /// `enum iommu_hw_info_vtd_flags`.
    public struct Flags: FlagSet {
        /// The bits as the kernel reports them.
        public let rawValue: UInt32
        /// Wraps raw bits.
        @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// `IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17`: read-only mappings must not
        /// be used on a nesting-parent HWPT (Intel erratum 772415).
        public static let errata772415SPR17 = Flags(
            rawValue: UInt32(IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17.rawValue))
        /// Every defined flag with its name.
        public static let namedFlags: [(flag: Flags, name: String)] = [(.errata772415SPR17, "errata772415SPR17")]
    }

    /// The flags word.
    public var flags: Flags
    /// The capability register (VT-d spec 11.4.2).
    public var capReg: UInt64
    /// The extended capability register (VT-d spec 11.4.3).
    public var ecapReg: UInt64

    /// Creates the payload.
    @inlinable public init(flags: Flags = [], capReg: UInt64, ecapReg: UInt64) {
        self.flags = flags
        self.capReg = capReg
        self.ecapReg = ecapReg
    }
}

/// `struct iommu_hw_info_arm_smmuv3`: ARM SMMUv3 identification registers.
public struct ARMSMMUv3HardwareInfo: BitwiseCopyable, Sendable, Hashable {
    /// The flags word (0 in Linux 7.2).
    public var flags: UInt32
    /// IDR0 to IDR5, in order.
    public var idr: [UInt32] {
        get { [idr0, idr1, idr2, idr3, idr4, idr5] }
    }
    /// IDR0.
    public var idr0: UInt32
    /// IDR1.
    public var idr1: UInt32
    /// IDR2.
    public var idr2: UInt32
    /// IDR3.
    public var idr3: UInt32
    /// IDR4.
    public var idr4: UInt32
    /// IDR5.
    public var idr5: UInt32
    /// IIDR: implementer and revision.
    public var iidr: UInt32
    /// AIDR: architecture version.
    public var aidr: UInt32

    /// Creates the payload.
    @inlinable public init(
        flags: UInt32 = 0, idr0: UInt32, idr1: UInt32, idr2: UInt32, idr3: UInt32, idr4: UInt32, idr5: UInt32,
        iidr: UInt32, aidr: UInt32
    ) {
        self.flags = flags
        self.idr0 = idr0
        self.idr1 = idr1
        self.idr2 = idr2
        self.idr3 = idr3
        self.idr4 = idr4
        self.idr5 = idr5
        self.iidr = iidr
        self.aidr = aidr
    }
}

/// `struct iommu_hw_info_tegra241_cmdqv`: fields of the CMDQ-V PARAM register.
public struct Tegra241CMDQVHardwareInfo: BitwiseCopyable, Sendable, Hashable {
    /// The flags word (0 in Linux 7.2).
    public var flags: UInt32
    /// The CMDQ-V version (PARAM bits 3:0).
    public var version: UInt8
    /// Log2 of the number of virtual command queues (PARAM bits 7:4).
    public var log2VCMDQs: UInt8
    /// Log2 of the number of stream ID replacements (PARAM bits 15:12).
    public var log2VSIDs: UInt8

    /// Creates the payload.
    @inlinable public init(flags: UInt32 = 0, version: UInt8, log2VCMDQs: UInt8, log2VSIDs: UInt8) {
        self.flags = flags
        self.version = version
        self.log2VCMDQs = log2VCMDQs
        self.log2VSIDs = log2VSIDs
    }
}

/// `struct iommu_hw_info_amd`: AMD IOMMU extended feature registers.
public struct AMDHardwareInfo: BitwiseCopyable, Sendable, Hashable {
    /// The Extended Feature Register (MMIO offset 0x30).
    public var efr: UInt64
    /// The Extended Feature 2 Register (MMIO offset 0x1a0).
    public var efr2: UInt64

    /// Creates the payload.
    @inlinable public init(efr: UInt64, efr2: UInt64) {
        self.efr = efr
        self.efr2 = efr2
    }
}
