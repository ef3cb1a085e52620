public import CIOMMUFD   // dataType is inlinable

/// The vendor data of a nested HWPT (`iommu_hwpt_alloc.data_type` and the
/// structure behind `data_uptr`).
public enum NestedHWPTData: Sendable, Hashable {
    /// `IOMMU_HWPT_DATA_NONE`: a paging HWPT, no vendor data.
    case none
    /// `IOMMU_HWPT_DATA_VTD_S1`: an Intel VT-d stage-1 page table.
    case intelVTdStage1(IntelVTdStage1)
    /// `IOMMU_HWPT_DATA_ARM_SMMUV3`: an ARM SMMUv3 guest stream table entry.
    case armSMMUv3(ARMSMMUv3StreamTableEntry)
    /// `IOMMU_HWPT_DATA_AMD_GUEST`: an AMD guest device table entry.
    case amdGuest(AMDGuestDeviceTableEntry)

    /// The kernel's `enum iommu_hwpt_data_type` value.
    @inlinable public var dataType: UInt32 {
        switch self {
        case .none: UInt32(IOMMU_HWPT_DATA_NONE.rawValue)
        case .intelVTdStage1: UInt32(IOMMU_HWPT_DATA_VTD_S1.rawValue)
        case .armSMMUv3: UInt32(IOMMU_HWPT_DATA_ARM_SMMUV3.rawValue)
        case .amdGuest: UInt32(IOMMU_HWPT_DATA_AMD_GUEST.rawValue)
        }
    }
}

/// `struct iommu_hwpt_vtd_s1`: a guest's VT-d stage-1 page table.
public struct IntelVTdStage1: Sendable, Hashable {
    /// `enum iommu_hwpt_vtd_s1_flags`.
    public struct Flags: FlagSet {
        /// The bits as the kernel reads them.
        public let rawValue: UInt64
        /// Wraps raw bits.
        public init(rawValue: UInt64) { self.rawValue = rawValue }
        /// `IOMMU_VTD_S1_SRE`: supervisor requests allowed.
        public static let supervisorRequests = Flags(rawValue: UInt64(IOMMU_VTD_S1_SRE.rawValue))
        /// `IOMMU_VTD_S1_EAFE`: extended access flag enabled.
        public static let extendedAccessFlag = Flags(rawValue: UInt64(IOMMU_VTD_S1_EAFE.rawValue))
        /// `IOMMU_VTD_S1_WPE`: write protect enabled.
        public static let writeProtect = Flags(rawValue: UInt64(IOMMU_VTD_S1_WPE.rawValue))
        /// Every defined flag with its name.
        public static let namedFlags: [(flag: Flags, name: String)] = [
            (.supervisorRequests, "SRE"), (.extendedAccessFlag, "EAFE"), (.writeProtect, "WPE"),
        ]
    }

    /// The flags.
    public var flags: Flags
    /// The guest-physical address of the stage-1 page table root.
    public var pageTableAddress: UInt64
    /// The input address width of the page table (48 or 57).
    public var addressWidth: UInt32

    /// Creates the stage-1 description.
    public init(flags: Flags = [], pageTableAddress: UInt64, addressWidth: UInt32) {
        self.flags = flags
        self.pageTableAddress = pageTableAddress
        self.addressWidth = addressWidth
    }
}

/// `struct iommu_hwpt_arm_smmuv3`: a guest stream table entry (the first two
/// 64-bit words, little-endian).
public struct ARMSMMUv3StreamTableEntry: Sendable, Hashable {
    /// STE word 0.
    public var word0: UInt64
    /// STE word 1.
    public var word1: UInt64
    /// Creates the entry.
    public init(word0: UInt64, word1: UInt64) {
        self.word0 = word0
        self.word1 = word1
    }
}

/// `struct iommu_hwpt_amd_guest`: a guest device table entry (four 64-bit words).
public struct AMDGuestDeviceTableEntry: Sendable, Hashable {
    /// DTE words 0 to 3.
    public var word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64
    /// Creates the entry.
    public init(word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }
}
