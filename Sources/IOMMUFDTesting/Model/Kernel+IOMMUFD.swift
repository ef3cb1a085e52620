internal import CIOMMUFD
internal import CIOMMUFDSelftest
import IOMMUFD

// The iommufd ioctls, as drivers/iommu/iommufd/{main,ioas,hw_pagetable,
// device,viommu,eventq}.c implement them in Linux 7.2, with the release
// differences of the kernel profile: the dispatch (the ioctl table, struct
// size rules) and IOMMU_DESTROY here; the commands in Kernel+IOASCommands,
// Kernel+HWPTCommands and Kernel+VIOMMUCommands.

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
        // Numbers outside the release's table (iommufdCommandSizes) go to the
        // VFIO compatibility handler, which knows none of the requests the
        // model receives.
        guard nr >= 0x80, request == (0x3b << 8) | UInt(nr) else { return .failure(.ENOTTY) }
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
}
