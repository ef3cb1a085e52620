public import CIOMMUFD   // map and unmap are inlinable
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Access rights of an IOAS mapping (`IOMMU_IOAS_MAP_READABLE`, `_WRITEABLE`).
public struct MapAccess: FlagSet {
    /// The bits as the kernel reads them.
    public let rawValue: UInt32
    /// Wraps raw bits.
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Devices may read the memory (`IOMMU_IOAS_MAP_READABLE`).
    @inlinable public static var readable: MapAccess {
        MapAccess(rawValue: UInt32(IOMMU_IOAS_MAP_READABLE.rawValue))
    }
    /// Devices may write the memory (`IOMMU_IOAS_MAP_WRITEABLE`).
    @inlinable public static var writeable: MapAccess {
        MapAccess(rawValue: UInt32(IOMMU_IOAS_MAP_WRITEABLE.rawValue))
    }
    /// Both.
    @inlinable public static var readWrite: MapAccess { MapAccess(rawValue: readable.rawValue | writeable.rawValue) }
    /// Every defined flag with its name.
    public static let namedFlags: [(flag: MapAccess, name: String)] = [(.writeable, "writeable"), (.readable, "readable")]

    /// Whether bits outside ``readable`` and ``writeable`` are set: the
    /// ``undefinedBits`` check of the hot path, a constant mask.
    @inlinable var hasUndefinedBits: Bool {
        rawValue & ~UInt32(IOMMU_IOAS_MAP_READABLE.rawValue | IOMMU_IOAS_MAP_WRITEABLE.rawValue) != 0
    }
}

/// Where a new mapping goes in the IO address space.
public enum IOVAPlacement: Sendable, Hashable {
    /// The kernel picks a free IOVA in the allowed ranges.
    case anywhere
    /// Exactly this IOVA (`IOMMU_IOAS_MAP_FIXED_IOVA`); the range must be free.
    case fixed(UInt64)

    @inlinable var flags: UInt32 {
        if case .fixed = self { return UInt32(IOMMU_IOAS_MAP_FIXED_IOVA.rawValue) }
        return 0
    }

    @inlinable var iova: UInt64 {
        if case .fixed(let iova) = self { return iova }
        return 0
    }
}

/// An inclusive IOVA interval (`struct iommu_iova_range`).
public struct IOVARange: Sendable, Hashable, CustomStringConvertible {
    /// The first IOVA.
    public var start: UInt64
    /// The last IOVA (inclusive).
    public var last: UInt64

    /// Creates an interval; `last` is inclusive.
    public init(start: UInt64, last: UInt64) {
        self.start = start
        self.last = last
    }

    /// Whether `iova` lies in the interval.
    public func contains(_ iova: UInt64) -> Bool { iova >= start && iova <= last }

    /// `"0x0-0xfedfffff"`.
    public var description: String { "\(hexString(start, digits: 1))-\(hexString(last, digits: 1))" }
}

/// The usable IOVA ranges of an IOAS and its mapping alignment.
public struct IOVARanges: Sendable, Hashable {
    /// The intervals devices attached to the IOAS can all reach.
    public var ranges: [IOVARange]
    /// The alignment IOVAs and lengths of mappings must have (1 to the page size).
    public var alignment: UInt64

    /// Creates the description.
    public init(ranges: [IOVARange], alignment: UInt64) {
        self.ranges = ranges
        self.alignment = alignment
    }
}

extension IOMMUFD {
    /// Creates an empty IO address space (`IOMMU_IOAS_ALLOC`).
    public func allocateIOAS() throws(IOMMUFDError) -> IOASID {
        var command = iommu_ioas_alloc()
        command.size = UInt32(MemoryLayout<iommu_ioas_alloc>.size)
        try perform(.ioasAlloc, CIOMMUFD_IOMMU_IOAS_ALLOC, &command)
        return IOASID(rawValue: command.out_ioas_id)
    }

