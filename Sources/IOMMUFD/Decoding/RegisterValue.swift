/// A register value type with a field table: what every register struct
/// (VT-d CAP/ECAP, SMMUv3 IDRs, AMD EFR/EFR2, …) reads its fields with.
protocol RegisterValue {
    associatedtype RawValue: FixedWidthInteger & UnsignedInteger
    /// The register's value.
    var rawValue: RawValue { get }
    /// The register's field table.
    static var layout: RegisterLayout { get }
}

extension RegisterValue {
    /// The field's numeric value (counts and widths as computed by its kind).
    func int(_ spec: RegisterFieldSpec) -> Int { Int(truncatingIfNeeded: spec.number(in: UInt64(rawValue))) }

    /// Whether the one-bit field is set.
    func flag(_ spec: RegisterFieldSpec) -> Bool { spec.isSet(in: UInt64(rawValue)) }

    /// The value with its field table, for listings and JSON.
    var decoded: DecodedRegister { DecodedRegister(layout: Self.layout, value: UInt64(rawValue)) }
}
