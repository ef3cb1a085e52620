/// SMMU_IDR5 (SMMUv3 specification 6.3.6), decoded.
public struct ARMSMMUv3IDR5: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt32

    /// Decodes `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Output address widths, in bits, indexed by OAS.
    public static let oasBits = [32, 36, 40, 42, 44, 48, 52, 56]
    /// Virtual address widths, in bits, indexed by VAX (3 is reserved).
    public static let vaxBits = [48, 52, 56]

    /// The register's field table. The UAPI lets user space rely on VAX,
    /// GRAN64K, GRAN16K and GRAN4K.
    public static let layout = RegisterLayout(
        name: "idr5", title: "SMMU_IDR5", width: 32,
        fields: [F.oas, F.gran4k, F.gran16k, F.gran64k, F.ds, F.d128, F.vax, F.stallMax],
        reserved: [ReservedBitRange(3...3), ReservedBitRange(9...9), ReservedBitRange(12...15)])

    enum F {
        static let oas = RegisterFieldSpec.raw(
            "oas", "OAS", bits: 0...2, display: .names(ARMSMMUv3IDR5.oasBits.map { "\($0)-bit" }),
            uapi: false, "Output address size")
        static let gran4k = RegisterFieldSpec.flag("gran4k", "GRAN4K", bit: 4, "4 KiB translation granule")
        static let gran16k = RegisterFieldSpec.flag("gran16k", "GRAN16K", bit: 5, "16 KiB translation granule")
        static let gran64k = RegisterFieldSpec.flag("gran64k", "GRAN64K", bit: 6, "64 KiB translation granule")
        static let ds = RegisterFieldSpec.flag(
            "ds", "DS", bit: 7, uapi: false, "52-bit addresses with 4 KiB and 16 KiB granules (LPA2)")
        static let d128 = RegisterFieldSpec.flag("d128", "D128", bit: 8, uapi: false, "128-bit descriptors")
        static let vax = RegisterFieldSpec.raw(
            "vax", "VAX", bits: 10...11, display: .names(["48-bit", "52-bit", "56-bit", ""]),
            "Virtual address extension")
        static let stallMax = RegisterFieldSpec.raw(
            "stall_max", "STALL_MAX", bits: 16...31, uapi: false, "Maximum outstanding stalled transactions")
    }

    /// OAS: output address size encoding (see ``oasBits``).
    public var oas: Int { int(F.oas) }
    /// GRAN4K: 4 KiB granule.
    public var gran4k: Bool { flag(F.gran4k) }
    /// GRAN16K: 16 KiB granule.
    public var gran16k: Bool { flag(F.gran16k) }
    /// GRAN64K: 64 KiB granule.
    public var gran64k: Bool { flag(F.gran64k) }
    /// DS: 52-bit addresses with 4 KiB and 16 KiB granules.
    public var ds: Bool { flag(F.ds) }
    /// D128: 128-bit translation table descriptors.
    public var d128: Bool { flag(F.d128) }
    /// VAX: virtual address extension (0 48-bit, 1 52-bit, 2 56-bit).
    public var vax: Int { int(F.vax) }
    /// STALL_MAX: maximum number of outstanding stalled transactions.
    public var stallMax: Int { int(F.stallMax) }

    /// The output address width in bits.
    public var outputAddressBits: Int { Self.oasBits[oas & 7] }
    /// The virtual address width in bits, `nil` for the reserved encoding.
    public var virtualAddressBits: Int? { vax < Self.vaxBits.count ? Self.vaxBits[vax] : nil }

    /// Page and block sizes of the supported granules, as Linux derives them:
    /// 4K/2M/1G, 16K/32M, 64K/512M, plus 4T (64K granule) with a 52-bit
    /// output size.
    public var pageSizes: [UInt64] {
        var sizes: [UInt64] = []
        if gran4k { sizes += [1 << 12, 1 << 21, 1 << 30] }
        if gran16k { sizes += [1 << 14, 1 << 25] }
        if gran64k { sizes += [1 << 16, 1 << 29] }
        if outputAddressBits == 52 && gran64k { sizes.append(1 << 42) }
        return sizes.sorted()
    }
}
