internal import CIOMMUFD
internal import CIOMMUFDSelftest
import IOMMUFD

// The iommufd ioctls, as drivers/iommu/iommufd/{main,ioas,hw_pagetable,
// device,viommu,eventq}.c implement them in Linux 7.2, with the release
// differences of the kernel profile.

extension Kernel {
    /// `ioctl(2)` on any model descriptor.
    func ioctl(_ fd: CInt, request: UInt, argument: UnsafeMutableRawPointer) -> KResult<CInt> {
        guard let file = files[fd] else { return .failure(.EBADF) }
        switch file {
        case .iommufd(let context, _, _): return iommufdIoctl(context, request, argument)
        case .vfio(let vfio): return vfioIoctl(vfio, request, argument)
        default: return .failure(.ENOTTY)
        }
    }

    /// `iommufd_fops_ioctl`.
    func iommufdIoctl(_ context: Context, _ request: UInt, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let nr = UInt32(request & 0xff)
        let testNumber: UInt32 = 0xa0
        let last = profile.hasIOMMUFDTest ? testNumber : profile.lastIOMMUFDCommand
        // Numbers outside the table go to the VFIO compatibility handler,
        // which knows none of the requests the model receives.
        guard nr >= 0x80, nr <= last, request == (0x3b << 8) | UInt(nr) else { return .failure(.ENOTTY) }
        let userSize = Int(UserMemory.u32(arg))
        if nr == testNumber {
            guard profile.hasIOMMUFDTest else { return .failure(.ENOTTY) }
            if userSize < 68 { return .failure(.EINVAL) }
            return command(iommu_test_cmd.self, arg, userSize, MemoryLayout<iommu_test_cmd>.size) {
                selftest(context, &$0, arg)
            }
        }
        guard let sizes = profile.iommufdCommandSizes(nr) else { return .failure(.ENOTTY) }
        if userSize < sizes.minimum { return .failure(.EINVAL) }
        let size = sizes.size
        switch nr {
        case 0x80: return command(iommu_destroy.self, arg, userSize, size) { destroy(context, $0.command.id) }
        case 0x81: return command(iommu_ioas_alloc.self, arg, userSize, size) { ioasAlloc(context, &$0, arg) }
        case 0x82: return command(iommu_ioas_allow_iovas.self, arg, userSize, size) { allowIOVAs(context, $0.command) }
        case 0x83: return command(iommu_ioas_copy.self, arg, userSize, size) { ioasCopy(context, &$0, arg) }
        case 0x84: return command(iommu_ioas_iova_ranges.self, arg, userSize, size) { iovaRanges(context, &$0, arg) }
        case 0x85: return command(iommu_ioas_map.self, arg, userSize, size) { ioasMap(context, &$0, arg) }
        case 0x86: return command(iommu_ioas_unmap.self, arg, userSize, size) { ioasUnmap(context, &$0, arg) }
        case 0x87: return command(iommu_option.self, arg, userSize, size) { option(context, &$0, arg) }
        case 0x88: return command(iommu_vfio_ioas.self, arg, userSize, size) { vfioIOAS(context, &$0, arg) }
        case 0x89: return command(iommu_hwpt_alloc.self, arg, userSize, size) { hwptAlloc(context, &$0, arg) }
        case 0x8a: return command(iommu_hw_info.self, arg, userSize, size) { hardwareInfo(context, &$0, arg) }
        case 0x8b: return command(iommu_hwpt_set_dirty_tracking.self, arg, userSize, size) { setDirtyTracking(context, $0.command) }
        case 0x8c: return command(iommu_hwpt_get_dirty_bitmap.self, arg, userSize, size) { dirtyBitmap(context, $0.command) }
        case 0x8d: return command(iommu_hwpt_invalidate.self, arg, userSize, size) { invalidate(context, &$0, arg) }
        case 0x8e: return command(iommu_fault_alloc.self, arg, userSize, size) { faultAlloc(context, &$0, arg) }
        case 0x8f: return command(iommu_ioas_map_file.self, arg, userSize, size) { ioasMapFile(context, &$0, arg) }
        case 0x90: return command(iommu_viommu_alloc.self, arg, userSize, size) { viommuAlloc(context, &$0, arg) }
        case 0x91: return command(iommu_vdevice_alloc.self, arg, userSize, size) { vdeviceAlloc(context, &$0, arg) }
        case 0x92: return command(iommu_ioas_change_process.self, arg, userSize, size) { changeProcess(context, $0.command) }
        case 0x93: return command(iommu_veventq_alloc.self, arg, userSize, size) { veventqAlloc(context, &$0, arg) }
        case 0x94: return command(iommu_hw_queue_alloc.self, arg, userSize, size) { hwQueueAlloc(context, $0.command) }
        default: return .failure(.ENOTTY)
        }
    }

