internal import CIOMMUFD
import IOMMUFD

// The event-queue and virtual-IOMMU ioctls (drivers/iommu/iommufd/eventq.c,
// viommu.c): fault queues, vIOMMUs, vDEVICEs, vEVENTQs, HW queues.

extension Kernel {
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
