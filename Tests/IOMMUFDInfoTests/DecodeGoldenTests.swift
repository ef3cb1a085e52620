import IOMMUFD
import IOMMUFDTesting
import Testing

/// `iommufd-info decode` over real register values: golden text, JSON that
/// is exactly the decoders' own, and no system call at all.
@Suite struct DecodeGoldenTests {
    /// Register values from real machines and our VM.
    static let cases: [(name: String, arguments: [String])] = [
        // The project's QEMU VM (intel-iommu, scalable mode, PASID mode), as GET_HW_INFO reports it.
        ("vtd-qemu-vm", ["vtd", "--cap", "0x00d2008c222f0606", "--ecap", "0x0000490080f00f4a", "--flags", "0x1"]),
        // The same registers as sysfs prints them (no 0x, no leading zeros).
        ("vtd-qemu-vm-sysfs", ["vtd", "--cap", "d2008c222f0606", "--ecap", "490080f00f4a"]),
        // QEMU's amd-iommu: "AMD-Vi: Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE".
        ("amd-qemu", ["amd", "--efr", "0x29d3"]),
        // AMD EPYC 7R13 (Milan): "Extended features (0x841f77e022094ace): PPR X2APIC NX IA GA PC".
        ("amd-epyc-milan", ["amd", "--efr", "0x841f77e022094ace", "--efr2", "0"]),
        // Arm MMU-600 documented reset values.
        ("smmuv3-mmu600", ["smmuv3", "--idr", "0x080F7E3F,0x0E739D18,0,0x3C,0,0x00400075", "--iidr", "0x4832243B",
                           "--aidr", "0x1"]),
    ]

    @Test(arguments: cases.map(\.name), [false, true])
    func decode(name: String, json: Bool) throws {
        let arguments = try #require(Self.cases.first { $0.name == name }).arguments
        let (run, model) = runOffline(["decode"] + arguments + (json ? ["--json"] : []))
        #expect(run.status == 0)
        #expect(run.errorOutput == "")
        Golden.check(run.output, "decode-\(name).\(json ? "json" : "txt")")
        #expect(model.trace.isEmpty, "decode makes no system call")
    }

    @Test func vtdJSONIsTheDecodersJSON() {
        let (run, _) = runOffline(["decode", "vtd", "--cap", "0x00d2008c222f0606", "--ecap", "0x0000490080f00f4a", "--json"])
        let expected = IntelVTdDecoded(capReg: 0x00d2_008c_222f_0606, ecapReg: 0x0000_4900_80f0_0f4a).json
        #expect(run.output == expected.encoded(pretty: true) + "\n")
        #expect(expected["type"] == .string("intel-vtd"))
    }

    @Test func amdAndSMMUv3JSONAreTheDecodersJSON() throws {
        let (amd, _) = runOffline(["decode", "amd", "--efr", "0x29d3", "--json"])
        #expect(amd.output == AMDIOMMUDecoded(efr: 0x29d3, efr2: 0).json.encoded(pretty: true) + "\n")
        let (smmu, _) = runOffline(["decode", "smmuv3", "--idr", Hosts.smmuIDR.map { String($0, radix: 16) }
            .joined(separator: ","), "--json"])
        let decoded = try #require(ARMSMMUv3Decoded(idr: Hosts.smmuIDR, iidr: 0, aidr: 0))
        #expect(smmu.output == decoded.json.encoded(pretty: true) + "\n")
    }

    @Test(arguments: ["0x29d3", "0X29D3", "29d3", "29D3", "0x00000000000029d3", " 0x29d3\n", "000000000000000000029d3"])
    func hexIsAcceptedWithOrWithoutPrefix(value: String) {
        let (run, _) = runOffline(["decode", "amd", "--efr", value, "--json"])
        #expect(run.status == 0, "\(run.errorOutput)")
        #expect(run.output == AMDIOMMUDecoded(efr: 0x29d3, efr2: 0).json.encoded(pretty: true) + "\n")
    }

    @Test func valuesOfExactly64BitsAreAccepted() {
        let (run, _) = runOffline(["decode", "vtd", "--cap", "0xffffffffffffffff", "--ecap", "FFFFFFFFFFFFFFFF"])
        #expect(run.status == 0)
        #expect(run.output.contains("cap    0xffffffffffffffff"))
    }
}
