/// How a field's value is computed from its raw bits.
///
/// Every transform is total and never traps: results that do not fit in a
/// `UInt64` saturate at `UInt64.max`.
public enum RegisterFieldTransform: Sendable, Hashable {
    /// `raw + addend` (a count or width stored as "N - 1").
    case plus(UInt64)
    /// `raw * factor` (an offset stored in units of `factor` bytes).
    case times(UInt64)
    /// `2^(base + step * raw)` (a count stored as an exponent).
    case powerOfTwo(base: UInt64, step: UInt64)

    /// The value for `raw`.
    public func apply(_ raw: UInt64) -> UInt64 {
        switch self {
        case .plus(let addend):
            let (sum, overflow) = raw.addingReportingOverflow(addend)
            return overflow ? .max : sum
        case .times(let factor):
            let (product, overflow) = raw.multipliedReportingOverflow(by: factor)
            return overflow ? .max : product
        case .powerOfTwo(let base, let step):
            let (scaled, o1) = step.multipliedReportingOverflow(by: raw)
            let (shift, o2) = base.addingReportingOverflow(scaled)
            if o1 || o2 || shift >= 64 { return .max }
            return UInt64(1) << shift
        }
    }

    /// The raw bits that produce `value`, or `nil` when no raw value does.
    public func invert(_ value: UInt64) -> UInt64? {
        switch self {
        case .plus(let addend):
            return value >= addend ? value - addend : nil
        case .times(let factor):
            if factor == 0 { return value == 0 ? 0 : nil }
            return value % factor == 0 ? value / factor : nil
        case .powerOfTwo(let base, let step):
            guard value != 0, value & (value &- 1) == 0 else { return nil }
            let exponent = UInt64(value.trailingZeroBitCount)
            guard exponent >= base else { return nil }
            let offset = exponent - base
            if step == 0 { return offset == 0 ? 0 : nil }
            return offset % step == 0 ? offset / step : nil
        }
    }
}

/// What kind of quantity a register field holds.
public enum RegisterFieldKind: Sendable, Hashable {
    /// A single bit read as a boolean.
    case flag
    /// The raw number, used as is: an encoding, a bit mask, an exponent or an
    /// identifier.
    case raw
    /// A count computed from the raw number (number of domains, of fault
    /// recording registers, …).
    case count(RegisterFieldTransform)
    /// Another quantity computed from the raw number (a width in bits, an
    /// offset in bytes, …).
    case computed(RegisterFieldTransform)

    /// The transform, for `.count` and `.computed`.
    public var transform: RegisterFieldTransform? {
        switch self {
        case .flag, .raw: return nil
        case .count(let t), .computed(let t): return t
        }
    }
}

/// How a field's value is shown in human-readable text.
public enum RegisterFieldDisplay: Sendable, Hashable {
    /// Decimal.
    case decimal
    /// Hexadecimal.
    case hex
    /// A width in bits: "48 bits".
    case bits
    /// A byte offset or size, in hexadecimal: "0x220 bytes".
    case bytes
    /// One name per raw encoding, indexed by the raw value; an empty or
    /// missing name means the encoding is reserved.
    case names([String])
    /// A bit mask: one name per bit of the field, least significant first.
    case bitNames([String])
    /// The raw number is the base-2 logarithm of a count of `unit`:
    /// "4 (16 SIDs)".
    case log2(String)
}

/// A decoded value: a boolean for one-bit fields, a number otherwise.
public enum DecodedFieldValue: Sendable, Hashable, CustomStringConvertible {
    /// A one-bit field.
    case flag(Bool)
    /// A multi-bit field (raw or computed).
    case number(UInt64)

    /// The value as JSON: a boolean or an unsigned integer.
    public var json: JSONValue {
        switch self {
        case .flag(let b): return .bool(b)
        case .number(let n): return .uint(n)
        }
    }

    /// `true`/`false` or the decimal number.
    public var description: String {
        switch self {
        case .flag(let b): return b ? "true" : "false"
        case .number(let n): return String(n)
        }
    }
}

/// One entry of a register's field table: where the field sits, what it is
/// called and how its value is computed.
///
/// The texts live in a shared immutable box, so copying a spec (which every
/// decode does for every field) costs one reference count.
public struct RegisterFieldSpec: Sendable, Hashable {
    private final class Texts: Sendable {
        let name: String
        let specName: String
        let display: RegisterFieldDisplay
        let userSpaceMayRely: Bool
        let summary: String

        init(name: String, specName: String, display: RegisterFieldDisplay, userSpaceMayRely: Bool, summary: String) {
            self.name = name
            self.specName = specName
            self.display = display
            self.userSpaceMayRely = userSpaceMayRely
            self.summary = summary
        }
    }

    private let texts: Texts
    /// The field's bits.
    public let bits: RegisterBitRange
    /// What the field holds.
    public let kind: RegisterFieldKind

