import Logging
import SystemPackage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension AutodomainPolicy {
    /// Attaches one PASID of a device to an HWPT.
    ///
    /// Refused with ``IOMMUFDError/Code/incompatibleDomain`` — before the
    /// kernel's `EINVAL` — while the device's own HWPT lacks
    /// ``HWPTAllocFlags/pasid``, or when `hwpt` is one of the policy's
    /// HWPTs and lacks it.
    public mutating func attachPASID<Device: AttachableDevice & ~Copyable>(
        _ pasid: UInt32, of device: borrowing Device, to hwpt: HWPTID
    ) throws(IOMMUFDError) {
        guard let id = device.boundDeviceID else {
            throw Self.policyError(.autodomainPASIDAttach, device.displayName, code: .invalidArgument,
                                   hint: "the device must be bound and attached first")
        }
        guard let rid = state.hwpt(of: id) else {
            throw Self.policyError(.autodomainPASIDAttach, device.displayName, code: .invalidArgument,
                                   hint: "\(id) is not attached to an HWPT of this policy")
        }
        guard rid.flags.contains(.pasid) else {
            throw Self.policyError(
                .autodomainPASIDAttach, device.displayName, code: .incompatibleDomain,
                objects: [id.reference, rid.id.reference, hwpt.reference],
                hint: "\(rid.id), the device's own page table, was allocated without IOMMU_HWPT_ALLOC_PASID "
                    + "(flags \(rid.flags)); the kernel refuses PASID attach until it has it. Attach with a "
                    + "vIOMMU that wants PASID attach on a device with a PASID width")
        }
        if let target = state.hwpts.first(where: { $0.id == hwpt }), !target.flags.contains(.pasid) {
            throw Self.policyError(
                .autodomainPASIDAttach, device.displayName, code: .incompatibleDomain,
                objects: [id.reference, hwpt.reference],
                hint: "\(hwpt) was allocated without IOMMU_HWPT_ALLOC_PASID and cannot serve a PASID")
        }
        try device.attachPASID(pasid, to: hwpt)
        state.pasids[id, default: [:]][pasid] = hwpt
        logger.debug("\(device.displayName): PASID \(pasid) attached to \(hwpt)")
    }

    /// Detaches one PASID of a device attached through ``attachPASID(_:of:to:)``.
    public mutating func detachPASID<Device: AttachableDevice & ~Copyable>(
        _ pasid: UInt32, of device: borrowing Device
    ) throws(IOMMUFDError) {
        guard let id = device.boundDeviceID else { return }
        try device.detachPASID(pasid)
        state.pasids[id]?[pasid] = nil
        if state.pasids[id]?.isEmpty == true { state.pasids[id] = nil }
    }
}
