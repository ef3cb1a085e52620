// Golden output `probe-amd.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let probe_amd_txt = ##"""
vfio0 (0000:00:02.0)
	Node:           /dev/vfio/devices/vfio0 (252:0)
	PCI device:     0000:00:02.0 [1234:11e8] class 00ff00
	Driver:         vfio-pci
	IOMMU group:    1
	IOMMU:          ivhd0
	Kernel:         Linux 7.2.13
	iommufd:        /dev/iommu, bound as device 1
	Info type:      AMD IOMMU (amd)
IOMMU_HWPT_ALLOC on IOAS 2 (each accepted HWPT is destroyed at once):
	[]                                  accepted (HWPT 3)
	[nestParent]                        refused: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [nestParent]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P).
	[dirtyTracking]                     refused: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [dirtyTracking]: dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it.
	[pasid]                             refused: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not).
	[nestParent, dirtyTracking]         refused: EOPNOTSUPP (Operation not supported)
		(nestParent, dirtyTracking refused on their own, above)
	[nestParent, pasid]                 refused: EOPNOTSUPP (Operation not supported)
		(nestParent, pasid refused on their own, above)
	[dirtyTracking, pasid]              refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking, pasid refused on their own, above)
	[nestParent, dirtyTracking, pasid]  refused: EOPNOTSUPP (Operation not supported)
		(nestParent, dirtyTracking, pasid refused on their own, above)
IOMMU_HWPT_ALLOC with IOMMU_HWPT_FAULT_ID_VALID and fault queue 3 (IOMMU_FAULT_QUEUE_ALLOC accepted; the queue is destroyed afterwards):
	[faultIDValid]                                    accepted (HWPT 4)
	[nestParent, faultIDValid]                        refused: EOPNOTSUPP (Operation not supported)
		(nestParent refused on its own, above)
	[dirtyTracking, faultIDValid]                     refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking refused on its own, above)
	[faultIDValid, pasid]                             refused: EOPNOTSUPP (Operation not supported)
		(pasid refused on its own, above)
	[nestParent, dirtyTracking, faultIDValid]         refused: EOPNOTSUPP (Operation not supported)
		(nestParent, dirtyTracking refused on their own, above)
	[nestParent, faultIDValid, pasid]                 refused: EOPNOTSUPP (Operation not supported)
		(nestParent, pasid refused on their own, above)
	[dirtyTracking, faultIDValid, pasid]              refused: EOPNOTSUPP (Operation not supported)
		(dirtyTracking, pasid refused on their own, above)
	[nestParent, dirtyTracking, faultIDValid, pasid]  refused: EOPNOTSUPP (Operation not supported)
		(nestParent, dirtyTracking, pasid refused on their own, above)
HWPT_ALLOC summary: accepted [], [faultIDValid]. refused on their own: nestParent, dirtyTracking, pasid.
IOMMU_GET_HW_INFO with IOMMU_HW_INFO_FLAG_INPUT_TYPE:
	requested amd: honoured
Autodomain policy, attached for real and detached again:
	no vIOMMU:             allocated HWPT 3 with [], attached, detached, destroyed
	Intel VT-d:            allocated HWPT 3 with [], attached, detached, destroyed
	Intel VT-d with PASID: attach failed: IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [nestParent]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P).
	ARM SMMUv3 (nested):   attach failed: IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [nestParent]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P).
Cleanup: every HWPT, the fault queue and IOAS 2 destroyed.

"""##
}
