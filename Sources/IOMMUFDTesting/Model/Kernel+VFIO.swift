internal import CIOMMUFD
import IOMMUFD

// The VFIO device cdev, as drivers/vfio/{device_cdev,iommufd,vfio_main}.c and
// vfio-pci do it in Linux 7.2, with the release differences of the profile.

extension Kernel {
    /// `vfio_device_fops_unl_ioctl`.
    func vfioIoctl(_ file: VFIOFile, _ request: UInt, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        if request == CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD { return bind(file, arg) }
        guard file.bound else { return .failure(.EINVAL) }
        switch request {
        case CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT: return attachPT(file, arg)
        case CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT: return detachPT(file, arg)
        case CIOMMUFD_VFIO_DEVICE_GET_INFO: return deviceInfo(file, arg)
        case CIOMMUFD_VFIO_DEVICE_GET_REGION_INFO: return regionInfo(file, arg)
        default: return .failure(.ENOTTY)
        }
    }

    /// `vfio_df_ioctl_bind_iommufd`.
    func bind(_ file: VFIOFile, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let argsz = Int(UserMemory.u32(arg))
        if argsz < 16 { return .failure(.EINVAL) }
        // Without the token flag (before 6.17) the kernel reads 16 bytes whatever argsz says.
        let command: vfio_device_bind_iommufd
        switch UserMemory.copyStruct(vfio_device_bind_iommufd.self, from: arg,
                                     userSize: profile.supportsBindToken ? argsz : 16,
                                     kernelSize: profile.bindStructureSize) {
        case .failure(let errno): return .failure(errno)
        case .success(let copy): command = copy.command
        }
        let validFlags: UInt32 = profile.supportsBindToken ? UInt32(VFIO_DEVICE_BIND_FLAG_TOKEN) : 0
        if command.iommufd < 0 || command.flags & ~validFlags != 0 { return .failure(.EINVAL) }
        let device = file.device
        if device.host?.use == .groupOpenedByLegacyVFIO { return .failure(.EBUSY) }
        if file.bound { return .failure(.EINVAL) }
        // A device without SR-IOV refuses any VF token.
        if command.flags & validFlags != 0 { return .failure(.EINVAL) }
        guard let target = files[command.iommufd] else { return .failure(.EBADF) }
        guard case .iommufd(let context, _, _) = target else { return .failure(.EBADFD) }
        if device.openCount != 0 || device.host?.use == .boundByAnotherProcess { return .failure(.EINVAL) }
        let id: UInt32
        if device.profile == nil {
            // An emulated (mdev) device: an access object.
            id = context.allocateID()
            context.references += 1
            context.finalize(AccessObject(id: id, device: device))
        } else {
            switch bindDevice(device, context) {
            case .failure(let errno): return .failure(errno)
            case .success(let idev): id = idev.id
            }
        }
        UserMemory.store(id, to: arg, at: MemoryLayout<vfio_device_bind_iommufd>.offset(of: \vfio_device_bind_iommufd.out_devid)!)
        file.context = context
        file.deviceID = id
        device.openCount = 1
        return .success(0)
    }

    /// `iommufd_device_bind`.
    func bindDevice(_ device: PhysicalDevice, _ context: Context) -> KResult<DeviceObject> {
        guard let profile = device.profile else { return .failure(.EINVAL) }
        if !profile.cacheCoherent { return .failure(.EINVAL) }
        if !device.isMock && !settings.interruptRemapping && !settings.allowUnsafeInterrupts { return .failure(.EPERM) }
        if device.host?.use == .groupClaimedElsewhere { return .failure(.EPERM) }
        if let owner = groupOwners[device.groupKey] {
            if owner.context != context.number { return .failure(.EPERM) }
            groupOwners[device.groupKey] = (owner.context, owner.count + 1)
        } else {
            groupOwners[device.groupKey] = (context.number, 1)
        }
        let id = context.allocateID()
        if !device.isMock { context.references += 1 }
        let idev = DeviceObject(id: id, device: device)
        context.finalize(idev)
        return .success(idev)
    }

