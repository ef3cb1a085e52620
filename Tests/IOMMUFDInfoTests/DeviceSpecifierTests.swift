import IOMMUFD
@testable import IOMMUFDInfoCommand
import Testing

/// DEVICE is classified by form before anything is looked up.
@Suite struct DeviceSpecifierTests {
    @Test(arguments: ["/dev/vfio/devices/vfio0", "./vfio0", "../x", "/"])
    func paths(text: String) throws {
        #expect(try DeviceSpecifier(text).form == .path)
    }

    @Test(arguments: ["vfio0", "vfio12", "vfio007"])
    func names(text: String) throws {
        #expect(try DeviceSpecifier(text).form == .name)
    }

    @Test(arguments: [("0000:00:03.0", "0000:00:03.0"), ("00:03.0", "0000:00:03.0"), ("ffff:ff:1f.7", "ffff:ff:1f.7"),
                      ("1:2:3.4", "0001:02:03.4")])
    func pciAddresses(text: String, canonical: String) throws {
        guard case .pciAddress(let address) = try DeviceSpecifier(text).form else {
            Issue.record("\(text) is not a PCI address")
            return
        }
        #expect(address.description == canonical)
    }

    @Test(arguments: ["", "vfio", "vfio-1", "vfio٣", "eth0", "00:20.0", "0000:00:03.8", "1:2:3:4.0", ":03.0",
                      "0000:00:03", "123456789:00:00.0"])
    func usageErrors(text: String) {
        let error = #expect(throws: CommandFailure.self) { try DeviceSpecifier(text) }
        #expect(error?.kind == .usage)
        #expect(error?.exitStatus == 64)
    }
}
