/// The PCIe extended capabilities of a device that matter to an IOMMU —
/// PASID, ATS and PRI — read from its configuration space.
///
/// Offsets and bit positions are those of the PCI Express Base
/// Specification; config space past 256 bytes is only readable as root
/// (or through a bound VFIO device).
public struct PCIExpressCapabilities: Sendable, Hashable {
    /// The PASID capability (extended capability ID 0x1b).
    public struct PASID: Sendable, Hashable {
        /// The offset of the capability in config space.
        public var offset: Int
        /// Max PASID Width: the number of PASID bits (1 to 20).
        public var maxWidth: UInt8
        /// Execute Permission Supported.
        public var executePermission: Bool
        /// Privileged Mode Supported.
        public var privilegedMode: Bool
        /// PASID Enable (control register).
        public var enabled: Bool
    }

    /// The Address Translation Services capability (ID 0x0f).
    public struct ATS: Sendable, Hashable {
        /// The offset of the capability in config space.
        public var offset: Int
        /// Invalidate Queue Depth (0 means 32).
        public var invalidateQueueDepth: UInt8
        /// Page Aligned Request.
        public var pageAlignedRequest: Bool
        /// Global Invalidate Supported.
        public var globalInvalidate: Bool
        /// ATS Enable (control register).
        public var enabled: Bool
        /// Smallest Translation Unit (control register): 4 KiB × 2^STU.
        public var smallestTranslationUnit: UInt8
    }

    /// The Page Request Interface capability (ID 0x13).
    public struct PRI: Sendable, Hashable {
        /// The offset of the capability in config space.
        public var offset: Int
        /// PRI Enable (control register).
        public var enabled: Bool
        /// Outstanding Page Request Capacity.
        public var outstandingPageRequestCapacity: UInt32
        /// Outstanding Page Request Allocation.
        public var outstandingPageRequestAllocation: UInt32
        /// PRG Response PASID Required (status register).
        public var responsePASIDRequired: Bool
    }

    /// The PASID capability, if present.
    public var pasid: PASID?
    /// The ATS capability, if present.
    public var ats: ATS?
    /// The PRI capability, if present.
    public var pri: PRI?
    /// Every extended capability ID found, in list order.
    public var extendedCapabilityIDs: [UInt16]
    /// Whether the extended config space (past 256 bytes) was available.
    public var extendedSpaceReadable: Bool

    /// Walks the extended capability list of a config space image. Bytes
    /// missing from a short image read as absent capabilities; loops and
    /// out-of-range pointers end the walk.
    public init(configSpace bytes: [UInt8]) {
        func read16(_ at: Int) -> UInt16? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
        }
        func read32(_ at: Int) -> UInt32? {
            guard let low = read16(at), let high = read16(at + 2) else { return nil }
            return UInt32(low) | UInt32(high) << 16
        }
        extendedCapabilityIDs = []
        extendedSpaceReadable = bytes.count > 0x100
        var offset = 0x100
        var seen = Set<Int>()
        while offset >= 0x100, offset % 4 == 0, !seen.contains(offset), let header = read32(offset),
              header != 0, header != 0xffff_ffff {
            seen.insert(offset)
            let id = UInt16(header & 0xffff)
            extendedCapabilityIDs.append(id)
            switch id {
            case 0x1b:
                if let cap = read16(offset + 4), let control = read16(offset + 6) {
                    pasid = PASID(
                        offset: offset, maxWidth: UInt8((cap >> 8) & 0x1f), executePermission: cap & 0x2 != 0,
                        privilegedMode: cap & 0x4 != 0, enabled: control & 0x1 != 0)
                }
            case 0x0f:
                if let cap = read16(offset + 4), let control = read16(offset + 6) {
                    ats = ATS(
                        offset: offset, invalidateQueueDepth: UInt8(cap & 0x1f), pageAlignedRequest: cap & 0x20 != 0,
                        globalInvalidate: cap & 0x40 != 0, enabled: control & 0x8000 != 0,
                        smallestTranslationUnit: UInt8(control & 0x1f))
                }
            case 0x13:
                if let control = read16(offset + 4), let status = read16(offset + 6),
                   let capacity = read32(offset + 8), let allocation = read32(offset + 12) {
                    pri = PRI(
                        offset: offset, enabled: control & 0x1 != 0, outstandingPageRequestCapacity: capacity,
                        outstandingPageRequestAllocation: allocation, responsePASIDRequired: status & 0x8000 != 0)
                }
            default:
                break
            }
            offset = Int(header >> 20) & 0xffc
        }
    }
}
