/// A VF token: the UUID a PF's driver set, which VFs must present when
/// they are bound (`VFIO_DEVICE_BIND_FLAG_TOKEN`).
public struct VFToken: Sendable, Hashable {
    /// The UUID's 16 bytes, in order.
    public var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                       UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)

    /// Parses a UUID such as `2ab74924-c335-45f4-9b16-8569e5b08258`.
    public init?(uuid text: String) {
        let hex = text.filter { $0 != "-" }
        guard hex.count == 32, hex.allSatisfy(\.isHexDigit), text.count == 36 || text.count == 32 else { return nil }
        var values = [UInt8]()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            values.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        bytes = (values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7],
                 values[8], values[9], values[10], values[11], values[12], values[13], values[14], values[15])
    }

    private var array: [UInt8] {
        withUnsafeBytes(of: bytes) { Array($0) }
    }

    /// Compares the bytes.
    public static func == (lhs: VFToken, rhs: VFToken) -> Bool { lhs.array == rhs.array }
    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(array) }
}
