import IOMMUFD

// IO address space logic, as drivers/iommu/iommufd/io_pagetable.c does it.

/// One source piece of a new mapping (`struct iopt_pages_list`).
struct MapPiece {
    var source: Area.Source
    var length: UInt64
    var sourceWriteable: Bool
}

extension Kernel {
    /// `roundup_pow_of_two`.
    func roundUpPowerOfTwo(_ value: UInt64) -> UInt64 {
        value <= 1 ? 1 : UInt64(1) << UInt64(64 - (value - 1).leadingZeroBitCount)
    }

    /// `__alloc_iova_check_range`.
    func alignedStart(_ start: UInt64, last: UInt64, length: UInt64, alignment: UInt64, pageOffset: UInt64) -> UInt64? {
        let (bumped, overflow) = start.addingReportingOverflow(alignment - 1)
        if overflow { return nil }
        let aligned = (bumped & ~(alignment - 1)) | pageOffset
        if aligned >= last || last - aligned < length - 1 { return nil }
        return aligned
    }

    /// `iopt_alloc_iova`: the kernel's choice of IOVA for a new mapping.
    func allocateIOVA(_ ioas: IOASObject, address: UInt64, length: UInt64) -> KResult<UInt64> {
        let offset = address % pageSize
        if length == 0 || length >= UInt64.max / 2 { return .failure(.EOVERFLOW) }
        var alignment = roundUpPowerOfTwo(length)
        if address != 0 { alignment = min(alignment, UInt64(1) << UInt64(address.trailingZeroBitCount)) }
        if alignment >= hugePageSize { alignment = hugePageSize }
        if alignment < ioas.alignment { return .failure(.EINVAL) }
        let low = pageSize, high = UInt64.max - pageSize
        var spans: [IOVARange] = []
        if ioas.allowed.isEmpty {
            spans = [IOVARange(start: low, last: high)]
        } else {
            for range in ioas.allowed.sorted(by: { $0.start < $1.start }) {
                let clipped = IOVARange(start: max(range.start, low), last: min(range.last, high))
                guard clipped.start <= clipped.last else { continue }
                if let previous = spans.last, previous.last != .max, previous.last + 1 >= clipped.start {
                    spans[spans.count - 1].last = max(previous.last, clipped.last)
                } else {
                    spans.append(clipped)
                }
            }
        }
        let used = ioas.reserved.map { ($0.start, $0.last) } + ioas.areas.map { ($0.iova, $0.last) }
        for span in spans {
            guard let start = alignedStart(span.start, last: span.last, length: length, alignment: alignment,
                                           pageOffset: offset) else { continue }
            for hole in holes(of: used, in: start, span.last) {
                if let iova = alignedStart(hole.start, last: hole.last, length: length, alignment: alignment,
                                           pageOffset: offset) {
                    return .success(iova)
                }
            }
        }
        return .failure(.ENOSPC)
    }

    /// `iopt_check_iova`.
    func checkIOVA(_ ioas: IOASObject, _ iova: UInt64, length: UInt64) -> ModelErrno? {
        if iova & (ioas.alignment - 1) != 0 { return .EINVAL }
        let (last, overflow) = iova.addingReportingOverflow(length - 1)
        if overflow { return .EOVERFLOW }
        if ioas.reservedIntersects(iova, last) { return .EINVAL }
        if ioas.firstArea(intersecting: iova, last) != nil { return .EEXIST }
        return nil
    }

    /// `iopt_map_pages`: places the pieces at consecutive IOVAs.
    func mapPieces(
        _ ioas: IOASObject, _ pieces: [MapPiece], length: UInt64, at fixed: UInt64?, hint: UInt64,
        writeable: Bool, readable: Bool
    ) -> KResult<UInt64> {
        if length & (ioas.alignment - 1) != 0 || length == 0 { return .failure(.EINVAL) }
        let iova: UInt64
        if let fixed {
            if let errno = checkIOVA(ioas, fixed, length: length) { return .failure(errno) }
            iova = fixed
        } else {
            switch allocateIOVA(ioas, address: hint, length: length) {
            case .failure(let errno): return .failure(errno)
            case .success(let chosen): iova = chosen
            }
        }
        var next = iova
        var areas: [Area] = []
        for piece in pieces {
            if writeable && !piece.sourceWriteable { return .failure(.EPERM) }
            let area = Area(iova: next, length: piece.length, source: piece.source, writeable: writeable, readable: readable)
            if area.pageOffset & (ioas.alignment - 1) != 0 { return .failure(.EINVAL) }
            let (end, overflow) = next.addingReportingOverflow(piece.length - 1)
            if overflow { return .failure(.EOVERFLOW) }
            areas.append(area)
            next = end &+ 1
        }
        for area in areas { ioas.insert(area) }
        return .success(iova)
    }

