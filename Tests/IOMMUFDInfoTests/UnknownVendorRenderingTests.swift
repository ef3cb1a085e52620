import IOMMUFD
@testable import IOMMUFDInfoCommand
import Testing

/// Vendor data of a type without decoder: shown as bytes, and said to be
/// the first ones when the kernel has more than a `HardwareInfo` holds.
@Suite struct UnknownVendorRenderingTests {
    func line(_ info: HardwareInfo) -> String? {
        ShowReport.hardwareInfoLines(info).first { $0.contains("unknown type") }
    }

    @Test func allBytesShownPlainly() {
        let info = HardwareInfo(type: .unknown(0x99), vendorData: .unknown(type: 0x99, bytes: [0xde, 0xad]))
        #expect(line(info) == "\tunknown type 0x00000099, not decoded: de ad")
    }

    @Test func theFirstBytesOfLongerDataSaySo() {
        let info = HardwareInfo(type: .unknown(0x99), vendorData: .unknown(type: 0x99, bytes: [1, 2]),
                                vendorDataLength: 300)
        #expect(line(info) == "\tunknown type 0x00000099, not decoded (the first 2): 01 02")
        let json = ShowReport.hardwareInfoJSON(info)
        #expect(json["vendor_bytes"] == .string("0102") && json["vendor_data_length"] == .uint(300))
    }
}