    /// The key used in JSON and in ``DecodedField/name``: the Linux driver's
    /// name in snake case where the driver names the field, otherwise the
    /// specification's mnemonic in snake case.
    public var name: String { texts.name }
    /// The field's mnemonic in the vendor specification ("SAGAW", "ST_LEVEL").
    public var specName: String { texts.specName }
    /// How the value is shown to humans.
    public var display: RegisterFieldDisplay { texts.display }
    /// Whether the iommufd UAPI lets user space rely on this field.
    public var userSpaceMayRely: Bool { texts.userSpaceMayRely }
    /// A short description of the field.
    public var summary: String { texts.summary }

    /// Creates a table entry.
    public init(name: String, specName: String, bits: RegisterBitRange, kind: RegisterFieldKind,
                display: RegisterFieldDisplay = .decimal, userSpaceMayRely: Bool = true, summary: String) {
        self.texts = Texts(name: name, specName: specName, display: display, userSpaceMayRely: userSpaceMayRely,
                           summary: summary)
        self.bits = bits
        self.kind = kind
    }

    /// Two specs are equal when every property is.
    public static func == (lhs: RegisterFieldSpec, rhs: RegisterFieldSpec) -> Bool {
        lhs.bits == rhs.bits && lhs.kind == rhs.kind
            && (lhs.texts === rhs.texts
                || (lhs.name == rhs.name && lhs.specName == rhs.specName && lhs.display == rhs.display
                    && lhs.userSpaceMayRely == rhs.userSpaceMayRely && lhs.summary == rhs.summary))
    }

    /// Hashes the identifying properties.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(bits)
        hasher.combine(kind)
    }

    /// A one-bit boolean field.
    public static func flag(_ name: String, _ specName: String, bit: Int, uapi: Bool = true,
                            _ summary: String) -> RegisterFieldSpec {
        RegisterFieldSpec(name: name, specName: specName, bits: RegisterBitRange(bit: bit), kind: .flag,
                  userSpaceMayRely: uapi, summary: summary)
    }

    /// A field whose raw number is its value.
    public static func raw(_ name: String, _ specName: String, bits: ClosedRange<Int>,
                           display: RegisterFieldDisplay = .decimal, uapi: Bool = true,
                           _ summary: String) -> RegisterFieldSpec {
        RegisterFieldSpec(name: name, specName: specName, bits: RegisterBitRange(bits), kind: .raw,
                  display: display, userSpaceMayRely: uapi, summary: summary)
    }

    /// A count computed from the raw number.
    public static func count(_ name: String, _ specName: String, bits: ClosedRange<Int>,
                             _ transform: RegisterFieldTransform, display: RegisterFieldDisplay = .decimal,
                             uapi: Bool = true, _ summary: String) -> RegisterFieldSpec {
        RegisterFieldSpec(name: name, specName: specName, bits: RegisterBitRange(bits), kind: .count(transform),
                  display: display, userSpaceMayRely: uapi, summary: summary)
    }

    /// Another quantity computed from the raw number.
    public static func computed(_ name: String, _ specName: String, bits: ClosedRange<Int>,
                                _ transform: RegisterFieldTransform, display: RegisterFieldDisplay = .decimal,
                                uapi: Bool = true, _ summary: String) -> RegisterFieldSpec {
        RegisterFieldSpec(name: name, specName: specName, bits: RegisterBitRange(bits), kind: .computed(transform),
                  display: display, userSpaceMayRely: uapi, summary: summary)
    }

    /// The field's raw bits in `register`, shifted down to bit 0.
    @inlinable
    public func raw(in register: UInt64) -> UInt64 {
        bits.extract(from: register)
    }

    /// Whether any bit of the field is set in `register` (for flags: the flag).
    @inlinable
    public func isSet(in register: UInt64) -> Bool {
        register & bits.mask != 0
    }

    /// The field's value for the raw bits `raw`.
    public func value(forRaw raw: UInt64) -> DecodedFieldValue {
        let raw = raw & bits.maxValue
        switch kind {
        case .flag: return .flag(raw != 0)
        case .raw: return .number(raw)
        case .count(let t), .computed(let t): return .number(t.apply(raw))
        }
    }

    /// The field's value in `register`.
    public func value(in register: UInt64) -> DecodedFieldValue {
        value(forRaw: raw(in: register))
    }

    /// The field's numeric value in `register` (flags give 0 or 1).
    public func number(in register: UInt64) -> UInt64 {
        let raw = raw(in: register)   // a flag's is already 0 or 1
        return kind.transform?.apply(raw) ?? raw
    }

    /// The raw bits that encode `value`, or `nil` when `value` has the wrong
    /// shape or cannot be represented in the field.
    public func rawBits(for value: DecodedFieldValue) -> UInt64? {
        switch (kind, value) {
        case (.flag, .flag(let b)):
            return b ? 1 : 0
        case (.raw, .number(let n)):
            return n <= bits.maxValue ? n : nil
        case (.count(let t), .number(let n)), (.computed(let t), .number(let n)):
            guard let raw = t.invert(n), raw <= bits.maxValue else { return nil }
            return raw
        default:
            return nil
        }
    }
}
