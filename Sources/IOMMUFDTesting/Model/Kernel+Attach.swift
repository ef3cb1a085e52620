import IOMMUFD

// Device attachment, as drivers/iommu/iommufd/device.c and hw_pagetable.c
// do it: group slots per PASID, reserved regions, PASID compatibility,
// automatic domains and their reuse.

extension Context {
    /// An object by ID, including ones still being created.
    func anyObject(_ id: UInt32) -> KObject? { objects[id] ?? pending[id] }
}

extension Kernel {
    // MARK: - Helpers

    func hwpt(_ id: UInt32, _ context: Context) -> HWPTObject? { context.anyObject(id) as? HWPTObject }

    /// `find_hwpt_paging`: the paging HWPT itself, or a nested one's parent.
    func findPaging(_ hwpt: HWPTObject, _ context: Context) -> HWPTObject? {
        if !hwpt.nested { return hwpt }
        return hwpt.parent.flatMap { self.hwpt($0, context) }
    }

    func ioas(of paging: HWPTObject, _ context: Context) -> IOASObject? {
        paging.ioas.flatMap { context.anyObject($0) as? IOASObject }
    }

    /// The devices of an IOMMU group (`for_each_group_device`).
    func groupDevices(_ key: String) -> [PhysicalDevice] {
        devices.filter { $0.present && $0.groupKey == key }
    }

    // MARK: - Reserved regions and domains of an IOAS

    /// `iopt_table_enforce_dev_resv_regions`.
    func enforceReservedRegions(of device: PhysicalDevice, in ioas: IOASObject) -> ModelErrno? {
        for region in device.profile?.reservedRegions ?? [] {
            if let errno = ioas.reserve(region.start, region.last, owner: .device(device.key)) {
                ioas.removeReserved(owner: .device(device.key))
                return errno
            }
        }
        return nil
    }

    /// `iopt_table_add_domain`.
    func addDomain(_ hwpt: HWPTObject, to ioas: IOASObject) -> ModelErrno? {
        let alignment = max(hwpt.domain.pageSize, ioas.alignment)
        if alignment > pageSize { return .EINVAL }
        if alignment != ioas.alignment, let errno = ioas.checkAlignment(alignment) { return errno }
        let aperture = hwpt.domain.aperture
        if aperture.start != 0, let errno = ioas.reserve(0, aperture.start - 1, owner: .domain(hwpt.id)) {
            ioas.removeReserved(owner: .domain(hwpt.id))
            return errno
        }
        if aperture.last != .max, let errno = ioas.reserve(aperture.last + 1, .max, owner: .domain(hwpt.id)) {
            ioas.removeReserved(owner: .domain(hwpt.id))
            return errno
        }
        ioas.alignment = alignment
        ioas.domains.append(hwpt.id)
        return nil
    }

    /// `iopt_table_remove_domain`.
    func removeDomain(_ id: UInt32, from ioas: IOASObject, _ context: Context? = nil) {
        guard ioas.domains.contains(id) else { return }
        ioas.domains.removeAll { $0 == id }
        ioas.removeReserved(owner: .domain(id))
        _ = recalculateAlignment(ioas, context ?? contextOwning(ioas))
    }

    func contextOwning(_ object: KObject) -> Context? {
        contexts.values.first { $0.anyObject(object.id) === object }
    }

    /// `iopt_calculate_iova_alignment`.
    @discardableResult
    func recalculateAlignment(_ ioas: IOASObject, _ context: Context?) -> ModelErrno? {
        var alignment: UInt64 = ioas.disableLargePages ? pageSize : 1
        for id in ioas.domains {
            if let hwpt = context.flatMap({ self.hwpt(id, $0) }) { alignment = max(alignment, hwpt.domain.pageSize) }
        }
        if !ioas.accesses.isEmpty { alignment = max(alignment, pageSize) }
        if alignment > ioas.alignment, let errno = ioas.checkAlignment(alignment) { return errno }
        ioas.alignment = alignment
        return nil
    }

    // MARK: - Driver checks

    /// `__iommu_attach_group` / the driver's `attach_dev`: may this domain
    /// serve the device?
    func driverAttachCheck(_ domain: Domain, _ device: PhysicalDevice) -> ModelErrno? {
        guard let profile = device.profile, domain.driver == profile.driver else { return .EINVAL }
        if domain.nested {
            if domain.instance != profile.iommuInstance { return .EINVAL }
        } else if domain.compatibilityGroup != profile.compatibilityGroup {
            return .EINVAL
        }
        if domain.dirtyOps && !profile.dirtyTracking { return .EINVAL }
        return nil
    }

