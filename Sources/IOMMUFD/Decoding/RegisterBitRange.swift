/// A contiguous run of bits inside a register, `low` to `high` inclusive.
///
/// Bit 0 is the least significant bit. Ranges are normalised on creation:
/// the bounds are clamped to `0...63` and ordered, so a range never describes
/// bits that a `UInt64` does not have and never traps when used.
public struct RegisterBitRange: Sendable, Hashable, CustomStringConvertible {
    /// The least significant bit of the range.
    public let low: Int
    /// The most significant bit of the range.
    public let high: Int
    /// The bits of the range, in place, as a mask.
    public let mask: UInt64

    /// Creates the range `bits.lowerBound...bits.upperBound`.
    public init(_ bits: ClosedRange<Int>) {
        self.init(low: bits.lowerBound, high: bits.upperBound)
    }

    /// Creates the one-bit range holding `bit`.
    public init(bit: Int) {
        self.init(low: bit, high: bit)
    }

    /// Creates the range `low...high`, clamped to `0...63` and ordered.
    public init(low: Int, high: Int) {
        let a = min(max(low, 0), 63)
        let b = min(max(high, 0), 63)
        let low = min(a, b)
        let high = max(a, b)
        let width = high - low + 1
        let ones: UInt64 = width >= 64 ? .max : (UInt64(1) << UInt64(width)) &- 1
        self.low = low
        self.high = high
        self.mask = ones << UInt64(low)
    }

    /// The number of bits in the range (1...64).
    public var width: Int { high - low + 1 }

    /// The largest number the range can hold.
    public var maxValue: UInt64 { mask >> UInt64(low) }

    /// The range's bits of `register`, shifted down to bit 0.
    @inlinable
    public func extract(from register: UInt64) -> UInt64 {
        (register & mask) >> UInt64(low)
    }

    /// `register` with the range's bits replaced by `value` (excess high bits
    /// of `value` are dropped).
    @inlinable
    public func insert(_ value: UInt64, into register: UInt64) -> UInt64 {
        (register & ~mask) | ((value << UInt64(low)) & mask)
    }

    /// The range in the notation of the specifications: `[7]` or `[12:8]`.
    public var description: String {
        low == high ? "[\(low)]" : "[\(high):\(low)]"
    }

    /// The positions of the bits set in `mask`, least significant first.
    public static func positions(in mask: UInt64) -> [Int] {
        var result: [Int] = []
        var rest = mask
        while rest != 0 {
            let bit = rest.trailingZeroBitCount
            result.append(bit)
            rest &= rest &- 1
        }
        return result
    }

    /// `mask` as a list of maximal runs of set bits, least significant first.
    public static func runs(in mask: UInt64) -> [RegisterBitRange] {
        var result: [RegisterBitRange] = []
        var rest = mask
        while rest != 0 {
            let low = rest.trailingZeroBitCount
            let shifted = rest >> UInt64(low)
            let length = (~shifted).trailingZeroBitCount
            let run = RegisterBitRange(low: low, high: low + length - 1)
            result.append(run)
            rest &= ~run.mask
        }
        return result
    }
}
