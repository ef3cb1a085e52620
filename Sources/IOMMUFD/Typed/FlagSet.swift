/// Shared behaviour of the library's flag sets: listing single flags, naming
/// them, and spotting bits the pinned UAPI does not define. A flag set is
/// its integer: a plain value.
public protocol FlagSet: OptionSet, BitwiseCopyable, Sendable, Hashable, CustomStringConvertible
where RawValue: FixedWidthInteger & Sendable, Element == Self {
    /// Every defined flag with its name, in bit order.
    static var namedFlags: [(flag: Self, name: String)] { get }
}

extension FlagSet {
    /// The single flags in this set that have a name, in bit order.
    public var elements: [Self] {
        Self.namedFlags.compactMap { contains($0.flag) ? $0.flag : nil }
    }

    /// Bits set here that no named flag covers.
    public var undefinedBits: RawValue {
        Self.namedFlags.reduce(rawValue) { $0 & ~$1.flag.rawValue }
    }

    /// `"[nestParent, pasid]"`, with undefined bits in hex.
    public var description: String {
        var names = Self.namedFlags.compactMap { contains($0.flag) ? $0.name : nil }
        if undefinedBits != 0 { names.append(hexString(undefinedBits)) }
        return "[" + names.joined(separator: ", ") + "]"
    }

    /// The names of the flags set, as a JSON array of strings.
    public var json: JSONValue {
        var names = Self.namedFlags.compactMap { contains($0.flag) ? JSONValue.string($0.name) : nil }
        if undefinedBits != 0 { names.append(.hex(undefinedBits)) }
        return .array(names)
    }
}
