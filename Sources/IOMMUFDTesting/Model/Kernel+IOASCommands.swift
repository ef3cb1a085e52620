internal import CIOMMUFD
import IOMMUFD

// The IOAS ioctls (drivers/iommu/iommufd/ioas.c, and IOMMU_OPTION and
// IOMMU_VFIO_IOAS): argument checks and answers; the address-space logic
// itself is in Kernel+IOAS.swift.

extension Kernel {
    func ioasAlloc(_ context: Context, _ copy: inout KernelCopy<iommu_ioas_alloc>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        if copy.command.flags != 0 { return .failure(.EOPNOTSUPP) }
        let id = context.allocateID()
        copy.command.out_ioas_id = id
        context.finalize(IOASObject(id: id))
        return respond(copy, arg)
    }

    func iovaRanges(_ context: Context, _ copy: inout KernelCopy<iommu_ioas_iova_ranges>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        if copy.command.__reserved != 0 { return .failure(.EOPNOTSUPP) }
        guard let ioas = ioas(copy.command.ioas_id, context) else { return .failure(.ENOENT) }
        let capacity = Int(copy.command.num_iovas)
        let ranges = ioas.usableRanges
        if !ranges.isEmpty && capacity > 0 {
            guard let out = UserMemory.pointer(copy.command.allowed_iovas) else { return .failure(.EFAULT) }
            for (index, range) in ranges.prefix(capacity).enumerated() {
                UserMemory.store(range.start, to: out, at: index * 16)
                UserMemory.store(range.last, to: out, at: index * 16 + 8)
            }
        }
        copy.command.num_iovas = UInt32(ranges.count)
        copy.command.out_iova_alignment = ioas.alignment
        UserMemory.respond(copy, to: arg)
        return ranges.count > capacity ? .failure(.EMSGSIZE) : .success(0)
    }

