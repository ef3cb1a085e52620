/// A JSON document tree with ordered object keys.
///
/// The library renders decoded registers, hardware information and policy
/// decisions as JSON without depending on Foundation. Object members keep the
/// order in which they were built, so output is stable and diffable.
public enum JSONValue: Sendable, Equatable {
    /// The JSON literal `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A signed integer.
    case int(Int64)
    /// An unsigned integer (register fields, sizes, addresses).
    case uint(UInt64)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object whose members keep their insertion order.
    case object([Member])

    /// One member of a JSON object.
    public struct Member: Sendable, Equatable {
        /// The member's key.
        public var key: String
        /// The member's value.
        public var value: JSONValue

        /// Creates a member.
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Creates an object from key/value pairs, keeping their order.
    public static func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { Member($0.key, $0.value) })
    }

    /// A string holding `value` as `0x`-prefixed hexadecimal, zero-padded to
    /// `digits` digits.
    public static func hex<T: FixedWidthInteger>(_ value: T, digits: Int = MemoryLayout<T>.size * 2) -> JSONValue {
        .string(hexString(value, digits: digits))
    }

    /// Looks up a member of an object by key; `nil` for other values or a
    /// missing key.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The serialised text: compact by default, or indented with two spaces.
    public func encoded(pretty: Bool = false) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(to out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += String(u)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (n, member) in members.enumerated() {
                if n > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                JSONValue.writeString(member.key, to: &out)
                out += pretty ? ": " : ":"
                member.value.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + hexDigits(UInt64(scalar.value), digits: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// `0x`-prefixed, zero-padded lowercase hexadecimal (for the package's
/// modules too: `iommufd-info` formats with it).
@usableFromInline
package func hexString<T: FixedWidthInteger>(_ value: T, digits: Int = MemoryLayout<T>.size * 2) -> String {
    "0x" + hexDigits(UInt64(truncatingIfNeeded: value), digits: digits)
}

/// Lowercase hexadecimal digits of `value`, zero-padded to `digits`.
@usableFromInline
package func hexDigits(_ value: UInt64, digits: Int) -> String {
    let raw = String(value, radix: 16)
    return raw.count >= digits ? raw : String(repeating: "0", count: digits - raw.count) + raw
}
