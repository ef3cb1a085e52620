/// Bits of a register that the specification leaves reserved or undefined.
public struct ReservedBitRange: Sendable, Hashable {
    /// The reserved bits.
    public let bits: RegisterBitRange
    /// Why the bits are listed here ("reserved", "deprecated", …).
    public let note: String

    /// Creates a reserved range.
    public init(_ bits: ClosedRange<Int>, _ note: String = "reserved") {
        self.bits = RegisterBitRange(bits)
        self.note = note
    }
}

/// The field table of one register: every field, plus the bits no field
/// covers, as data.
///
/// Tables are written so that every bit of the register belongs to exactly
/// one field or to the reserved list; the test suite checks this for every
/// table in the library.
public struct RegisterLayout: Sendable, Hashable {
    /// The table's contents, shared by every copy (one reference count per
    /// copy instead of one per array and string).
    private final class Storage: Sendable {
        let name: String
        let title: String
        let width: Int
        let fields: [RegisterFieldSpec]
        let reserved: [ReservedBitRange]
        let definedMask: UInt64
        let widthMask: UInt64

        init(name: String, title: String, width: Int, fields: [RegisterFieldSpec], reserved: [ReservedBitRange]) {
            let width = min(max(width, 1), 64)
            self.name = name
            self.title = title
            self.width = width
            self.fields = fields
            self.reserved = reserved
            self.definedMask = fields.reduce(0) { $0 | $1.bits.mask }
            self.widthMask = width == 64 ? .max : (UInt64(1) << UInt64(width)) - 1
        }
    }

    private let storage: Storage

    /// The register's key in JSON and in ``DecodedField/register`` ("cap").
    public var name: String { storage.name }
    /// The register's name in the vendor specification.
    public var title: String { storage.title }
    /// The register's width in bits (8, 24, 32 or 64).
    public var width: Int { storage.width }
    /// The fields, least significant first.
    public var fields: [RegisterFieldSpec] { storage.fields }
    /// The bits no field covers.
    public var reserved: [ReservedBitRange] { storage.reserved }
    /// The bits covered by `fields`.
    public var definedMask: UInt64 { storage.definedMask }
    /// All bits of a register this wide.
    public var widthMask: UInt64 { storage.widthMask }

    /// Creates a table.
    public init(name: String, title: String, width: Int, fields: [RegisterFieldSpec], reserved: [ReservedBitRange]) {
        storage = Storage(name: name, title: title, width: width, fields: fields, reserved: reserved)
    }

    /// Two tables are equal when their contents are.
    public static func == (lhs: RegisterLayout, rhs: RegisterLayout) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.name == rhs.name && lhs.title == rhs.title && lhs.width == rhs.width
                && lhs.fields == rhs.fields && lhs.reserved == rhs.reserved)
    }

    /// Hashes the table's name, width and fields.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(width)
        hasher.combine(fields)
    }

    /// The union of the reserved list.
    public var reservedMask: UInt64 {
        reserved.reduce(0) { $0 | $1.bits.mask }
    }

    /// The field called `name`, if any.
    public func field(named name: String) -> RegisterFieldSpec? {
        fields.first { $0.name == name }
    }

    /// The bits of `value` that are set but belong to no field (reserved,
    /// undefined, or beyond the register's width).
    public func undefinedBits(in value: UInt64) -> UInt64 {
        value & ~definedMask
    }

    /// Every field of `value`, in table order.
    public func decode(_ value: UInt64) -> [DecodedField] {
        var result: [DecodedField] = []
        result.reserveCapacity(fields.count)
        for spec in fields {
            result.append(DecodedField(register: name, spec: spec, raw: spec.raw(in: value)))
        }
        return result
    }

    /// The register value whose fields have the given values, in table
    /// order, or `nil` if a value has the wrong shape or does not fit.
    public func encode(_ values: [DecodedFieldValue]) -> UInt64? {
        guard values.count == fields.count else { return nil }
        var register: UInt64 = 0
        for (spec, value) in zip(fields, values) {
            guard let raw = spec.rawBits(for: value) else { return nil }
            register = spec.bits.insert(raw, into: register)
        }
        return register
    }

    /// The register value whose fields have the given values, looked up by
    /// field name; fields not named are zero. `nil` if a name is unknown or a
    /// value does not fit.
    public func encode(_ values: [String: DecodedFieldValue]) -> UInt64? {
        var register: UInt64 = 0
        for (name, value) in values {
            guard let spec = field(named: name), let raw = spec.rawBits(for: value) else { return nil }
            register = spec.bits.insert(raw, into: register)
        }
        return register
    }
}

/// A register value together with its field table.
public struct DecodedRegister: Sendable, Hashable {
    /// The field table.
    public let layout: RegisterLayout
    /// The raw value.
    public let value: UInt64

    /// Pairs a value with its table.
    public init(layout: RegisterLayout, value: UInt64) {
        self.layout = layout
        self.value = value
    }

    /// The register's key ("cap", "idr0", "efr").
    public var name: String { layout.name }

    /// Every field, in table order.
    public var fields: [DecodedField] { layout.decode(value) }

    /// The set bits that belong to no field.
    public var undefinedBits: UInt64 { layout.undefinedBits(in: value) }

    /// The raw value as zero-padded hexadecimal, as wide as the register.
    public var hex: String { hexString(value, digits: (layout.width + 3) / 4) }
}
