import Testing
@testable import IOMMUFD

@Suite("NVIDIA Tegra241 CMDQV")
struct Tegra241CMDQVDecodingTests {
    /// The values QEMU's tegra241-cmdqv model requires from the host
    /// (qemu-devel "hw/arm/tegra241-cmdqv" series: TEGRA241_CMDQV_VERSION 1,
    /// TEGRA241_CMDQV_NUM_CMDQ_LOG2 1, TEGRA241_CMDQV_NUM_SID_PER_VM_LOG2 4;
    /// an early revision rejected hosts reporting anything else).
    @Test func graceHostValues() {
        let d = Tegra241CMDQVDecoded(version: 1, log2VCMDQs: 1, log2VSIDs: 4)
        expectDecodedFields(d, register: "cmdqv", RegisterExpectation([], ["version": 1, "log2vcmdqs": 1, "log2vsids": 4]))
        #expect(d.vcmdqs == 2)
        #expect(d.vsids == 16)
        #expect(d.param == 0x4011)
        #expect(d.packed == 0x04_01_01)
        #expect(d.reservedBitsSet.isEmpty)
        #expect(d.json["cmdqv"] == .object(["version": .uint(1), "log2vcmdqs": .uint(1), "log2vsids": .uint(4)]))
        #expect(d.json["type"] == .string("tegra241-cmdqv"))
    }

    @Test func oversizedBytesAreReportedAsReserved() {
        let d = Tegra241CMDQVDecoded(version: 0x21, log2VCMDQs: 0xff, log2VSIDs: 0x10)
        #expect(d.reservedBitsSet == [ReservedBits(register: "cmdqv", mask: 0x10_f0_20)])
        #expect(d.param == 0x0f1)
        #expect(d.vcmdqs == .max)  // 2^255 saturates
        #expect(d.field("cmdqv", "log2vcmdqs")?.value == .number(15))
    }

    @Test func everyByteValueDecodesWithoutTrapping() {
        var seen = 0
        for v in 0...255 {
            let byte = UInt8(v)
            let d = Tegra241CMDQVDecoded(version: byte, log2VCMDQs: byte, log2VSIDs: byte)
            seen += d.fields.count + d.description.count
            #expect(d.param == UInt32(byte & 0xf) * 0x1011)
        }
        withExtendedLifetime(seen) {}   // keeps the renderings computed
    }
}
