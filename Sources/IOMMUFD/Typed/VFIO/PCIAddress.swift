/// A PCI device address: domain, bus, device and function (`0000:00:03.0`).
public struct PCIAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The PCI domain (segment).
    public var domain: UInt32
    /// The bus number.
    public var bus: UInt8
    /// The device (slot) number, 0 to 31.
    public var device: UInt8
    /// The function number, 0 to 7.
    public var function: UInt8

    /// Creates an address; `nil` if the device or function number is out of range.
    public init?(domain: UInt32 = 0, bus: UInt8, device: UInt8, function: UInt8) {
        guard device < 32, function < 8 else { return nil }
        self.domain = domain
        self.bus = bus
        self.device = device
        self.function = function
    }

    /// Parses `DDDD:BB:DD.F` or `BB:DD.F` (hexadecimal, domain 0 when absent).
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let domainText: Substring, busText: Substring, slotText: Substring
        switch parts.count {
        case 2: (domainText, busText, slotText) = ("0", Substring(parts[0]), Substring(parts[1]))
        case 3: (domainText, busText, slotText) = (Substring(parts[0]), Substring(parts[1]), Substring(parts[2]))
        default: return nil
        }
        let slotParts = slotText.split(separator: ".", omittingEmptySubsequences: false)
        guard slotParts.count == 2,
              (1...8).contains(domainText.count), (1...2).contains(busText.count),
              (1...2).contains(slotParts[0].count), slotParts[1].count == 1,
              [domainText, busText, slotParts[0], slotParts[1]].allSatisfy({ $0.allSatisfy(\.isHexDigit) }),
              let domain = UInt32(domainText, radix: 16), let bus = UInt8(busText, radix: 16),
              let device = UInt8(slotParts[0], radix: 16), let function = UInt8(slotParts[1], radix: 16)
        else { return nil }
        self.init(domain: domain, bus: bus, device: device, function: function)
    }

    /// The canonical form sysfs uses: `0000:00:03.0`.
    public var description: String {
        hexDigits(UInt64(domain), digits: 4) + ":" + hexDigits(UInt64(bus), digits: 2) + ":"
            + hexDigits(UInt64(device), digits: 2) + "." + String(function)
    }

    /// Orders by domain, bus, device, function.
    public static func < (lhs: PCIAddress, rhs: PCIAddress) -> Bool {
        (lhs.domain, lhs.bus, lhs.device, lhs.function) < (rhs.domain, rhs.bus, rhs.device, rhs.function)
    }
}