    /// Closing a bound cdev: `vfio_df_unbind_iommufd`.
    func unbind(_ file: VFIOFile) {
        guard let context = file.context, let id = file.deviceID else { return }
        if let idev = context.objects[id] as? DeviceObject {
            for pasid in file.pasids.sorted() { detach(idev, pasid: pasid, in: context) }
            if file.attached { detach(idev, pasid: noPASID, in: context) }
            unbindDevice(idev, in: context)
        } else if let access = context.objects[id] as? AccessObject {
            detachAccess(access, context)
            context.objects[id] = nil
        }
        file.pasids = []
        file.attached = false
        file.context = nil
        file.deviceID = nil
        file.device.openCount = 0
        put(context)
    }

    func detachAccess(_ access: AccessObject, _ context: Context) {
        guard let ioasID = access.ioas, let ioas = context.objects[ioasID] as? IOASObject else { return }
        ioas.accesses.removeAll { $0 == access.id }
        access.ioas = nil
        recalculateAlignment(ioas, context)
    }

    /// `vfio_df_ioctl_attach_pt`.
    func attachPT(_ file: VFIOFile, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let argsz = UserMemory.u32(arg)
        let flags = UserMemory.u32(arg, 4)
        var ptID = UserMemory.u32(arg, 8)
        if argsz < 12 { return .failure(.EINVAL) }
        let pasidFlag = UInt32(VFIO_DEVICE_ATTACH_PASID)
        var pasid: UInt32?
        if profile.supportsPASIDAttach {
            if flags & ~pasidFlag != 0 { return .failure(.EINVAL) }
            if flags & pasidFlag != 0 {
                if !(file.device.host?.supportsPASIDAttach ?? false) { return .failure(.EOPNOTSUPP) }
                if argsz < 16 { return .failure(.EINVAL) }
                pasid = UserMemory.u32(arg, 12)
            }
        } else if flags != 0 {
            return .failure(.EINVAL)
        }
        guard let context = file.context, let id = file.deviceID else { return .failure(.EINVAL) }
        if let access = context.objects[id] as? AccessObject {
            if let errno = attachAccess(access, ioasID: ptID, context) { return .failure(errno) }
            file.attached = true
            return .success(0)
        }
        guard let idev = context.objects[id] as? DeviceObject else { return .failure(.EINVAL) }
        if let pasid {
            if file.pasids.contains(pasid) {
                if let errno = changePageTable(idev, pasid: pasid, ptID: &ptID, replacing: true, context) { return .failure(errno) }
            } else {
                if pasid > UInt32(Int32.max) { return .failure(.ENOSPC) }
                if let errno = changePageTable(idev, pasid: pasid, ptID: &ptID, replacing: false, context) { return .failure(errno) }
                file.pasids.insert(pasid)
            }
        } else {
            if let errno = changePageTable(idev, pasid: noPASID, ptID: &ptID, replacing: file.attached, context) {
                return .failure(errno)
            }
            file.attached = true
        }
        UserMemory.store(ptID, to: arg, at: 8)
        return .success(0)
    }

    /// `iommufd_access_attach` / `iommufd_access_replace`.
    func attachAccess(_ access: AccessObject, ioasID: UInt32, _ context: Context) -> ModelErrno? {
        guard let ioas = context.objects[ioasID] as? IOASObject else { return .ENOENT }
        if access.ioas == ioasID { return nil }
        ioas.accesses.append(access.id)
        if let errno = recalculateAlignment(ioas, context) {
            ioas.accesses.removeAll { $0 == access.id }
            return errno
        }
        detachAccess(access, context)
        access.ioas = ioasID
        return nil
    }

