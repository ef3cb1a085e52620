/// The Intel VT-d registers `IOMMU_GET_HW_INFO` returns
/// (`struct iommu_hw_info_vtd`), decoded.
public struct IntelVTdDecoded: DecodedIOMMURegisters, Hashable {
    /// The `flags` word of `struct iommu_hw_info_vtd`.
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The raw flags.
        public let rawValue: UInt32
        /// Wraps raw flags.
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// `IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17`: read-only mappings are not
        /// allowed on a nesting-parent domain (Intel erratum 772415).
        public static let errata772415SPR17 = Flags(rawValue: 1 << 0)
    }

    /// The decoded capability register.
    public let cap: IntelVTdCapability
    /// The decoded extended capability register.
    public let ecap: IntelVTdExtendedCapability
    /// The flags word.
    public let flags: Flags

    /// Decodes the three words of `struct iommu_hw_info_vtd`.
    public init(capReg: UInt64, ecapReg: UInt64, flags: UInt32 = 0) {
        self.cap = IntelVTdCapability(rawValue: capReg)
        self.ecap = IntelVTdExtendedCapability(rawValue: ecapReg)
        self.flags = Flags(rawValue: flags)
    }

    /// The field table of the flags word.
    public static let flagsLayout = RegisterLayout(
        name: "flags", title: "iommu_hw_info_vtd flags", width: 32,
        fields: [
            .flag("errata_772415_spr17", "ERRATA_772415_SPR17", bit: 0,
                  "No read-only mappings on nesting parents (erratum 772415)"),
        ],
        reserved: [ReservedBitRange(1...31, "undefined flags")])

    /// `"intel-vtd"`.
    public var typeName: String { "intel-vtd" }
    /// The title line of the text form.
    public var title: String { "Intel VT-d (IOMMU_HW_INFO_TYPE_INTEL_VTD)" }

    /// The flags word, CAP_REG and ECAP_REG.
    public var registers: [DecodedRegister] {
        [
            DecodedRegister(layout: Self.flagsLayout, value: UInt64(flags.rawValue)),
            cap.decoded,
            ecap.decoded,
        ]
    }

    /// Whether scalable mode is available (ECAP.SMTS). Linux additionally
    /// needs scalable mode enabled on its command line (`sm_on`, the default
    /// in recent kernels).
    public var scalableMode: Bool { ecap.smts }

    /// The PASID width in bits (PSS + 1) when scalable mode and PASIDs are
    /// supported, else 0 — as Linux's `pasid_supported()` decides.
    public var pasidBits: Int { scalableMode && ecap.pasid ? ecap.pss + 1 : 0 }

    /// Derived facts. First stage: scalable mode with FSTS; 4-level paging,
    /// 5-level with FS5LP; 4K/2M pages plus 1G with FS1GP. Second stage:
    /// legacy mode, or scalable mode with SSTS; depths and widths from SAGAW,
    /// limited by MGAW; 2M/1G pages from SLLPS. Nesting: scalable mode with
    /// NEST. Dirty tracking: scalable mode with SSADS and SMPWCS (Linux's
    /// `ssads_supported()`). ATS: DT. PRI: PRS. The output (host) address
    /// width is in the ACPI DMAR table, not in these registers.
    public var facts: IOMMUFacts {
        let mgaw = cap.mgaw
        let fsLevels = cap.fl5lp ? [4, 5] : [4]
        let fsWidths = fsLevels.map { 12 + 9 * $0 }
        let fsMax = min(mgaw, cap.fl5lp && mgaw > 48 ? 57 : 48)
        var fsSizes: [UInt64] = [1 << 12, 1 << 21]
        if cap.fl1gp { fsSizes.append(1 << 30) }
        let first = IOMMUFacts.Stage(
            supported: scalableMode && ecap.flts, pageTableLevels: fsLevels, addressWidths: fsWidths,
            maxAddressWidth: fsMax, pageSizes: fsSizes)

        let ssLevels = cap.secondStageLevels
        let ssWidths = ssLevels.map { min(12 + 9 * $0, 64) }
        var ssSizes: [UInt64] = [1 << 12]
        if cap.superPageVal & 1 != 0 { ssSizes.append(1 << 21) }
        if cap.superPageVal & 2 != 0 { ssSizes.append(1 << 30) }
        let second = IOMMUFacts.Stage(
            supported: !scalableMode || ecap.slts, pageTableLevels: ssLevels, addressWidths: ssWidths,
            maxAddressWidth: mgaw, pageSizes: ssSizes)

        return IOMMUFacts(
            firstStage: first, secondStage: second, outputAddressWidth: nil, pasidBits: pasidBits,
            nesting: scalableMode && ecap.nest,
            dirtyTracking: scalableMode && ecap.slads && ecap.smpwc,
            ats: ecap.devIotlb, pri: ecap.prs)
    }
}
