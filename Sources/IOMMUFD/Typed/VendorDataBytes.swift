/// Raw vendor data of an info type the library does not decode: up to
/// ``capacity`` bytes, held inline.
///
/// Inline storage keeps ``HardwareInfo`` a plain value (`BitwiseCopyable`):
/// reading, copying and dropping one involves no reference counting, whatever
/// the IOMMU. ``capacity`` is the size of the buffer GET_HW_INFO fills, over
/// three times the largest vendor structure of the pinned UAPI; when a kernel
/// reports more (``HardwareInfo/vendorDataLength``),
/// ``IOMMUFD/vendorDataBytes(for:requesting:)`` reads all of it.
///
/// ```swift
/// if case .unknown(let type, let bytes) = info.vendorData {
///     print(type, Array(bytes))
/// }
/// ```
public struct VendorDataBytes: RandomAccessCollection, BitwiseCopyable, Sendable, Hashable,
    ExpressibleByArrayLiteral, CustomStringConvertible
{
    /// The most bytes a value holds: 128.
    @inlinable public static var capacity: Int { 128 }

    @usableFromInline var storage: InlineArray<128, UInt8>
    @usableFromInline var length: UInt8

    /// No bytes.
    @inlinable public init() {
        storage = InlineArray(repeating: 0)
        length = 0
    }

    /// The bytes of a collection of at most ``capacity`` bytes.
    ///
    /// - Precondition: `bytes.count <= VendorDataBytes.capacity`.
    public init(_ bytes: some Collection<UInt8>) {
        precondition(bytes.count <= Self.capacity,
                     "vendor data of \(bytes.count) bytes exceeds the \(Self.capacity) bytes held inline")
        self.init()
        for (index, byte) in bytes.enumerated() { storage[index] = byte }
        length = UInt8(bytes.count)
    }

    /// The first ``capacity`` bytes of a buffer (all of it when shorter).
    init(truncating buffer: UnsafeRawBufferPointer) {
        self.init(buffer.prefix(Self.capacity))
    }

    /// The bytes of the literal (at most ``capacity``).
    public init(arrayLiteral elements: UInt8...) {
        self.init(elements)
    }

    /// 0.
    @inlinable public var startIndex: Int { 0 }
    /// The number of bytes.
    @inlinable public var endIndex: Int { Int(length) }

    /// The byte at `position`.
    @inlinable public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < Int(length), "vendor data byte index out of range")
        return storage[position]
    }

    /// Equal when the bytes are (the unused storage is ignored).
    public static func == (lhs: VendorDataBytes, rhs: VendorDataBytes) -> Bool {
        lhs.elementsEqual(rhs)
    }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(length)
        for byte in self { hasher.combine(byte) }
    }

    /// The bytes in hexadecimal, e.g. `"00000000efbeadde"`.
    public var description: String {
        map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
