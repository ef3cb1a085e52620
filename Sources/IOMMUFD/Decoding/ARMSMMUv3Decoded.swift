/// The ARM SMMUv3 registers `IOMMU_GET_HW_INFO` returns
/// (`struct iommu_hw_info_arm_smmuv3`), decoded.
///
/// Every field of SMMU_IDR0–5, SMMU_IIDR and SMMU_AIDR is decoded. The UAPI
/// asks VMMs to read only some of them (IDR0 ST_LEVEL, TERM_MODEL,
/// STALL_MODEL, TTENDIAN, CD2L, ASID16, TTF; IDR1 SIDSIZE, SSIDSIZE; IDR3
/// BBML, RIL; IDR5 VAX, GRAN64K, GRAN16K, GRAN4K); those fields have
/// ``DecodedField/userSpaceMayRely`` set.
public struct ARMSMMUv3Decoded: DecodedIOMMURegisters, Hashable {
    /// SMMU_IDR0.
    public let idr0: ARMSMMUv3IDR0
    /// SMMU_IDR1.
    public let idr1: ARMSMMUv3IDR1
    /// SMMU_IDR2.
    public let idr2: ARMSMMUv3IDR2
    /// SMMU_IDR3.
    public let idr3: ARMSMMUv3IDR3
    /// SMMU_IDR4 (implementation defined).
    public let idr4: ARMSMMUv3IDR4
    /// SMMU_IDR5.
    public let idr5: ARMSMMUv3IDR5
    /// SMMU_IIDR.
    public let iidr: ARMSMMUv3IIDR
    /// SMMU_AIDR.
    public let aidr: ARMSMMUv3AIDR

    /// Decodes `struct iommu_hw_info_arm_smmuv3`; `nil` unless `idr` holds
    /// exactly six words.
    public init?(idr: [UInt32], iidr: UInt32, aidr: UInt32) {
        guard idr.count == 6 else { return nil }
        self.init(idr0: idr[0], idr1: idr[1], idr2: idr[2], idr3: idr[3], idr4: idr[4], idr5: idr[5],
                  iidr: iidr, aidr: aidr)
    }

    /// Decodes the eight registers, named.
    public init(idr0: UInt32, idr1: UInt32, idr2: UInt32, idr3: UInt32, idr4: UInt32, idr5: UInt32,
                iidr: UInt32, aidr: UInt32) {
        self.idr0 = ARMSMMUv3IDR0(rawValue: idr0)
        self.idr1 = ARMSMMUv3IDR1(rawValue: idr1)
        self.idr2 = ARMSMMUv3IDR2(rawValue: idr2)
        self.idr3 = ARMSMMUv3IDR3(rawValue: idr3)
        self.idr4 = ARMSMMUv3IDR4(rawValue: idr4)
        self.idr5 = ARMSMMUv3IDR5(rawValue: idr5)
        self.iidr = ARMSMMUv3IIDR(rawValue: iidr)
        self.aidr = ARMSMMUv3AIDR(rawValue: aidr)
    }

    /// The six IDR words, in order.
    public var idr: [UInt32] {
        [idr0.rawValue, idr1.rawValue, idr2.rawValue, idr3.rawValue, idr4.rawValue, idr5.rawValue]
    }

    /// `"arm-smmuv3"`.
    public var typeName: String { "arm-smmuv3" }
    /// The title line of the text form, with the architecture revision.
    public var title: String { "ARM SMMUv3 (IOMMU_HW_INFO_TYPE_ARM_SMMUV3), \(aidr.versionString)" }

    /// SMMU_IDR0–5, SMMU_IIDR, SMMU_AIDR.
    public var registers: [DecodedRegister] {
        [
            idr0.decoded,
            idr1.decoded,
            idr2.decoded,
            idr3.decoded,
            idr4.decoded,
            idr5.decoded,
            iidr.decoded,
            aidr.decoded,
        ]
    }

    /// Derived facts. Stage 1: S1P, input widths up to VAX (48/52/56 bits);
    /// stage 2: S2P, input (IPA) width up to OAS. Page sizes come from the
    /// granules. PASID width: SSIDSIZE. Nesting: S1P and S2P. Dirty tracking:
    /// HTTU with dirty state and COHACC (Linux's `arm_smmu_dbm_capable()`).
    /// ATS and PRI: IDR0.ATS and IDR0.PRI (ATS is also a per-device property).
    /// Page-table depths depend on the granule and are left unknown.
    public var facts: IOMMUFacts {
        let sizes = idr5.pageSizes
        let vaWidths = ARMSMMUv3IDR5.vaxBits.prefix(idr5.vax < 3 ? idr5.vax + 1 : 1)
        let first = IOMMUFacts.Stage(
            supported: idr0.s1p, addressWidths: Array(vaWidths),
            maxAddressWidth: idr5.virtualAddressBits, pageSizes: sizes)
        let second = IOMMUFacts.Stage(
            supported: idr0.s2p, maxAddressWidth: idr5.outputAddressBits, pageSizes: sizes)
        return IOMMUFacts(
            firstStage: first, secondStage: second, outputAddressWidth: idr5.outputAddressBits,
            pasidBits: idr1.ssidsize, nesting: idr0.s1p && idr0.s2p,
            dirtyTracking: idr0.httu >= 2 && idr0.cohacc, ats: idr0.ats, pri: idr0.pri)
    }
}
