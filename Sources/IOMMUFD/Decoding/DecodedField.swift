/// One decoded field of one register.
public struct DecodedField: Sendable, Hashable, CustomStringConvertible {
    /// The register's key ("cap", "idr0", "efr").
    public let register: String
    /// The field's table entry.
    public let spec: RegisterFieldSpec
    /// The field's raw bits, shifted down to bit 0.
    public let raw: UInt64

    /// Creates a decoded field.
    public init(register: String, spec: RegisterFieldSpec, raw: UInt64) {
        self.register = register
        self.spec = spec
        self.raw = raw & spec.bits.maxValue
    }

    /// The field's key (Linux-style snake case).
    public var name: String { spec.name }
    /// The field's mnemonic in the vendor specification.
    public var specName: String { spec.specName }
    /// Where the field sits in the register.
    public var bits: RegisterBitRange { spec.bits }
    /// What the field holds.
    public var kind: RegisterFieldKind { spec.kind }
    /// The decoded value: a boolean for flags, the raw or computed number
    /// otherwise.
    public var value: DecodedFieldValue { spec.value(forRaw: raw) }
    /// Whether the iommufd UAPI lets user space rely on this field.
    public var userSpaceMayRely: Bool { spec.userSpaceMayRely }
    /// The value as shown to humans ("48 bits", "0x6 (39-bit 3-level, …)").
    public var displayValue: String { spec.displayString(forRaw: raw) }

    /// `register.name[bits] = value`.
    public var description: String {
        "\(register).\(name)\(bits) = \(displayValue)"
    }
}

/// Set bits of one register that no field covers: reserved in the
/// specification, undefined, or not named by the driver the table follows.
public struct ReservedBits: Sendable, Hashable, CustomStringConvertible {
    /// The register's key.
    public let register: String
    /// The set bits that belong to no field.
    public let mask: UInt64

    /// Creates a report.
    public init(register: String, mask: UInt64) {
        self.register = register
        self.mask = mask
    }

    /// The positions of the set bits, least significant first.
    public var positions: [Int] { RegisterBitRange.positions(in: mask) }

    /// The set bits as runs ("[23:22]", "[5]").
    public var runs: [RegisterBitRange] { RegisterBitRange.runs(in: mask) }

    /// "register: mask (bits …)".
    public var description: String {
        "\(register): \(hexString(mask)) (bits \(runs.map { $0.description }.joined(separator: " ")))"
    }
}
