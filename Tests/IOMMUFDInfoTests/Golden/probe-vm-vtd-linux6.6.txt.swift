// Golden output `probe-vm-vtd-linux6.6.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let probe_vm_vtd_linux6_6_txt = ##"""
vfio0 (0000:00:01.0)
	Node:           /dev/vfio/devices/vfio0 (252:0)
	PCI device:     0000:00:01.0 [1234:11e8] class 00ff00
	Driver:         vfio-pci
	IOMMU group:    1
	IOMMU:          dmar0
	Kernel:         Linux 6.6.0
	iommufd:        /dev/iommu, bound as device 1
	Info type:      Intel VT-d (intel-vtd)
IOMMU_HWPT_ALLOC on IOAS 2 (each accepted HWPT is destroyed at once):
	[]                                  accepted (HWPT 3)
	[nestParent]                        refused: EOPNOTSUPP (Operation not supported)
		Linux 6.6 predates IOMMU_HWPT_ALLOC_NEST_PARENT (Linux 6.7).
	[dirtyTracking]                     refused: EOPNOTSUPP (Operation not supported)
		Linux 6.6 predates IOMMU_HWPT_ALLOC_DIRTY_TRACKING (Linux 6.7).
	[pasid]                             refused: EOPNOTSUPP (Operation not supported)
		Linux 6.6 predates IOMMU_HWPT_ALLOC_PASID (Linux 6.15).
	[nestParent, dirtyTracking]         refused: EOPNOTSUPP (Operation not supported)
		(nestParent, dirtyTracking refused on their own, above)
	[nestParent, pasid]                 refused: EOPNOTSUPP (Operation not supported)
		(nestParent, pasid refused on their own, above)
	[dirtyTracking, pasid]              refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking, pasid refused on their own, above)
	[nestParent, dirtyTracking, pasid]  refused: EOPNOTSUPP (Operation not supported)
		(nestParent, dirtyTracking, pasid refused on their own, above)
IOMMU_HWPT_ALLOC with IOMMU_HWPT_FAULT_ID_VALID: not tried, IOMMU_FAULT_QUEUE_ALLOC refused: ENOTTY (Inappropriate ioctl for device)
		Linux 6.6 predates IOMMU_FAULT_QUEUE_ALLOC, which Linux 6.11 added.
HWPT_ALLOC summary: accepted []. refused on their own: nestParent, dirtyTracking, pasid.
IOMMU_GET_HW_INFO with IOMMU_HW_INFO_FLAG_INPUT_TYPE:
	requested intel-vtd: refused by this kernel (the flag needs Linux 6.17); the default type intel-vtd was returned instead
Autodomain policy, attached for real and detached again:
	no vIOMMU:             allocated HWPT 3 with [], attached, detached, destroyed
	Intel VT-d:            allocated HWPT 3 with [], attached, detached, destroyed
	Intel VT-d with PASID: attach failed: IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)
		Linux 6.6 predates IOMMU_HWPT_ALLOC_NEST_PARENT (Linux 6.7).
	ARM SMMUv3 (nested):   attach failed: IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)
		Linux 6.6 predates IOMMU_HWPT_ALLOC_NEST_PARENT (Linux 6.7).
Cleanup: every HWPT and IOAS 2 destroyed.

"""##
}