    /// Copies the structure in (`copy_struct_from_user`) and runs a handler.
    func command<T>(
        _ type: T.Type, _ arg: UnsafeMutableRawPointer, _ userSize: Int, _ kernelSize: Int,
        _ body: (inout KernelCopy<T>) -> KResult<CInt>
    ) -> KResult<CInt> {
        switch UserMemory.copyStruct(type, from: arg, userSize: userSize, kernelSize: kernelSize) {
        case .failure(let errno): return .failure(errno)
        case .success(var copy): return body(&copy)
        }
    }

    func respond<T>(_ copy: KernelCopy<T>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        UserMemory.respond(copy, to: arg)
        return .success(0)
    }

    func ioas(_ id: UInt32, _ context: Context) -> IOASObject? { context.objects[id] as? IOASObject }

    // MARK: - Objects

    /// `iommufd_destroy`.
    func destroy(_ context: Context, _ id: UInt32) -> KResult<CInt> {
        guard let object = context.objects[id] else { return .failure(.ENOENT) }
        if users(of: object, in: context) > 0 { return .failure(.EBUSY) }
        remove(object, from: context)
        return .success(0)
    }

    // MARK: - IOAS

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
        let writeable = cmd.flags & Self.writeable != 0
        let piece = MapPiece(source: .user(address: cmd.user_va), length: cmd.length, sourceWriteable: writeable)
        switch mapPieces(ioas, [piece], length: cmd.length, at: cmd.flags & Self.fixedIOVA != 0 ? cmd.iova : nil,
                         hint: cmd.user_va, writeable: writeable, readable: cmd.flags & Self.readable != 0) {
        case .failure(let errno): return .failure(errno)
        case .success(let iova):
            copy.command.iova = iova
            return respond(copy, arg)
        }
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
        let writeable = cmd.flags & Self.writeable != 0
        let piece = MapPiece(source: .file(descriptor: cmd.fd, offset: cmd.start), length: cmd.length, sourceWriteable: writeable)
        switch mapPieces(ioas, [piece], length: cmd.length, at: cmd.flags & Self.fixedIOVA != 0 ? cmd.iova : nil,
                         hint: cmd.start, writeable: writeable, readable: cmd.flags & Self.readable != 0) {
        case .failure(let errno): return .failure(errno)
        case .success(let iova):
            copy.command.iova = iova
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

    // MARK: - HWPT

    func hwptAlloc(_ context: Context, _ copy: inout KernelCopy<iommu_hwpt_alloc>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        let flags = HWPTAllocFlags(rawValue: cmd.flags)
        if cmd.__reserved != 0 { return .failure(.EOPNOTSUPP) }
        if (cmd.data_type == 0 && cmd.data_len != 0) || (cmd.data_type != 0 && cmd.data_len == 0) {
            return .failure(.EINVAL)
        }
        guard let idev = context.objects[cmd.dev_id] as? DeviceObject else { return .failure(.ENOENT) }
        guard let parent = context.objects[cmd.pt_id] else { return .failure(.EINVAL) }
        // Linux 6.6 only makes paging HWPTs.
        if profile.release < KernelRelease(6, 7) && !(parent is IOASObject) { return .failure(.EINVAL) }
        let userData = cmd.data_len > 0 ? (type: cmd.data_type, length: Int(cmd.data_len)) : nil
        let hwpt: HWPTObject
        switch parent {
        case let ioas as IOASObject:
            switch allocatePaging(ioas: ioas, idev: idev, pasid: noPASID, flags: flags, immediateAttach: false,
                                  userData: userData, context) {
            case .failure(let errno): return .failure(errno)
            case .success(let made): hwpt = made
            }
        case let paging as HWPTObject where !paging.nested:
            switch allocateNested(context, parent: paging, viommu: nil, idev: idev, flags: flags, cmd: cmd) {
            case .failure(let errno): return .failure(errno)
            case .success(let made): hwpt = made
            }
        case let viommu as VIOMMUObject:
            guard viommu.instance == idev.device.profile?.iommuInstance else { return .failure(.EINVAL) }
            guard let paging = self.hwpt(viommu.hwpt, context) else { return .failure(.EINVAL) }
            switch allocateNested(context, parent: paging, viommu: viommu, idev: idev, flags: flags, cmd: cmd) {
            case .failure(let errno): return .failure(errno)
            case .success(let made): hwpt = made
            }
        default:
            return .failure(.EINVAL)
        }
        if flags.contains(.faultIDValid) {
            guard context.objects[cmd.fault_id] is FaultObject else {
                abortHWPT(hwpt, context)
                return .failure(.ENOENT)
            }
            hwpt.fault = cmd.fault_id
        }
        copy.command.out_hwpt_id = hwpt.id
        context.finalize(hwpt)
        return respond(copy, arg)
    }

    /// `iommufd_hwpt_nested_alloc` / `iommufd_viommu_alloc_hwpt_nested`.
    func allocateNested(
        _ context: Context, parent: HWPTObject, viommu: VIOMMUObject?, idev: DeviceObject, flags: HWPTAllocFlags,
        cmd: iommu_hwpt_alloc
    ) -> KResult<HWPTObject> {
        guard let profile = idev.device.profile else { return .failure(.EOPNOTSUPP) }
        if !flags.isSubset(of: self.profile.nestedHWPTFlags) || cmd.data_len == 0 { return .failure(.EOPNOTSUPP) }
        if viommu == nil {
            guard profile.nestedData != nil else { return .failure(.EOPNOTSUPP) }
            if parent.autoDomain || !parent.nestParent || parent.domain.driver != profile.driver { return .failure(.EINVAL) }
        } else if profile.nestedData == nil {
            return .failure(.EOPNOTSUPP)
        }
        let id = context.allocateID()
        // The driver's domain_alloc_nested: the data type, then the length.
        guard let nested = profile.nestedData, cmd.data_type == nested.type else {
            context.abort(id)
            return .failure(.EOPNOTSUPP)
        }
        if Int(cmd.data_len) < nested.minimumLength {
            context.abort(id)
            return .failure(.EINVAL)
        }
        if profile.driver == .kernelMock && flags.subtracting([.faultIDValid]).subtracting(.pasid) != [] {
            context.abort(id)
            return .failure(.EOPNOTSUPP)
        }
        var domain = parent.domain
        domain.nested = true
        domain.dirtyOps = false
        domain.dirtyTracking = false
        domain.dirty = []
        domain.instance = profile.iommuInstance
        domain.nestedInvalidationType = profile.nestedInvalidationType
        let hwpt = HWPTObject(id: id, nested: true, flags: flags, domain: domain)
        hwpt.parent = parent.id
        hwpt.viommu = viommu?.id
        context.pending[id] = hwpt
        return .success(hwpt)
    }

    func hardwareInfo(_ context: Context, _ copy: inout KernelCopy<iommu_hw_info>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        var cmd = copy.command
        let inputType = UInt32(IOMMU_HW_INFO_FLAG_INPUT_TYPE.rawValue)
        if profile.supportsHardwareInfoInputType {
            if cmd.flags & ~inputType != 0 { return .failure(.EOPNOTSUPP) }
        } else if cmd.flags != 0 {
            return .failure(.EOPNOTSUPP)
        }
        if profile.reportsMaxPASID {
            if cmd.__reserved.0 != 0 || cmd.__reserved.1 != 0 || cmd.__reserved.2 != 0 { return .failure(.EOPNOTSUPP) }
        } else if cmd.out_max_pasid_log2 != 0 || cmd.__reserved.0 != 0 || cmd.__reserved.1 != 0 || cmd.__reserved.2 != 0 {
            return .failure(.EOPNOTSUPP)
        }
        if cmd.flags & inputType == 0 { cmd.in_data_type = 0 }
        guard let idev = context.objects[cmd.dev_id] as? DeviceObject, let profile = idev.device.profile else {
            return .failure(.ENOENT)
        }
        var data: [UInt8] = []
        if profile.hardwareInfoType != .none && self.profile.knowsInfoType(profile.hardwareInfoType) {
            if cmd.in_data_type != 0 && cmd.in_data_type != profile.hardwareInfoType.rawValue { return .failure(.EOPNOTSUPP) }
            cmd.out_data_type = profile.hardwareInfoType.rawValue
            data = profile.vendorData
        } else {
            cmd.out_data_type = 0
        }
        let bufferLength = Int(cmd.data_len)
        if bufferLength > 0 {
            guard let buffer = UserMemory.pointer(cmd.data_uptr) else { return .failure(.EFAULT) }
            let count = min(bufferLength, data.count)
            data.withUnsafeBytes { if count > 0 { buffer.copyMemory(from: $0.baseAddress!, byteCount: count) } }
            if count < bufferLength { (buffer + count).initializeMemory(as: UInt8.self, repeating: 0, count: bufferLength - count) }
        }
        cmd.data_len = UInt32(data.count)
        var capabilities: UInt64 = 0
        if profile.dirtyTracking { capabilities |= UInt64(IOMMU_HW_CAP_DIRTY_TRACKING.rawValue) }
        if self.profile.reportsATSNotSupported && !profile.atsSupported {
            capabilities |= UInt64(IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED.rawValue)
        }
        if self.profile.reportsMaxPASID {
            cmd.out_max_pasid_log2 = 0
            if idev.device.maxPASIDs > 0 {
                cmd.out_max_pasid_log2 = profile.maxPASIDLog2
                if idev.device.isPCI {
                    if profile.pasidExecute { capabilities |= UInt64(IOMMU_HW_CAP_PCI_PASID_EXEC.rawValue) }
                    if profile.pasidPrivileged { capabilities |= UInt64(IOMMU_HW_CAP_PCI_PASID_PRIV.rawValue) }
                }
            }
        }
        cmd.out_capabilities = capabilities
        copy.command = cmd
        return respond(copy, arg)
    }

    func pagingHWPT(_ id: UInt32, _ context: Context) -> HWPTObject? {
        guard let hwpt = context.objects[id] as? HWPTObject, !hwpt.nested else { return nil }
        return hwpt
    }

    func setDirtyTracking(_ context: Context, _ command: iommu_hwpt_set_dirty_tracking) -> KResult<CInt> {
        let enable = UInt32(IOMMU_HWPT_DIRTY_TRACKING_ENABLE.rawValue)
        if command.flags & ~enable != 0 { return .failure(.EOPNOTSUPP) }
        guard let hwpt = pagingHWPT(command.hwpt_id, context) else { return .failure(.ENOENT) }
        guard hwpt.domain.dirtyOps else { return .failure(.EOPNOTSUPP) }
        if command.flags & enable != 0 {
            hwpt.domain.dirty = []
            hwpt.domain.dirtyTracking = true
        } else {
            hwpt.domain.dirtyTracking = false
        }
        return .success(0)
    }

    func dirtyBitmap(_ context: Context, _ command: iommu_hwpt_get_dirty_bitmap) -> KResult<CInt> {
        let noClear = UInt32(IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR.rawValue)
        if command.flags & ~noClear != 0 || command.__reserved != 0 { return .failure(.EOPNOTSUPP) }
        guard let hwpt = pagingHWPT(command.hwpt_id, context), let ioasID = hwpt.ioas, let ioas = ioas(ioasID, context)
        else { return .failure(.ENOENT) }
        let (last, overflow) = command.iova.addingReportingOverflow(command.length &- 1)
        if overflow { return .failure(.EOVERFLOW) }
        let alignment = ioas.alignment
        if command.iova & (alignment - 1) != 0 || (last &+ 1) & (alignment - 1) != 0 { return .failure(.EINVAL) }
        if command.page_size == 0 { return .failure(.EINVAL) }
        if command.iova & (command.page_size - 1) != 0 || (last &+ 1) & (command.page_size - 1) != 0 {
            return .failure(.EINVAL)
        }
        guard hwpt.domain.dirtyOps else { return .failure(.EOPNOTSUPP) }
        guard command.length > 0 else { return .success(0) }
        readDirty(hwpt, ioas: ioas, iova: command.iova, length: command.length, pageSize: command.page_size,
                  bitmap: UserMemory.pointer(command.data), clear: command.flags & noClear == 0)
        return .success(0)
    }

    func invalidate(_ context: Context, _ copy: inout KernelCopy<iommu_hwpt_invalidate>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        var result: KResult<CInt> = .success(0)
        var done: UInt32 = 0
        if cmd.__reserved != 0 {
            result = .failure(.EOPNOTSUPP)
        } else if cmd.entry_num != 0 && (cmd.data_uptr == 0 || cmd.entry_len == 0 || cmd.entry_len > 4096
                                         || cmd.entry_num > 1 << 19) {
            result = .failure(.EINVAL)
        } else if let object = context.objects[cmd.hwpt_id] {
            var accepted: UInt32??
            if let hwpt = object as? HWPTObject, hwpt.nested {
                accepted = .some(hwpt.domain.nestedInvalidationType)
            } else if let viommu = object as? VIOMMUObject {
                accepted = .some(viommu.invalidationType)
            }
            switch accepted {
            case .none: result = .failure(.EINVAL)
            case .some(.none): result = .failure(.EOPNOTSUPP)
            case .some(.some(let type)):
                if cmd.data_type != type { result = .failure(.EINVAL) } else { done = cmd.entry_num }
            }
        } else {
            result = .failure(.ENOENT)
        }
        copy.command.entry_num = done
        UserMemory.respond(copy, to: arg)
        return result
    }

    // MARK: - Event queues and virtual IOMMUs

    func faultAlloc(_ context: Context, _ copy: inout KernelCopy<iommu_fault_alloc>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        if copy.command.flags != 0 { return .failure(.EOPNOTSUPP) }
        let id = context.allocateID()
        let fault = FaultObject(id: id)
        context.references += 1
        let fd = allocateDescriptor(.faultQueue(context, id))
        copy.command.out_fault_id = id
        copy.command.out_fault_fd = UInt32(bitPattern: fd)
        context.finalize(fault)
        return respond(copy, arg)
    }

    func viommuAlloc(_ context: Context, _ copy: inout KernelCopy<iommu_viommu_alloc>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        if cmd.flags != 0 || cmd.type == 0 { return .failure(.EOPNOTSUPP) }
        guard let idev = context.objects[cmd.dev_id] as? DeviceObject, let profile = idev.device.profile else {
            return .failure(.ENOENT)
        }
        if profile.viommuTypes.isEmpty || !profile.viommuTypes.contains(cmd.type) { return .failure(.EOPNOTSUPP) }
        guard let hwpt = pagingHWPT(cmd.hwpt_id, context) else { return .failure(.ENOENT) }
        if !hwpt.nestParent { return .failure(.EINVAL) }
        let id = context.allocateID()
        copy.command.out_viommu_id = id
        context.finalize(VIOMMUObject(id: id, hwpt: hwpt.id, type: cmd.type, driver: profile.driver,
                                      instance: profile.iommuInstance, invalidationType: profile.viommuInvalidationType))
        return respond(copy, arg)
    }

    func vdeviceAlloc(_ context: Context, _ copy: inout KernelCopy<iommu_vdevice_alloc>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        guard let viommu = context.objects[cmd.viommu_id] as? VIOMMUObject else { return .failure(.ENOENT) }
        guard let idev = context.objects[cmd.dev_id] as? DeviceObject else { return .failure(.ENOENT) }
        if viommu.instance != idev.device.profile?.iommuInstance { return .failure(.EINVAL) }
        if idev.vdev != nil { return .failure(.EEXIST) }
        let id = context.allocateID()
        if viommu.vdevs[cmd.virt_id] != nil {
            context.abort(id)
            return .failure(.EEXIST)
        }
        viommu.vdevs[cmd.virt_id] = id
        idev.vdev = id
        copy.command.out_vdevice_id = id
        context.finalize(VDeviceObject(id: id, viommu: viommu.id, idev: idev.id, virtualID: cmd.virt_id))
        return respond(copy, arg)
    }

    func veventqAlloc(_ context: Context, _ copy: inout KernelCopy<iommu_veventq_alloc>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        if cmd.flags != 0 || cmd.__reserved != 0 || cmd.type == 0 { return .failure(.EOPNOTSUPP) }
        if cmd.veventq_depth == 0 || cmd.veventq_depth > 1 << 19 { return .failure(.EINVAL) }
        guard let viommu = context.objects[cmd.viommu_id] as? VIOMMUObject else { return .failure(.ENOENT) }
        let exists = context.objects.values.contains {
            guard let queue = $0 as? VEventQObject else { return false }
            return queue.viommu == viommu.id && queue.type == cmd.type
        }
        if exists { return .failure(.EEXIST) }
        let id = context.allocateID()
        context.references += 1
        let fd = allocateDescriptor(.eventQueue(context, id))
        copy.command.out_veventq_id = id
        copy.command.out_veventq_fd = UInt32(bitPattern: fd)
        context.finalize(VEventQObject(id: id, viommu: viommu.id, type: cmd.type, depth: cmd.veventq_depth))
        return respond(copy, arg)
    }

    func hwQueueAlloc(_ context: Context, _ command: iommu_hw_queue_alloc) -> KResult<CInt> {
        if command.flags != 0 || command.type == 0 { return .failure(.EOPNOTSUPP) }
        guard context.objects[command.viommu_id] is VIOMMUObject else { return .failure(.ENOENT) }
        return .failure(.EOPNOTSUPP)
    }
}