    /// `iopt_unmap_iova` / `iopt_unmap_all`: whole areas only.
    func unmap(_ ioas: IOASObject, start: UInt64, last: UInt64, _ context: Context) -> (unmapped: UInt64, errno: ModelErrno?) {
        var unmapped: UInt64 = 0
        while let index = ioas.firstArea(intersecting: start, last) {
            let area = ioas.areas[index]
            if area.iova < start || area.last > last { return (unmapped, .ENOENT) }
            ioas.areas.remove(at: index)
            clearDirty(in: ioas, from: area.iova, through: area.last, context)
            unmapped += area.length
        }
        return (unmapped, nil)
    }

    /// `iopt_get_pages`: the contiguous areas covering `[iova, iova + length)`.
    func contiguousPieces(_ ioas: IOASObject, iova: UInt64, length: UInt64) -> KResult<[Area]> {
        if length == 0 { return .failure(.EINVAL) }
        let (last, overflow) = iova.addingReportingOverflow(length - 1)
        if overflow { return .failure(.EOVERFLOW) }
        var pieces: [Area] = []
        var cursor = iova
        while true {
            guard let area = ioas.areas.first(where: { $0.iova <= cursor && cursor <= $0.last }) else {
                return .failure(.ENOENT)
            }
            let end = min(last, area.last)
            pieces.append(area.slice(from: cursor, through: end))
            if end == last { return .success(pieces) }
            cursor = end + 1
        }
    }

    // MARK: - Dirty tracking

    /// The dirty-tracking granule: the host page (see Docs/TestingModel.md).
    var dirtyGranule: UInt64 { pageSize }

    func clearDirty(in ioas: IOASObject, from start: UInt64, through last: UInt64, _ context: Context) {
        for id in ioas.domains {
            guard let hwpt = hwpt(id, context), !hwpt.domain.dirty.isEmpty else { continue }
            hwpt.domain.dirty = hwpt.domain.dirty.filter { $0 + dirtyGranule - 1 < start || $0 > last }
        }
    }

    /// Marks the granule holding `iova` dirty, as a device write would, when
    /// the HWPT tracks and the address is mapped. Returns whether it did.
    @discardableResult
    func setDirty(_ hwpt: HWPTObject, iova: UInt64, _ context: Context) -> Bool {
        guard hwpt.domain.dirtyTracking, let ioasID = hwpt.ioas,
              let ioas = context.anyObject(ioasID) as? IOASObject,
              ioas.areas.contains(where: { $0.iova <= iova && iova <= $0.last }) else { return false }
        hwpt.domain.dirty.insert(iova - iova % dirtyGranule)
        return true
    }

    /// `iopt_read_and_clear_dirty_data`, after its checks: sets the bits of
    /// dirty pages of the contiguous mapped run starting at `iova`.
    func readDirty(_ hwpt: HWPTObject, ioas: IOASObject, iova: UInt64, length: UInt64, pageSize bitPage: UInt64,
                   bitmap: UnsafeMutableRawPointer?, clear: Bool) {
        let last = iova + length - 1
        var ranges: [(UInt64, UInt64)] = []
        var cursor = iova
        while let area = ioas.areas.first(where: { $0.iova <= cursor && cursor <= $0.last }) {
            let end = min(last, area.last)
            ranges.append((cursor, end))
            if end == last { break }
            cursor = end + 1
        }
        var reported: Set<UInt64> = []
        for granule in hwpt.domain.dirty {
            let granuleLast = granule + dirtyGranule - 1
            for (start, end) in ranges where intersects(granule, granuleLast, start, end) {
                reported.insert(granule)
                guard let bitmap else { continue }
                let from = max(granule, start), to = min(granuleLast, end)
                var page = (from - iova) / bitPage
                let lastPage = (to - iova) / bitPage
                while page <= lastPage {
                    let word = bitmap.advanced(by: Int(page / 64) * 8)
                    let value = word.loadUnaligned(as: UInt64.self) | (UInt64(1) << (page % 64))
                    word.storeBytes(of: value, as: UInt64.self)
                    page += 1
                }
            }
        }
        if clear { hwpt.domain.dirty.subtract(reported) }
    }
}
