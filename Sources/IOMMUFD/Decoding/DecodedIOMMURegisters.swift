/// A vendor's `IOMMU_GET_HW_INFO` registers, decoded field by field.
///
/// Conforming types supply their registers (value plus field table) and the
/// derived facts; the protocol supplies the flat field list, the reserved-bit
/// report, the JSON form and the human-readable listing.
public protocol DecodedIOMMURegisters: Sendable, CustomStringConvertible {
    /// The `"type"` of the JSON form ("intel-vtd", "arm-smmuv3", "amd",
    /// "tegra241-cmdqv").
    var typeName: String { get }
    /// The title line of the text form ("Intel VT-d (IOMMU_HW_INFO_TYPE_INTEL_VTD)").
    var title: String { get }
    /// The registers, in the order the vendor's UAPI structure lists them.
    var registers: [DecodedRegister] { get }
    /// The facts derived from the registers.
    var facts: IOMMUFacts { get }
    /// Every field of every register, in register order then bit order.
    var fields: [DecodedField] { get }
    /// The registers that have set bits belonging to no field.
    var reservedBitsSet: [ReservedBits] { get }
    /// The decoded registers as JSON:
    /// `{"type": …, "<register>": {"<field>": value, …}, …, "raw": {…},
    /// "reserved_bits_set": {…}, "facts": {…}}`.
    var json: JSONValue { get }
}

extension DecodedIOMMURegisters {
    /// Every field of every register, in register order then bit order.
    public var fields: [DecodedField] {
        let registers = self.registers
        var result: [DecodedField] = []
        result.reserveCapacity(registers.reduce(0) { $0 + $1.layout.fields.count })
        for register in registers { result.append(contentsOf: register.fields) }
        return result
    }

    /// The registers that have set bits belonging to no field.
    public var reservedBitsSet: [ReservedBits] { Self.reservedBits(of: registers) }

    private static func reservedBits(of registers: [DecodedRegister]) -> [ReservedBits] {
        registers.compactMap { register in
            let mask = register.undefinedBits
            return mask == 0 ? nil : ReservedBits(register: register.name, mask: mask)
        }
    }

    /// Whether some field of `registers` is one the UAPI does not let user
    /// space rely on (then the reliable ones are marked).
    private static func hasRestrictedFields(_ registers: [DecodedRegister]) -> Bool {
        registers.contains { $0.layout.fields.contains { !$0.userSpaceMayRely } }
    }

    /// The field called `name` in the register called `register`.
    public func field(_ register: String, _ name: String) -> DecodedField? {
        guard let reg = registers.first(where: { $0.name == register }),
              let spec = reg.layout.field(named: name) else { return nil }
        return DecodedField(register: reg.name, spec: spec, raw: spec.raw(in: reg.value))
    }

    /// The standard JSON form (see ``DecodedIOMMURegisters/json``).
    public var standardJSON: JSONValue {
        let registers = self.registers
        var members: [JSONValue.Member] = [JSONValue.Member("type", .string(typeName))]
        for register in registers {
            let values = register.fields.map { JSONValue.Member($0.name, $0.value.json) }
            members.append(JSONValue.Member(register.name, .object(values)))
        }
        members.append(JSONValue.Member("raw", .object(registers.map {
            JSONValue.Member($0.name, .string($0.hex))
        })))
        members.append(JSONValue.Member("reserved_bits_set", .object(Self.reservedBits(of: registers).map {
            JSONValue.Member($0.register, .string(hexString($0.mask)))
        })))
        if Self.hasRestrictedFields(registers) {
            let reliable = registers.flatMap { register in
                register.layout.fields.filter(\.userSpaceMayRely).map { JSONValue.string("\(register.name).\($0.name)") }
            }
            members.append(JSONValue.Member("user_space_may_rely", .array(reliable)))
        }
        members.append(JSONValue.Member("facts", facts.json))
        return .object(members)
    }

    /// The decoded registers as JSON (the standard form).
    public var json: JSONValue { standardJSON }

    /// A compact listing in the style of `lspci -vv`: per register its raw
    /// value, its one-bit fields on one line as `NAME+`/`NAME-`, then one
    /// aligned line per multi-bit field; then reserved bits and facts.
    public var description: String {
        var out: [String] = [title]
        let registers = self.registers
        let restricted = Self.hasRestrictedFields(registers)
        for register in registers {
            out.append("\t\(DecodedTextFormat.pad(register.name, 6)) \(register.hex)  \(register.layout.title)")
            let fields = register.fields
            let mark: (DecodedField) -> String = { restricted && $0.userSpaceMayRely ? "*" : "" }
            let flags = fields.filter { $0.kind == .flag }
            if !flags.isEmpty {
                out.append(contentsOf: wrap(flags.map { "\($0.specName)\(mark($0))\($0.displayValue)" },
                                            prefix: "\t\tFlags: ", width: 100))
            }
            let others = fields.filter { $0.kind != .flag }
            let nameWidth = others.map { $0.specName.count + mark($0).count }.max() ?? 0
            let keyWidth = others.map { $0.name.count }.max() ?? 0
            for field in others {
                out.append("\t\t\(DecodedTextFormat.pad(field.specName + mark(field), nameWidth))  "
                           + "\(DecodedTextFormat.pad(field.name, keyWidth))  "
                           + "\(DecodedTextFormat.pad(field.bits.description, 7)) \(field.displayValue)")
            }
        }
        let reserved = Self.reservedBits(of: registers)
        out.append("\tReserved/undefined bits set: "
                   + (reserved.isEmpty ? "none" : reserved.map(\.description).joined(separator: "; ")))
        if restricted {
            out.append("\t* = field the iommufd UAPI lets user space rely on")
        }
        out.append("\tDerived facts:")
        out.append(contentsOf: facts.lines.map { "\t\t" + $0 })
        return out.joined(separator: "\n")
    }

    private func wrap(_ items: [String], prefix: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = prefix
        let indent = String(repeating: " ", count: prefix.filter { $0 != "\t" }.count)
        let tabs = String(prefix.prefix { $0 == "\t" })
        for item in items {
            if line.count + item.count + 1 > width && line != prefix && line != tabs + indent {
                lines.append(line)
                line = tabs + indent
            }
            if line != prefix && line != tabs + indent { line += " " }
            line += item
        }
        lines.append(line)
        return lines
    }
}