    /// Maps process memory for DMA (`IOMMU_IOAS_MAP`): the kernel pins the pages.
    ///
    /// - Parameters:
    ///   - memory: The memory to map; address and length should be aligned to
    ///     the IOAS's IOVA alignment (usually the page size).
    ///   - ioas: The IO address space.
    ///   - placement: A fixed IOVA, or `.anywhere` to let the kernel choose.
    ///   - access: What devices may do with the memory.
    /// - Returns: The IOVA of the mapping.
    @discardableResult
    @inlinable @inline(__always)   // the ioctl is issued from the caller's frame (see perform)
    public func map(
        _ memory: UnsafeRawBufferPointer, into ioas: IOASID, at placement: IOVAPlacement = .anywhere,
        access: MapAccess = .readWrite
    ) throws(IOMMUFDError) -> UInt64 {
        var command = iommu_ioas_map()
        command.size = UInt32(MemoryLayout<iommu_ioas_map>.size)
        command.flags = placement.flags | access.rawValue
        command.ioas_id = ioas.rawValue
        command.user_va = UInt64(UInt(bitPattern: memory.baseAddress))
        command.length = UInt64(memory.count)
        command.iova = placement.iova
        if access.hasUndefinedBits { throw invalidFlags(.ioasMap, access.undefinedBits, [ioas.reference]) }
        try perform(.ioasMap, CIOMMUFD_IOMMU_IOAS_MAP, &command, objects: [ioas.reference],
                    context: .map(fixed: placement != .anywhere))
        return command.iova
    }

    /// Maps part of a memfd (or a supported dma-buf) for DMA (`IOMMU_IOAS_MAP_FILE`, Linux 6.13).
    ///
    /// - Parameters:
    ///   - file: The memfd descriptor.
    ///   - offset: The byte offset in the file.
    ///   - length: The number of bytes.
    ///   - ioas: The IO address space.
    ///   - placement: A fixed IOVA, or `.anywhere`.
    ///   - access: What devices may do with the memory.
    /// - Returns: The IOVA of the mapping.
    @discardableResult
    public func mapFile(
        _ file: CInt, offset: UInt64, length: UInt64, into ioas: IOASID, at placement: IOVAPlacement = .anywhere,
        access: MapAccess = .readWrite
    ) throws(IOMMUFDError) -> UInt64 {
        if access.undefinedBits != 0 { throw invalidFlags(.ioasMapFile, access.undefinedBits, [ioas.reference]) }
        var command = iommu_ioas_map_file()
        command.size = UInt32(MemoryLayout<iommu_ioas_map_file>.size)
        command.flags = placement.flags | access.rawValue
        command.ioas_id = ioas.rawValue
        command.fd = file
        command.start = offset
        command.length = length
        command.iova = placement.iova
        try perform(.ioasMapFile, CIOMMUFD_IOMMU_IOAS_MAP_FILE, &command, objects: [ioas.reference],
                    context: .map(fixed: placement != .anywhere))
        return command.iova
    }

    /// Unmaps every mapping inside `[iova, iova + length)` (`IOMMU_IOAS_UNMAP`).
    /// Mappings may not be split: the range must cover whole mappings.
    ///
    /// - Returns: The number of bytes unmapped.
    @discardableResult
    @inlinable @inline(__always)   // the ioctl is issued from the caller's frame (see perform)
    public func unmap(_ ioas: IOASID, iova: UInt64, length: UInt64) throws(IOMMUFDError) -> UInt64 {
        var command = iommu_ioas_unmap()
        command.size = UInt32(MemoryLayout<iommu_ioas_unmap>.size)
        command.ioas_id = ioas.rawValue
        command.iova = iova
        command.length = length
        try perform(.ioasUnmap, CIOMMUFD_IOMMU_IOAS_UNMAP, &command, objects: [ioas.reference],
                    context: .map(fixed: true))
        return command.length
    }

    /// Unmaps everything in the IOAS (`IOMMU_IOAS_UNMAP` of IOVA 0, length 2⁶⁴−1).
    ///
    /// - Returns: The number of bytes unmapped.
    @discardableResult
    public func unmapAll(_ ioas: IOASID) throws(IOMMUFDError) -> UInt64 {
        try unmap(ioas, iova: 0, length: .max)
    }