    /// `vfio_df_ioctl_detach_pt`.
    func detachPT(_ file: VFIOFile, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let argsz = UserMemory.u32(arg)
        let flags = UserMemory.u32(arg, 4)
        if argsz < 8 { return .failure(.EINVAL) }
        let pasidFlag = UInt32(VFIO_DEVICE_DETACH_PASID)
        var pasid: UInt32?
        if profile.supportsPASIDAttach {
            if flags & ~pasidFlag != 0 { return .failure(.EINVAL) }
            if flags & pasidFlag != 0 {
                if !(file.device.host?.supportsPASIDAttach ?? false) { return .failure(.EOPNOTSUPP) }
                if argsz < 12 { return .failure(.EINVAL) }
                pasid = UserMemory.u32(arg, 8)
            }
        } else if flags != 0 {
            return .failure(.EINVAL)
        }
        guard let context = file.context, let id = file.deviceID else { return .success(0) }
        if let access = context.objects[id] as? AccessObject {
            if file.attached { detachAccess(access, context) }
            file.attached = false
            return .success(0)
        }
        guard let idev = context.objects[id] as? DeviceObject else { return .success(0) }
        if let pasid {
            if file.pasids.remove(pasid) != nil { detach(idev, pasid: pasid, in: context) }
        } else if file.attached {
            detach(idev, pasid: noPASID, in: context)
            file.attached = false
        }
        return .success(0)
    }

    /// `vfio_pci_ioctl_get_info`.
    func deviceInfo(_ file: VFIOFile, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let argsz = UserMemory.u32(arg)
        if argsz < 16 { return .failure(.EINVAL) }
        guard let description = file.device.host?.vfio else { return .failure(.EINVAL) }
        UserMemory.store(description.flags, to: arg, at: 4)
        UserMemory.store(UInt32(description.regionSizes.count), to: arg, at: 8)
        UserMemory.store(description.irqCount, to: arg, at: 12)
        if argsz >= 20 { UserMemory.store(UInt32(0), to: arg, at: 16) }
        return .success(0)
    }

    /// `vfio_get_region_info`.
    func regionInfo(_ file: VFIOFile, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let argsz = UserMemory.u32(arg)
        if argsz < 32 { return .failure(.EINVAL) }
        let index = Int(UserMemory.u32(arg, 8))
        guard let description = file.device.host?.vfio, index < description.regionSizes.count,
              !description.unavailableRegions.contains(index) else {
            return .failure(.EINVAL)
        }
        UserMemory.store(description.regionFlags[index], to: arg, at: 4)
        UserMemory.store(UInt32(0), to: arg, at: 12)
        UserMemory.store(regionSize(file.device, index), to: arg, at: 16)
        UserMemory.store(UInt64(index) << 40, to: arg, at: 24)
        return .success(0)
    }

    /// The size of a region; the config region is as large as the image.
    func regionSize(_ device: PhysicalDevice, _ index: Int) -> UInt64 {
        guard let host = device.host else { return 0 }
        if index == 7, !host.configSpace.isEmpty, host.vfio.regionSizes.count > 7, host.vfio.regionSizes[7] > 0 {
            return UInt64(host.configSpace.count)
        }
        return index < host.vfio.regionSizes.count ? host.vfio.regionSizes[index] : 0
    }

    /// `pread(2)` of a VFIO region.
    func readRegion(_ file: VFIOFile, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> KResult<Int> {
        guard file.bound, offset >= 0, let description = file.device.host?.vfio else { return .failure(.EINVAL) }
        let index = Int(offset >> 40)
        let position = Int(offset & ((1 << 40) - 1))
        guard index < description.regionSizes.count else { return .failure(.EINVAL) }
        let size = Int(regionSize(file.device, index))
        guard position < size else { return .failure(.EINVAL) }
        let count = min(buffer.count, size - position)
        if index == 7, let config = file.device.host?.configSpace {
            for i in 0..<count { buffer[i] = position + i < config.count ? config[position + i] : 0 }
        } else {
            for i in 0..<count { buffer[i] = 0 }
        }
        return .success(count)
    }
}
