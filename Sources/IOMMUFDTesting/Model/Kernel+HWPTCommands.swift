internal import CIOMMUFD
import IOMMUFD

// The HWPT ioctls (drivers/iommu/iommufd/hw_pagetable.c, device.c for
// GET_HW_INFO): allocation (paging and nested), hardware information, dirty
// tracking, cache invalidation.

extension Kernel {
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
}
