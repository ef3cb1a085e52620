/// One bit per page of an IOVA range: which pages a device wrote.
///
/// The layout is the kernel's (`IOMMU_HWPT_GET_DIRTY_BITMAP`): bit `n` of the
/// 64-bit word `n / 64` stands for the page at `iova + n * pageSize`.
public struct DirtyBitmap: Sendable, Hashable {
    /// The first IOVA the bitmap covers (a multiple of ``pageSize``).
    public let iova: UInt64
    /// The number of bytes covered.
    public let length: UInt64
    /// The page size each bit stands for (a power of two).
    public let pageSize: UInt64
    /// The bits, 64 pages per word.
    public internal(set) var words: [UInt64]

    /// An all-clean bitmap for `[iova, iova + length)` in pages of `pageSize`.
    ///
    /// Returns `nil` unless `pageSize` is a power of two and `iova` and
    /// `length` are multiples of it.
    public init?(iova: UInt64, length: UInt64, pageSize: UInt64) {
        guard pageSize > 0, pageSize & (pageSize - 1) == 0,
              iova % pageSize == 0, length % pageSize == 0, length > 0,
              iova.addingReportingOverflow(length - 1).overflow == false
        else { return nil }
        self.iova = iova
        self.length = length
        self.pageSize = pageSize
        let pages = length / pageSize
        self.words = [UInt64](repeating: 0, count: Int((pages + 63) / 64))
    }

    /// The number of pages covered.
    public var pageCount: Int { Int(length / pageSize) }

    /// Whether page `index` (0-based from ``iova``) is dirty.
    public func isDirty(page index: Int) -> Bool {
        guard index >= 0, index < pageCount else { return false }
        return words[index / 64] & (1 << UInt64(index % 64)) != 0
    }

    /// Whether the page holding `address` is dirty (`false` outside the range).
    public func isDirty(iova address: UInt64) -> Bool {
        guard address >= iova, address - iova < length else { return false }
        return isDirty(page: Int((address - iova) / pageSize))
    }

    /// Marks page `index` dirty (for models and tests).
    public mutating func markDirty(page index: Int) {
        guard index >= 0, index < pageCount else { return }
        words[index / 64] |= 1 << UInt64(index % 64)
    }

    /// The number of dirty pages.
    public var dirtyPageCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The IOVA of each dirty page, in order.
    public var dirtyIOVAs: [UInt64] {
        var result: [UInt64] = []
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                result.append(iova + UInt64(w * 64 + bit) * pageSize)
                bits &= bits - 1
            }
        }
        return result
    }

    /// Clears every bit.
    public mutating func clear() {
        for i in words.indices { words[i] = 0 }
    }

    /// Adds the dirty pages of `other`, which must cover the same range with
    /// the same page size; returns `false` (and changes nothing) otherwise.
    @discardableResult
    public mutating func formUnion(_ other: DirtyBitmap) -> Bool {
        guard other.iova == iova, other.length == length, other.pageSize == pageSize else { return false }
        for i in words.indices { words[i] |= other.words[i] }
        return true
    }
}