    /// The driver's `set_dev_pasid` for one device with PASID support.
    func setDevicePASID(_ domain: Domain?, _ device: PhysicalDevice, pasid: UInt32) -> ModelErrno? {
        if device.isMock, pasid == 1024 {
            if domain == nil {
                device.pasid1024FakeError = false
            } else if device.pasid1024FakeError {
                device.pasid1024FakeError = false
                return .ENOMEM
            } else {
                device.pasid1024FakeError = true
            }
        }
        if let domain, let errno = driverAttachCheck(domain, device) { return errno }
        return nil
    }

    /// `iommu_attach_device_pasid` / `iommu_replace_device_pasid`.
    func attachDevicePASID(_ domain: Domain, _ device: PhysicalDevice, pasid: UInt32, replacing old: Domain?) -> ModelErrno? {
        guard domain.pasidOps else { return .EOPNOTSUPP }
        guard let profile = device.profile, domain.driver == profile.driver, pasid != noPASID else { return .EINVAL }
        let members = groupDevices(device.groupKey)
        if old == nil {
            for member in members where member.maxPASIDs > 0 && UInt64(pasid) >= member.maxPASIDs {
                return .EINVAL
            }
        }
        for member in members where member.maxPASIDs > 0 {
            if let errno = setDevicePASID(domain, member, pasid: pasid) { return errno }
        }
        return nil
    }

    /// `iommufd_hwpt_pasid_compat`.
    func pasidCompatible(_ hwpt: HWPTObject, _ group: IGroup, pasid: UInt32, _ context: Context) -> ModelErrno? {
        if pasid == noPASID {
            if !hwpt.pasidCompat && group.attach.keys.contains(where: { $0 != noPASID }) { return .EINVAL }
        } else {
            if !hwpt.pasidCompat { return .EINVAL }
            if let rid = group.attach[noPASID], let ridHWPT = self.hwpt(rid.hwpt, context), !ridHWPT.pasidCompat {
                return .EINVAL
            }
        }
        return nil
    }

    // MARK: - Attach, replace, detach

    /// `iommufd_hw_pagetable_attach`.
    func attach(_ hwpt: HWPTObject, _ idev: DeviceObject, pasid: UInt32, _ context: Context) -> ModelErrno? {
        let group = context.group(idev.device.groupKey)
        let paging = findPaging(hwpt, context)
        let attachReserved = paging != nil && pasid == noPASID
        let slot = group.attach[pasid]
        if let slot {
            if slot.devices.contains(idev.id) { return .EBUSY }
            if slot.hwpt != hwpt.id { return .EINVAL }
        }
        var reservedIn: IOASObject?
        if attachReserved, let paging, let ioas = ioas(of: paging, context) {
            if let errno = enforceReservedRegions(of: idev.device, in: ioas) { return errno }
            reservedIn = ioas
        }
        if slot == nil {
            var errno = pasidCompatible(hwpt, group, pasid: pasid, context)
            if errno == nil {
                errno = pasid == noPASID
                    ? driverAttachCheck(hwpt.domain, idev.device)
                    : attachDevicePASID(hwpt.domain, idev.device, pasid: pasid, replacing: nil)
            }
            if let errno {
                reservedIn?.removeReserved(owner: .device(idev.device.key))
                return errno
            }
            group.attach[pasid] = GroupAttach(hwpt: hwpt.id, devices: [idev.id])
        } else {
            group.attach[pasid]!.devices.append(idev.id)
        }
        return nil
    }

    /// Removes the reserved regions of every device of a group slot from an IOAS.
    func removeGroupReserved(_ group: IGroup, from paging: HWPTObject, _ context: Context) {
        guard let ioas = ioas(of: paging, context), let slot = group.attach[noPASID] else { return }
        for id in slot.devices {
            if let idev = context.anyObject(id) as? DeviceObject { ioas.removeReserved(owner: .device(idev.device.key)) }
        }
    }

