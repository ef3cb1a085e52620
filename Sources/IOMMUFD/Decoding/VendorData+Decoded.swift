// The bridge from GET_HW_INFO's vendor payloads to their decoders.

extension IntelVTdHardwareInfo {
    /// The CAP and ECAP registers (and flags) decoded field by field.
    public var decoded: IntelVTdDecoded {
        IntelVTdDecoded(capReg: capReg, ecapReg: ecapReg, flags: flags.rawValue)
    }
}

extension ARMSMMUv3HardwareInfo {
    /// IDR0–IDR5, IIDR and AIDR decoded field by field.
    public var decoded: ARMSMMUv3Decoded {
        ARMSMMUv3Decoded(idr0: idr0, idr1: idr1, idr2: idr2, idr3: idr3, idr4: idr4, idr5: idr5,
                         iidr: iidr, aidr: aidr)
    }
}

extension AMDHardwareInfo {
    /// EFR and EFR2 decoded field by field.
    public var decoded: AMDIOMMUDecoded {
        AMDIOMMUDecoded(efr: efr, efr2: efr2)
    }
}

extension Tegra241CMDQVHardwareInfo {
    /// The CMDQ-V PARAM fields decoded.
    public var decoded: Tegra241CMDQVDecoded {
        Tegra241CMDQVDecoded(version: version, log2VCMDQs: log2VCMDQs, log2VSIDs: log2VSIDs)
    }
}

extension VendorData {
    /// The vendor registers decoded field by field; `nil` when there is no
    /// vendor data or its type is unknown to the library.
    public var decoded: (any DecodedIOMMURegisters)? {
        switch self {
        case .intelVTd(let info): info.decoded
        case .armSMMUv3(let info): info.decoded
        case .amd(let info): info.decoded
        case .tegra241CMDQV(let info): info.decoded
        case .none, .unknown: nil
        }
    }
}
