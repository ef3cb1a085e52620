internal import CIOMMUFDSelftest
import IOMMUFD

// IOMMU_TEST_CMD, as drivers/iommu/iommufd/selftest.c implements the
// operations the model supports; the others fail with EOPNOTSUPP.

extension Kernel {
    func selftest(_ context: Context, _ copy: inout KernelCopy<iommu_test_cmd>, _ arg: UnsafeMutableRawPointer) -> KResult<CInt> {
        let cmd = copy.command
        switch Int(cmd.op) {
        case Int(IOMMU_TEST_OP_ADD_RESERVED):
            let start = cmd.add_reserved.start, length = cmd.add_reserved.length
            if length == 0 { return .failure(.EINVAL) }
            let (last, overflow) = start.addingReportingOverflow(length - 1)
            if overflow { return .failure(.EOVERFLOW) }
            guard let ioas = ioas(cmd.id, context) else { return .failure(.ENOENT) }
            if let errno = ioas.reserve(start, last, owner: .test) { return .failure(errno) }
            return .success(0)

        case Int(IOMMU_TEST_OP_MOCK_DOMAIN), Int(IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS):
            let flags = Int(cmd.op) == Int(IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS) ? cmd.mock_domain_flags.dev_flags : 0
            switch mockDomain(context, ptID: cmd.id, flags: flags) {
            case .failure(let errno): return .failure(errno)
            case .success(let ids):
                copy.command.mock_domain.out_stdev_id = ids.stdev
                copy.command.mock_domain.out_hwpt_id = ids.hwpt
                copy.command.mock_domain.out_idev_id = ids.idev
                return respond(copy, arg)
            }

        case Int(IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE):
            guard let (_, idev) = selftestDevice(context, cmd.id) else { return .failure(.ENOENT) }
            var ptID = cmd.mock_domain_replace.pt_id
            if let errno = changePageTable(idev, pasid: noPASID, ptID: &ptID, replacing: true, context) {
                return .failure(errno)
            }
            copy.command.mock_domain_replace.pt_id = ptID
            return respond(copy, arg)

        case Int(IOMMU_TEST_OP_PASID_ATTACH), Int(IOMMU_TEST_OP_PASID_REPLACE):
            guard let (_, idev) = selftestDevice(context, cmd.id) else { return .failure(.ENOENT) }
            var ptID = cmd.pasid_attach.pt_id
            let replacing = Int(cmd.op) == Int(IOMMU_TEST_OP_PASID_REPLACE)
            if let errno = changePageTable(idev, pasid: cmd.pasid_attach.pasid, ptID: &ptID, replacing: replacing, context) {
                return .failure(errno)
            }
            copy.command.pasid_attach.pt_id = ptID
            return respond(copy, arg)

        case Int(IOMMU_TEST_OP_PASID_DETACH):
            guard let (_, idev) = selftestDevice(context, cmd.id) else { return .failure(.ENOENT) }
            detach(idev, pasid: cmd.pasid_detach.pasid, in: context)
            return .success(0)

        case Int(IOMMU_TEST_OP_PASID_CHECK_HWPT):
            guard let (_, idev) = selftestDevice(context, cmd.id) else { return .failure(.ENOENT) }
            let attached = context.groups[idev.device.groupKey]?.attach[cmd.pasid_check.pasid]?.hwpt
            let wanted = cmd.pasid_check.hwpt_id
            if wanted == 0 { return attached == nil ? .success(0) : .failure(.EINVAL) }
            guard let object = context.objects[wanted] else { return .failure(.ENOENT) }
            guard object is HWPTObject else { return .failure(.EINVAL) }
            return attached == wanted ? .success(0) : .failure(.EINVAL)

        case Int(IOMMU_TEST_OP_DIRTY):
            let dirty = cmd.dirty
            if dirty.page_size == 0 || dirty.length == 0 || dirty.iova % dirty.page_size != 0
                || dirty.length % dirty.page_size != 0 || dirty.uptr == 0 {
                return .failure(.EINVAL)
            }
            let pages = dirty.length / dirty.page_size
            if pages > (16 << 20) * 8 { return .failure(.EOVERFLOW) }
            guard let hwpt = pagingHWPT(cmd.id, context) else { return .failure(.ENOENT) }
            guard hwpt.domain.driver == .kernelMock else { return .failure(.EINVAL) }
            guard hwpt.domain.dirtyTracking, hwpt.domain.dirtyOps else { return .failure(.EINVAL) }
            guard let bitmap = UserMemory.pointer(dirty.uptr) else { return .failure(.EFAULT) }
            var count: UInt64 = 0
            for page in 0..<pages {
                let byte = bitmap.load(fromByteOffset: Int(page / 8), as: UInt8.self)
                guard byte & (1 << UInt8(page % 8)) != 0 else { continue }
                setDirty(hwpt, iova: dirty.iova + page * dirty.page_size, context)
                count += 1
            }
            copy.command.dirty.out_nr_dirty = count
            return respond(copy, arg)

        default:
            return .failure(.EOPNOTSUPP)
        }
    }

    /// `iommufd_test_get_selftest_obj`.
    func selftestDevice(_ context: Context, _ id: UInt32) -> (SelftestObject, DeviceObject)? {
        guard let selftest = context.objects[id] as? SelftestObject,
              let idev = context.objects[selftest.idev] as? DeviceObject else { return nil }
        return (selftest, idev)
    }

    /// `iommufd_test_mock_domain`: a new mock device, bound and attached to `ptID`.
    func mockDomain(_ context: Context, ptID: UInt32, flags: UInt32) -> KResult<(stdev: UInt32, idev: UInt32, hwpt: UInt32)> {
        let stdevID = context.allocateID()
        let valid = UInt32(MOCK_FLAGS_DEVICE_NO_DIRTY) | UInt32(MOCK_FLAGS_DEVICE_PASID)
        if flags & ~valid != 0 {
            context.abort(stdevID)
            return .failure(.EINVAL)
        }
        var number = 0
        while mockDeviceIDs.contains(number) { number += 1 }
        mockDeviceIDs.insert(number)
        let profile = DeviceProfile.kernelMock(
            noDirty: flags & UInt32(MOCK_FLAGS_DEVICE_NO_DIRTY) != 0,
            pasid: flags & UInt32(MOCK_FLAGS_DEVICE_PASID) != 0)
        let device = PhysicalDevice(key: nextDeviceKey, host: nil, profile: profile, groupKey: "mock\(nextDeviceKey)",
                                    name: "iommufd_mock\(number)", mockFlags: flags)
        nextDeviceKey += 1
        devices.append(device)
        let idev: DeviceObject
        switch bindDevice(device, context) {
        case .failure(let errno):
            destroyMockDevice(device)
            context.abort(stdevID)
            return .failure(errno)
        case .success(let bound): idev = bound
        }
        var pt = ptID
        if let errno = changePageTable(idev, pasid: noPASID, ptID: &pt, replacing: false, context) {
            unbindDevice(idev, in: context)
            destroyMockDevice(device)
            context.abort(stdevID)
            return .failure(errno)
        }
        context.finalize(SelftestObject(id: stdevID, idev: idev.id, device: device))
        return .success((stdevID, idev.id, pt))
    }
}
