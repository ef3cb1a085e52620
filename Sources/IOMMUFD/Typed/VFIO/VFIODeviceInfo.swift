internal import CIOMMUFD

/// What `VFIO_DEVICE_GET_INFO` reports.
public struct VFIODeviceInfo: Sendable, Hashable {
    /// `VFIO_DEVICE_FLAGS_*`.
    public struct Flags: FlagSet {
        /// The bits as the kernel reports them.
        public let rawValue: UInt32
        /// Wraps raw bits.
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// The device supports reset.
        public static let reset = Flags(rawValue: UInt32(VFIO_DEVICE_FLAGS_RESET))
        /// A vfio-pci device.
        public static let pci = Flags(rawValue: UInt32(VFIO_DEVICE_FLAGS_PCI))
        /// A vfio-platform device.
        public static let platform = Flags(rawValue: UInt32(VFIO_DEVICE_FLAGS_PLATFORM))
        /// A vfio-amba device.
        public static let amba = Flags(rawValue: UInt32(VFIO_DEVICE_FLAGS_AMBA))
        /// A vfio-ccw device.
        public static let ccw = Flags(rawValue: UInt32(VFIO_DEVICE_FLAGS_CCW))
        /// A vfio-ap device.
        public static let ap = Flags(rawValue: UInt32(VFIO_DEVICE_FLAGS_AP))
        /// A vfio-fsl-mc device.
        public static let fslMC = Flags(rawValue: UInt32(VFIO_DEVICE_FLAGS_FSL_MC))
        /// The info has a capability chain.
        public static let capabilities = Flags(rawValue: UInt32(VFIO_DEVICE_FLAGS_CAPS))
        /// A vfio-cdx device.
        public static let cdx = Flags(rawValue: UInt32(VFIO_DEVICE_FLAGS_CDX))
        /// Every defined flag with its name.
        public static let namedFlags: [(flag: Flags, name: String)] = [
            (.reset, "reset"), (.pci, "pci"), (.platform, "platform"), (.amba, "amba"), (.ccw, "ccw"),
            (.ap, "ap"), (.fslMC, "fsl-mc"), (.capabilities, "caps"), (.cdx, "cdx"),
        ]
    }

    /// The device kind and features.
    public var flags: Flags
    /// The number of regions (max index + 1).
    public var regionCount: UInt32
    /// The number of interrupt types (max index + 1).
    public var irqCount: UInt32

    /// Creates the description.
    public init(flags: Flags, regionCount: UInt32, irqCount: UInt32) {
        self.flags = flags
        self.regionCount = regionCount
        self.irqCount = irqCount
    }
}

/// What `VFIO_DEVICE_GET_REGION_INFO` reports about one region.
public struct VFIORegionInfo: Sendable, Hashable {
    /// The region index.
    public var index: UInt32
    /// `VFIO_REGION_INFO_FLAG_*` (read, write, mmap, caps).
    public var flags: UInt32
    /// The size in bytes (0: not implemented).
    public var size: UInt64
    /// The offset of the region in the device file.
    public var offset: UInt64
}
