internal import CIOMMUFD

extension IOMMUFD {
    /// Starts or stops dirty tracking of an HWPT allocated with
    /// ``HWPTAllocFlags/dirtyTracking`` (`IOMMU_HWPT_SET_DIRTY_TRACKING`, Linux 6.7).
    public func setDirtyTracking(_ enabled: Bool, for hwpt: HWPTID) throws(IOMMUFDError) {
        var command = iommu_hwpt_set_dirty_tracking()
        command.size = UInt32(MemoryLayout<iommu_hwpt_set_dirty_tracking>.size)
        command.flags = enabled ? UInt32(IOMMU_HWPT_DIRTY_TRACKING_ENABLE.rawValue) : 0
        command.hwpt_id = hwpt.rawValue
        try perform(.hwptSetDirtyTracking, CIOMMUFD_IOMMU_HWPT_SET_DIRTY_TRACKING, &command, objects: [hwpt.reference])
    }

    /// Reads which pages of the bitmap's range devices wrote since the last
    /// read, setting their bits in `bitmap` (bits already set stay set)
    /// (`IOMMU_HWPT_GET_DIRTY_BITMAP`, Linux 6.7).
    ///
    /// - Parameters:
    ///   - hwpt: An HWPT with dirty tracking started.
    ///   - bitmap: The range, page size and bits to fill; reuse it across reads
    ///     to avoid allocations.
    ///   - clear: Whether the kernel clears the dirty state it reports (the
    ///     default); `false` peeks (`IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR`).
    public func readDirtyBitmap(of hwpt: HWPTID, into bitmap: inout DirtyBitmap, clear: Bool = true) throws(IOMMUFDError) {
        var command = iommu_hwpt_get_dirty_bitmap()
        command.size = UInt32(MemoryLayout<iommu_hwpt_get_dirty_bitmap>.size)
        command.hwpt_id = hwpt.rawValue
        command.flags = clear ? 0 : UInt32(IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR.rawValue)
        command.iova = bitmap.iova
        command.length = bitmap.length
        command.page_size = bitmap.pageSize
        try bitmap.words.withMutableBuffer { (words) throws(IOMMUFDError) in
            command.data = UInt64(UInt(bitPattern: words.baseAddress))
            try perform(.hwptGetDirtyBitmap, CIOMMUFD_IOMMU_HWPT_GET_DIRTY_BITMAP, &command, objects: [hwpt.reference])
        }
    }

    /// Reads the dirty pages of `[iova, iova + length)` into a new bitmap
    /// (`IOMMU_HWPT_GET_DIRTY_BITMAP`).
    ///
    /// - Throws: ``IOMMUFDError`` (``IOMMUFDError/Code/invalidArgument``
    ///   before any ioctl when the page size is not a power of two or the range
    ///   is not aligned to it).
    public func dirtyBitmap(
        of hwpt: HWPTID, iova: UInt64, length: UInt64, pageSize: UInt64, clear: Bool = true
    ) throws(IOMMUFDError) -> DirtyBitmap {
        guard var bitmap = DirtyBitmap(iova: iova, length: length, pageSize: pageSize) else {
            throw IOMMUFDError(
                code: .invalidArgument, operation: .hwptGetDirtyBitmap, objects: [hwpt.reference],
                hint: "the page size must be a power of two and the IOVA and length multiples of it")
        }
        try readDirtyBitmap(of: hwpt, into: &bitmap, clear: clear)
        return bitmap
    }
}