    /// Maps an existing mapping of one IOAS into another (`IOMMU_IOAS_COPY`);
    /// the pages are pinned once and shared.
    ///
    /// - Parameters:
    ///   - source: The IOAS holding the mapping.
    ///   - sourceIOVA: The IOVA of a mapping in `source`; with `length` it must
    ///     match a range that was mapped.
    ///   - length: The number of bytes.
    ///   - destination: The IOAS to map into.
    ///   - placement: A fixed IOVA in `destination`, or `.anywhere`.
    ///   - access: What devices may do with the memory.
    /// - Returns: The IOVA in `destination`.
    @discardableResult
    public func copy(
        from source: IOASID, iova sourceIOVA: UInt64, length: UInt64, to destination: IOASID,
        at placement: IOVAPlacement = .anywhere, access: MapAccess = .readWrite
    ) throws(IOMMUFDError) -> UInt64 {
        if access.undefinedBits != 0 {
            throw invalidFlags(.ioasCopy, access.undefinedBits, [source.reference, destination.reference])
        }
        var command = iommu_ioas_copy()
        command.size = UInt32(MemoryLayout<iommu_ioas_copy>.size)
        command.flags = placement.flags | access.rawValue
        command.dst_ioas_id = destination.rawValue
        command.src_ioas_id = source.rawValue
        command.length = length
        command.dst_iova = placement.iova
        command.src_iova = sourceIOVA
        try perform(.ioasCopy, CIOMMUFD_IOMMU_IOAS_COPY, &command,
                    objects: [source.reference, destination.reference], context: .map(fixed: placement != .anywhere))
        return command.dst_iova
    }

    /// The IOVA ranges devices attached to the IOAS can use, and the mapping
    /// alignment (`IOMMU_IOAS_IOVA_RANGES`). They narrow as devices attach.
    public func iovaRanges(of ioas: IOASID) throws(IOMMUFDError) -> IOVARanges {
        var capacity = 8
        while true {
            var ranges = [iommu_iova_range](repeating: iommu_iova_range(), count: capacity)
            var command = iommu_ioas_iova_ranges()
            command.size = UInt32(MemoryLayout<iommu_ioas_iova_ranges>.size)
            command.ioas_id = ioas.rawValue
            command.num_iovas = UInt32(capacity)
            let rc = ranges.withUnsafeMutableBufferPointer { buffer in
                command.allowed_iovas = UInt64(UInt(bitPattern: buffer.baseAddress))
                return withUnsafeMutableBytes(of: &command) {
                    syscalls.ioctl(descriptor.rawValue, CIOMMUFD_IOMMU_IOAS_IOVA_RANGES, $0.baseAddress!)
                }
            }
            if rc == -EMSGSIZE, Int(command.num_iovas) > capacity {
                capacity = Int(command.num_iovas)
                continue
            }
            if rc < 0 {
                throw IOMMUFDError(operation: .ioasIOVARanges, errno: Errno(rawValue: -rc),
                                   objects: [ioas.reference], context: .none, backend: syscalls.backend)
            }
            let count = min(Int(command.num_iovas), capacity)
            return IOVARanges(
                ranges: ranges[..<count].map { IOVARange(start: $0.start, last: $0.last) },
                alignment: command.out_iova_alignment)
        }
    }

    /// Replaces the IOVA ranges that must stay usable (`IOMMU_IOAS_ALLOW_IOVAS`):
    /// attaching a device that cannot reach all of them then fails. An empty
    /// list removes the restriction.
    public func allowIOVAs(_ ranges: [IOVARange], in ioas: IOASID) throws(IOMMUFDError) {
        var raw = ranges.map { iommu_iova_range(start: $0.start, last: $0.last) }
        var command = iommu_ioas_allow_iovas()
        command.size = UInt32(MemoryLayout<iommu_ioas_allow_iovas>.size)
        command.ioas_id = ioas.rawValue
        command.num_iovas = UInt32(raw.count)
        try raw.withMutableBuffer { (buffer) throws(IOMMUFDError) in
            command.allowed_iovas = UInt64(UInt(bitPattern: buffer.baseAddress))
            try perform(.ioasAllowIOVAs, CIOMMUFD_IOMMU_IOAS_ALLOW_IOVAS, &command, objects: [ioas.reference])
        }
    }

    /// Moves the pinned-memory accounting of every IOAS of this iommufd to the
    /// calling process (`IOMMU_IOAS_CHANGE_PROCESS`, Linux 6.13), for live
    /// update; only file mappings can move.
    public func changeProcess() throws(IOMMUFDError) {
        var command = iommu_ioas_change_process()
        command.size = UInt32(MemoryLayout<iommu_ioas_change_process>.size)
        try perform(.ioasChangeProcess, CIOMMUFD_IOMMU_IOAS_CHANGE_PROCESS, &command)
    }

    @usableFromInline
    func invalidFlags(
        _ operation: IOMMUFDError.Operation, _ bits: some FixedWidthInteger, _ objects: [ObjectReference]
    ) -> IOMMUFDError {
        IOMMUFDError(
            code: .invalidArgument, operation: operation, objects: objects,
            hint: "flag bits \(hexString(bits)) are not defined by the Linux \(KernelRelease.pinned) UAPI")
    }
}
