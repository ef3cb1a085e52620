// Golden output `probe-smmuv3.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let probe_smmuv3_txt = ##"""
vfio0 (0000:01:00.1)
	Node:           /dev/vfio/devices/vfio0 (252:0)
	PCI device:     0000:01:00.1 [15b3:101e] class 020000
	Driver:         vfio-pci
	IOMMU group:    7
	IOMMU:          smmu3.0x0000000009050000
	Kernel:         Linux 7.2.13
	iommufd:        /dev/iommu, bound as device 1
	Info type:      ARM SMMUv3 (arm-smmuv3)
IOMMU_HWPT_ALLOC on IOAS 2 (each accepted HWPT is destroyed at once):
	[]                                  accepted (HWPT 3)
	[nestParent]                        accepted (HWPT 3)
	[dirtyTracking]                     refused: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [dirtyTracking]: dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it.
	[pasid]                             refused: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not).
	[nestParent, dirtyTracking]         refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking refused on its own, above)
	[nestParent, pasid]                 refused: EOPNOTSUPP (Operation not supported)
		(pasid refused on its own, above)
	[dirtyTracking, pasid]              refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking, pasid refused on their own, above)
	[nestParent, dirtyTracking, pasid]  refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking, pasid refused on their own, above)
IOMMU_HWPT_ALLOC with IOMMU_HWPT_FAULT_ID_VALID and fault queue 3 (IOMMU_FAULT_QUEUE_ALLOC accepted; the queue is destroyed afterwards):
	[faultIDValid]                                    accepted (HWPT 4)
	[nestParent, faultIDValid]                        refused: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [nestParent, faultIDValid]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later.
	[dirtyTracking, faultIDValid]                     refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking refused on its own, above)
	[faultIDValid, pasid]                             refused: EOPNOTSUPP (Operation not supported)
		(pasid refused on its own, above)
	[nestParent, dirtyTracking, faultIDValid]         refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking refused on its own, above)
	[nestParent, faultIDValid, pasid]                 refused: EOPNOTSUPP (Operation not supported)
		(pasid refused on its own, above)
	[dirtyTracking, faultIDValid, pasid]              refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking, pasid refused on their own, above)
	[nestParent, dirtyTracking, faultIDValid, pasid]  refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking, pasid refused on their own, above)
HWPT_ALLOC summary: accepted [], [nestParent], [faultIDValid]. refused on their own: dirtyTracking, pasid.
IOMMU_GET_HW_INFO with IOMMU_HW_INFO_FLAG_INPUT_TYPE:
	requested arm-smmuv3: honoured
Autodomain policy, attached for real and detached again:
	no vIOMMU:             allocated HWPT 3 with [], attached, detached, destroyed
	Intel VT-d:            allocated HWPT 3 with [], attached, detached, destroyed
	Intel VT-d with PASID: attach failed: IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [nestParent, pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not); nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P).
	ARM SMMUv3 (nested):   allocated HWPT 3 with [nestParent], attached, detached, destroyed
Cleanup: every HWPT, the fault queue and IOAS 2 destroyed.

"""##
}