    /// `iommufd_device_do_replace`: returns the HWPT replaced (to be put).
    func replace(_ hwpt: HWPTObject, _ idev: DeviceObject, pasid: UInt32, _ context: Context) -> KResult<HWPTObject?> {
        let group = context.group(idev.device.groupKey)
        guard let slot = group.attach[pasid], slot.devices.contains(idev.id) else { return .failure(.EINVAL) }
        if slot.hwpt == hwpt.id { return .success(nil) }
        guard let old = self.hwpt(slot.hwpt, context) else { return .failure(.EINVAL) }
        let paging = findPaging(hwpt, context)
        let attachReserved = paging != nil && pasid == noPASID
        let oldPaging = findPaging(old, context)
        if attachReserved, let paging, let ioas = ioas(of: paging, context) {
            if oldPaging == nil || paging.ioas != oldPaging?.ioas {
                for id in slot.devices {
                    guard let member = context.anyObject(id) as? DeviceObject else { continue }
                    if let errno = enforceReservedRegions(of: member.device, in: ioas) {
                        removeGroupReserved(group, from: paging, context)
                        return .failure(errno)
                    }
                }
            }
        }
        var errno = pasidCompatible(hwpt, group, pasid: pasid, context)
        if errno == nil {
            errno = pasid == noPASID
                ? driverAttachCheck(hwpt.domain, idev.device)
                : attachDevicePASID(hwpt.domain, idev.device, pasid: pasid, replacing: old.domain)
        }
        if let errno {
            if attachReserved, let paging { removeGroupReserved(group, from: paging, context) }
            return .failure(errno)
        }
        if let oldPaging, pasid == noPASID, paging == nil || paging?.ioas != oldPaging.ioas {
            removeGroupReserved(group, from: oldPaging, context)
        }
        group.attach[pasid]!.hwpt = hwpt.id
        return .success(old)
    }

    /// `iommufd_hw_pagetable_detach` followed by the put: returns whether
    /// something was attached.
    @discardableResult
    func detach(_ idev: DeviceObject, pasid: UInt32, in context: Context) -> Bool {
        let detached = detachWithoutPut(idev, pasid: pasid, context)
        if let hwpt = detached.hwpt { put(hwpt, context) }
        return detached.attached
    }

    /// `iommufd_hw_pagetable_detach` alone: the device leaves its group's
    /// attachment for `pasid`; the last device to leave a PASID detaches it
    /// from the mock's PASID table, as the driver's callback does. Returns
    /// whether something was attached, and the HWPT if it still exists.
    @discardableResult
    func detachWithoutPut(
        _ idev: DeviceObject, pasid: UInt32, _ context: Context
    ) -> (attached: Bool, hwpt: HWPTObject?) {
        let group = context.group(idev.device.groupKey)
        guard var slot = group.attach[pasid] else { return (false, nil) }
        let hwpt = self.hwpt(slot.hwpt, context)
        slot.devices.removeAll { $0 == idev.id }
        if slot.devices.isEmpty {
            if pasid != noPASID {
                for member in groupDevices(idev.device.groupKey) where member.maxPASIDs > 0 {
                    _ = setDevicePASID(nil, member, pasid: pasid)
                }
            }
            group.attach[pasid] = nil
        } else {
            group.attach[pasid] = slot
        }
        if let hwpt, pasid == noPASID, let paging = findPaging(hwpt, context), let ioas = ioas(of: paging, context) {
            ioas.removeReserved(owner: .device(idev.device.key))
        }
        return (true, hwpt)
    }

    /// `iommufd_hw_pagetable_put`: an automatic domain dies with its last attachment.
    func put(_ hwpt: HWPTObject, _ context: Context) {
        guard !hwpt.nested, hwpt.autoDomain, context.objects[hwpt.id] === hwpt else { return }
        if users(of: hwpt, in: context) == 0 { remove(hwpt, from: context) }
    }

    /// `iommufd_device_change_pt`: attach (or replace) `pasid` of a device to
    /// an IOAS or HWPT; `ptID` returns the HWPT used.
    func changePageTable(_ idev: DeviceObject, pasid: UInt32, ptID: inout UInt32, replacing: Bool, _ context: Context) -> ModelErrno? {
        guard let object = context.objects[ptID] else { return .ENOENT }
        var toPut: HWPTObject?
        switch object {
        case let hwpt as HWPTObject:
            if replacing {
                switch replace(hwpt, idev, pasid: pasid, context) {
                case .failure(let errno): return errno
                case .success(let old): toPut = old
                }
            } else if let errno = attach(hwpt, idev, pasid: pasid, context) {
                return errno
            }
        case let ioas as IOASObject:
            switch autoDomain(idev, pasid: pasid, ioas: ioas, ptID: &ptID, replacing: replacing, context) {
            case .failure(let errno): return errno
            case .success(let old): toPut = old
            }
        default:
            return .EINVAL
        }
        if let toPut { put(toPut, context) }
        return nil
    }

