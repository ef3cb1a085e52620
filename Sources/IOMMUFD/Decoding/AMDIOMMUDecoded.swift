/// The AMD IOMMU registers `IOMMU_GET_HW_INFO` returns
/// (`struct iommu_hw_info_amd`), decoded.
public struct AMDIOMMUDecoded: DecodedIOMMURegisters, Hashable {
    /// The Extended Feature Register.
    public let efr: AMDExtendedFeatures
    /// The Extended Feature 2 Register.
    public let efr2: AMDExtendedFeatures2

    /// Decodes `struct iommu_hw_info_amd`.
    public init(efr: UInt64, efr2: UInt64) {
        self.efr = AMDExtendedFeatures(rawValue: efr)
        self.efr2 = AMDExtendedFeatures2(rawValue: efr2)
    }

    /// `"amd"`.
    public var typeName: String { "amd" }
    /// The title line of the text form.
    public var title: String { "AMD IOMMU (IOMMU_HW_INFO_TYPE_AMD)" }

    /// EFR and EFR2.
    public var registers: [DecodedRegister] {
        [
            efr.decoded,
            efr2.decoded,
        ]
    }

    /// The page sizes Linux advertises for host (v1) tables: every power of
    /// two from 4 KiB to 2 PiB except 512 GiB.
    static let hostPageSizes: [UInt64] = (12...51).filter { $0 != 39 }.map { UInt64(1) << UInt64($0) }

    /// The PASID width in bits (PASmax + 1) when guest translation is
    /// supported, else 0 — as Linux sizes `max_pasids`.
    public var pasidBits: Int { efr.gt ? efr.pasmax + 1 : 0 }

    /// Derived facts. Second stage (host, v1 tables): supported unless HATS is
    /// the reserved value 3; depths 1 to 4 + HATS; page sizes every power of
    /// two from 4K to 2P except 512G, as Linux advertises them. First stage
    /// (guest, v2 tables): GTSup and GIoSup (Linux's
    /// `amd_iommu_v2_pgtbl_supported()`); 4-level, 5-level when GATS ≥ 1
    /// (x86 tables have at most five levels); 4K/2M/1G pages. Nesting (a
    /// nest-parent domain): GTSup, GIoSup and EFR2 GCR3TRPMode (Linux's
    /// `is_nest_parent_supported()`). Dirty tracking: HDSup. PRI: PPRSup. ATS is a
    /// per-device IVRS property and left unknown, as is the output width.
    public var facts: IOMMUFacts {
        let hostMaxLevel = efr.hats < 3 ? efr.hats + 4 : nil
        let hostLevels = hostMaxLevel.map { Array(1...$0) }
        let hostWidths = hostLevels.map { $0.map { min(12 + 9 * $0, 64) } }
        let hostSizes: [UInt64]? = hostMaxLevel == nil ? nil : Self.hostPageSizes
        let second = IOMMUFacts.Stage(
            supported: hostMaxLevel != nil, pageTableLevels: hostLevels, addressWidths: hostWidths,
            maxAddressWidth: hostWidths?.last, pageSizes: hostSizes)

        let v2 = efr.gt && efr.giosup
        let guestLevels: [Int]? = efr.gats < 3 ? (efr.gats >= 1 ? [4, 5] : [4]) : nil
        let guestWidths = guestLevels.map { $0.map { 12 + 9 * $0 } }
        let first = IOMMUFacts.Stage(
            supported: v2, pageTableLevels: guestLevels, addressWidths: guestWidths,
            maxAddressWidth: guestWidths?.last,
            pageSizes: [1 << 12, 1 << 21, 1 << 30])

        return IOMMUFacts(
            firstStage: first, secondStage: second, outputAddressWidth: nil, pasidBits: pasidBits,
            nesting: v2 && efr2.gcr3trpmode, dirtyTracking: efr.hdsup, ats: nil, pri: efr.ppr)
    }
}