    func allowIOVAs(_ context: Context, _ command: iommu_ioas_allow_iovas) -> KResult<CInt> {
        if command.__reserved != 0 { return .failure(.EOPNOTSUPP) }
        guard let ioas = ioas(command.ioas_id, context) else { return .failure(.ENOENT) }
        var loaded: [IOVARange] = []
        if command.num_iovas > 0 {
            guard let ranges = UserMemory.pointer(command.allowed_iovas) else { return .failure(.EFAULT) }
            for index in 0..<Int(command.num_iovas) {
                let start = ranges.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self)
                let last = ranges.loadUnaligned(fromByteOffset: index * 16 + 8, as: UInt64.self)
                if start >= last { return .failure(.EINVAL) }
                if loaded.contains(where: { intersects($0.start, $0.last, start, last) }) { return .failure(.EINVAL) }
                loaded.append(IOVARange(start: start, last: last))
            }
        }
        for range in loaded where ioas.reservedIntersects(range.start, range.last) { return .failure(.EADDRINUSE) }
        ioas.allowed = loaded
        return .success(0)
    }

    static let mapFlags: UInt32 = UInt32(IOMMU_IOAS_MAP_FIXED_IOVA.rawValue | IOMMU_IOAS_MAP_WRITEABLE.rawValue
        | IOMMU_IOAS_MAP_READABLE.rawValue)
    static let writeable = UInt32(IOMMU_IOAS_MAP_WRITEABLE.rawValue)
    static let readable = UInt32(IOMMU_IOAS_MAP_READABLE.rawValue)
    static let fixedIOVA = UInt32(IOMMU_IOAS_MAP_FIXED_IOVA.rawValue)

    func ioasMap(_ context: Context, _ copy: inout KernelCopy<iommu_ioas_map>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        if cmd.flags & ~Self.mapFlags != 0 || cmd.__reserved != 0 { return .failure(.EOPNOTSUPP) }
        if cmd.iova >= .max || cmd.length >= .max { return .failure(.EOVERFLOW) }
        if cmd.flags & (Self.writeable | Self.readable) == 0 { return .failure(.EINVAL) }
        guard let ioas = ioas(cmd.ioas_id, context) else { return .failure(.ENOENT) }
        if cmd.user_va.addingReportingOverflow(cmd.length).overflow { return .failure(.EOVERFLOW) }
        if cmd.length > .max - pageSize || cmd.length == 0 { return .failure(.EINVAL) }
        return mapOne(ioas, source: .user(address: cmd.user_va), length: cmd.length, flags: cmd.flags,
                      iova: cmd.iova, hint: cmd.user_va, &copy, arg) { $0.iova = $1 }
    }

    func ioasMapFile(_ context: Context, _ copy: inout KernelCopy<iommu_ioas_map_file>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        if cmd.flags & ~Self.mapFlags != 0 { return .failure(.EOPNOTSUPP) }
        if cmd.iova >= .max || cmd.length >= .max { return .failure(.EOVERFLOW) }
        if cmd.flags & (Self.writeable | Self.readable) == 0 { return .failure(.EINVAL) }
        guard let ioas = ioas(cmd.ioas_id, context) else { return .failure(.ENOENT) }
        if cmd.length == 0 { return .failure(.EINVAL) }
        if cmd.start.addingReportingOverflow(cmd.length - 1).overflow { return .failure(.EOVERFLOW) }
        if cmd.fd < 0 { return .failure(.EBADF) }
        if let file = files[cmd.fd] {
            guard case .other(_, .regular) = file else { return .failure(.EINVAL) }
        }
        return mapOne(ioas, source: .file(descriptor: cmd.fd, offset: cmd.start), length: cmd.length,
                      flags: cmd.flags, iova: cmd.iova, hint: cmd.start, &copy, arg) { $0.iova = $1 }
    }

    /// The common end of IOAS_MAP and IOAS_MAP_FILE: one source piece mapped
    /// at a fixed or a chosen IOVA, which is written back to the command.
    private func mapOne<Command>(
        _ ioas: IOASObject, source: Area.Source, length: UInt64, flags: UInt32, iova: UInt64, hint: UInt64,
        _ copy: inout KernelCopy<Command>, _ arg: UnsafeMutableRawPointer,
        setIOVA: (inout Command, UInt64) -> Void
    ) -> KResult<CInt> {
        let writeable = flags & Self.writeable != 0
        let piece = MapPiece(source: source, length: length, sourceWriteable: writeable)
        switch mapPieces(ioas, [piece], length: length, at: flags & Self.fixedIOVA != 0 ? iova : nil,
                         hint: hint, writeable: writeable, readable: flags & Self.readable != 0) {
        case .failure(let errno): return .failure(errno)
        case .success(let chosen):
            setIOVA(&copy.command, chosen)
            return respond(copy, arg)
        }
    }

    func ioasCopy(_ context: Context, _ copy: inout KernelCopy<iommu_ioas_copy>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        if cmd.flags & ~Self.mapFlags != 0 { return .failure(.EOPNOTSUPP) }
        if cmd.length >= .max || cmd.src_iova >= .max || cmd.dst_iova >= .max { return .failure(.EOVERFLOW) }
        if cmd.flags & (Self.writeable | Self.readable) == 0 { return .failure(.EINVAL) }
        guard let source = ioas(cmd.src_ioas_id, context) else { return .failure(.ENOENT) }
        let pieces: [Area]
        switch contiguousPieces(source, iova: cmd.src_iova, length: cmd.length) {
        case .failure(let errno): return .failure(errno)
        case .success(let found): pieces = found
        }
        guard let destination = ioas(cmd.dst_ioas_id, context) else { return .failure(.ENOENT) }
        let mapped = pieces.map { MapPiece(source: $0.source, length: $0.length, sourceWriteable: $0.writeable) }
        let hint = pieces.first.map { $0.sourceAddress(at: $0.iova) } ?? 0
        switch mapPieces(destination, mapped, length: cmd.length, at: cmd.flags & Self.fixedIOVA != 0 ? cmd.dst_iova : nil,
                         hint: hint, writeable: cmd.flags & Self.writeable != 0, readable: cmd.flags & Self.readable != 0) {
        case .failure(let errno): return .failure(errno)
        case .success(let iova):
            copy.command.dst_iova = iova
            return respond(copy, arg)
        }
    }

    func ioasUnmap(_ context: Context, _ copy: inout KernelCopy<iommu_ioas_unmap>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        guard let ioas = ioas(cmd.ioas_id, context) else { return .failure(.ENOENT) }
        let unmapped: UInt64
        if cmd.iova == 0 && cmd.length == .max {
            unmapped = unmap(ioas, start: 0, last: .max, context).unmapped
        } else {
            if cmd.iova >= .max || cmd.length >= .max { return .failure(.EOVERFLOW) }
            if cmd.length == 0 { return .failure(.EINVAL) }
            let (last, overflow) = cmd.iova.addingReportingOverflow(cmd.length - 1)
            if overflow { return .failure(.EOVERFLOW) }
            let result = unmap(ioas, start: cmd.iova, last: last, context)
            if let errno = result.errno { return .failure(errno) }
            if result.unmapped == 0 { return .failure(.ENOENT) }
            unmapped = result.unmapped
        }
        copy.command.length = unmapped
        return respond(copy, arg)
    }

    func changeProcess(_ context: Context, _ command: iommu_ioas_change_process) -> KResult<CInt> {
        if command.__reserved != 0 { return .failure(.EOPNOTSUPP) }
        for case let ioas as IOASObject in context.objects.values.sorted(by: { $0.id < $1.id }) {
            if ioas.areas.contains(where: { !$0.isFile }) { return .failure(.EINVAL) }
        }
        return .success(0)
    }

    func option(_ context: Context, _ copy: inout KernelCopy<iommu_option>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        if cmd.__reserved != 0 { return .failure(.EOPNOTSUPP) }
        let get = UInt16(IOMMU_OPTION_OP_GET.rawValue), set = UInt16(IOMMU_OPTION_OP_SET.rawValue)
        switch cmd.option_id {
        case UInt32(IOMMU_OPTION_RLIMIT_MODE.rawValue):
            if cmd.object_id != 0 { return .failure(.EOPNOTSUPP) }
            if cmd.op == get {
                copy.command.val64 = context.accountModeMM ? 1 : 0
            } else if cmd.op == set {
                if !settings.capSysResource { return .failure(.EPERM) }
                if !context.objects.isEmpty || !context.tombstones.isEmpty { return .failure(.EBUSY) }
                guard cmd.val64 <= 1 else { return .failure(.EINVAL) }
                context.accountModeMM = cmd.val64 == 1
            } else {
                return .failure(.EOPNOTSUPP)
            }
        case UInt32(IOMMU_OPTION_HUGE_PAGES.rawValue):
            guard let ioas = ioas(cmd.object_id, context) else { return .failure(.ENOENT) }
            if cmd.op == get {
                copy.command.val64 = ioas.disableLargePages ? 0 : 1
            } else if cmd.op == set {
                switch cmd.val64 {
                case 0:
                    guard !ioas.disableLargePages else { break }
                    if !ioas.domains.isEmpty && !ioas.areas.isEmpty { return .failure(.EINVAL) }
                    ioas.disableLargePages = true
                    if let errno = recalculateAlignment(ioas, context) {
                        ioas.disableLargePages = false
                        return .failure(errno)
                    }
                case 1:
                    ioas.disableLargePages = false
                    recalculateAlignment(ioas, context)
                default:
                    return .failure(.EINVAL)
                }
            } else {
                return .failure(.EOPNOTSUPP)
            }
        default:
            return .failure(.EOPNOTSUPP)
        }
        UserMemory.store(copy.command.val64, to: arg, at: MemoryLayout<iommu_option>.offset(of: \iommu_option.val64)!)
        return .success(0)
    }

    func vfioIOAS(_ context: Context, _ copy: inout KernelCopy<iommu_vfio_ioas>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        if cmd.__reserved != 0 { return .failure(.EOPNOTSUPP) }
        switch UInt32(cmd.op) {
        case UInt32(IOMMU_VFIO_IOAS_GET.rawValue):
            guard let id = context.vfioIOAS, context.objects[id] != nil else { return .failure(.ENODEV) }
            copy.command.ioas_id = id
            return respond(copy, arg)
        case UInt32(IOMMU_VFIO_IOAS_SET.rawValue):
            guard ioas(cmd.ioas_id, context) != nil else { return .failure(.ENOENT) }
            context.vfioIOAS = cmd.ioas_id
            return .success(0)
        case UInt32(IOMMU_VFIO_IOAS_CLEAR.rawValue):
            context.vfioIOAS = nil
            return .success(0)
        default:
            return .failure(.EOPNOTSUPP)
        }
    }
}