    /// `iommufd_device_auto_get_domain`: reuse a compatible automatic domain
    /// of the IOAS, in creation order, or make a new one.
    func autoDomain(
        _ idev: DeviceObject, pasid: UInt32, ioas: IOASObject, ptID: inout UInt32, replacing: Bool, _ context: Context
    ) -> KResult<HWPTObject?> {
        for id in ioas.hwptList {
            guard let candidate = hwpt(id, context), candidate.autoDomain else { continue }
            if replacing {
                switch replace(candidate, idev, pasid: pasid, context) {
                case .failure(.EINVAL): continue
                case .failure(let errno): return .failure(errno)
                case .success(let old):
                    ptID = candidate.id
                    return .success(old)
                }
            } else {
                switch attach(candidate, idev, pasid: pasid, context) {
                case .some(.EINVAL): continue
                case .some(let errno): return .failure(errno)
                case .none:
                    ptID = candidate.id
                    return .success(nil)
                }
            }
        }
        let made = allocatePaging(ioas: ioas, idev: idev, pasid: pasid, flags: [], immediateAttach: !replacing,
                                  userData: nil, context)
        guard case .success(let hwpt) = made else {
            if case .failure(let errno) = made { return .failure(errno) }
            return .failure(.EINVAL)
        }
        var old: HWPTObject?
        if replacing {
            switch replace(hwpt, idev, pasid: pasid, context) {
            case .failure(let errno):
                abortHWPT(hwpt, context)
                return .failure(errno)
            case .success(let replaced): old = replaced
            }
        }
        hwpt.autoDomain = true
        ptID = hwpt.id
        context.finalize(hwpt)
        return .success(old)
    }

    /// `iommufd_hwpt_paging_alloc`. The new HWPT is pending: finalize or abort it.
    func allocatePaging(
        ioas: IOASObject, idev: DeviceObject, pasid: UInt32, flags: HWPTAllocFlags, immediateAttach: Bool,
        userData: (type: UInt32, length: Int)?, _ context: Context
    ) -> KResult<HWPTObject> {
        guard let profile = idev.device.profile else { return .failure(.EOPNOTSUPP) }
        if (!flags.isEmpty || userData != nil) && !profile.allocatesWithFlags { return .failure(.EOPNOTSUPP) }
        if !flags.isSubset(of: self.profile.pagingHWPTFlags) { return .failure(.EOPNOTSUPP) }
        if flags.contains(.dirtyTracking) && !profile.dirtyTracking { return .failure(.EOPNOTSUPP) }
        if self.profile.refusesFaultOnNestParent && flags.isSuperset(of: [.faultIDValid, .nestParent]) {
            return .failure(.EOPNOTSUPP)
        }
        let id = context.allocateID()
        // The driver's domain_alloc_paging_flags.
        let driverFlags = flags.subtracting(.faultIDValid)
        var refused = !driverFlags.isSubset(of: profile.hwptFlags)
        if let userData {
            if profile.driver != .kernelMock { refused = true }
            if userData.type != 0 && userData.type != 0xdead { refused = true }
        }
        if refused {
            context.abort(id)
            return .failure(.EOPNOTSUPP)
        }
        let domain = Domain(
            driver: profile.driver, compatibilityGroup: profile.compatibilityGroup, instance: profile.iommuInstance,
            aperture: profile.aperture, pageSize: profile.pageSize, dirtyOps: flags.contains(.dirtyTracking),
            pasidOps: profile.pasidDomains, nested: false)
        let hwpt = HWPTObject(id: id, nested: false, flags: flags, domain: domain)
        hwpt.ioas = ioas.id
        context.pending[id] = hwpt
        if immediateAttach, let errno = attach(hwpt, idev, pasid: pasid, context) {
            abortHWPT(hwpt, context)
            return .failure(errno)
        }
        if let errno = addDomain(hwpt, to: ioas) {
            if immediateAttach { detachWithoutPut(idev, pasid: pasid, context) }
            abortHWPT(hwpt, context)
            return .failure(errno)
        }
        ioas.hwptList.append(id)
        return .success(hwpt)
    }

    /// `iommufd_object_abort_and_destroy` of a pending HWPT.
    func abortHWPT(_ hwpt: HWPTObject, _ context: Context) {
        context.pending[hwpt.id] = nil
        context.abort(hwpt.id)
        if let id = hwpt.ioas, let ioas = context.anyObject(id) as? IOASObject {
            ioas.hwptList.removeAll { $0 == hwpt.id }
            removeDomain(hwpt.id, from: ioas, context)
        }
    }
}
