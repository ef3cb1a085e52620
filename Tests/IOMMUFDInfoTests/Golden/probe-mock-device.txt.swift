// Golden output `probe-mock-device.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let probe_mock_device_txt = ##"""
vfio0 (0000:00:01.0)
	Node:           /dev/vfio/devices/vfio0 (252:0)
	PCI device:     0000:00:01.0 [1234:11e8] class 00ff00
	Driver:         vfio-pci
	IOMMU group:    1
	IOMMU:          dmar0
	Kernel:         Linux 7.2.13
	iommufd:        /dev/iommu, bound as device 1
	Info type:      unknown type 0xfeedbeef (unknown-0xfeedbeef)
IOMMU_HWPT_ALLOC on IOAS 2 (each accepted HWPT is destroyed at once):
	[]                                  accepted (HWPT 3)
	[nestParent]                        accepted (HWPT 3)
	[dirtyTracking]                     accepted (HWPT 3)
	[pasid]                             accepted (HWPT 3)
	[nestParent, dirtyTracking]         accepted (HWPT 3)
	[nestParent, pasid]                 accepted (HWPT 3)
	[dirtyTracking, pasid]              accepted (HWPT 3)
	[nestParent, dirtyTracking, pasid]  accepted (HWPT 3)
IOMMU_HWPT_ALLOC with IOMMU_HWPT_FAULT_ID_VALID and fault queue 3 (IOMMU_FAULT_QUEUE_ALLOC accepted; the queue is destroyed afterwards):
	[faultIDValid]                                    accepted (HWPT 4)
	[nestParent, faultIDValid]                        refused: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [nestParent, faultIDValid]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later.
	[dirtyTracking, faultIDValid]                     accepted (HWPT 4)
	[faultIDValid, pasid]                             accepted (HWPT 4)
	[nestParent, dirtyTracking, faultIDValid]         refused: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [nestParent, dirtyTracking, faultIDValid]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it; faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later.
	[nestParent, faultIDValid, pasid]                 refused: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [nestParent, faultIDValid, pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not); nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later.
	[dirtyTracking, faultIDValid, pasid]              accepted (HWPT 4)
	[nestParent, dirtyTracking, faultIDValid, pasid]  refused: EOPNOTSUPP (Operation not supported)
		The IOMMU driver for this device does not support [nestParent, dirtyTracking, faultIDValid, pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not); nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it; faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later.
HWPT_ALLOC summary: accepted [], [nestParent], [dirtyTracking], [pasid], [nestParent, dirtyTracking], [nestParent, pasid], [dirtyTracking, pasid], [nestParent, dirtyTracking, pasid], [faultIDValid], [dirtyTracking, faultIDValid], [faultIDValid, pasid], [dirtyTracking, faultIDValid, pasid]. refused on their own: none.
IOMMU_GET_HW_INFO with IOMMU_HW_INFO_FLAG_INPUT_TYPE:
	requested unknown-0xfeedbeef: honoured
Autodomain policy, attached for real and detached again:
	no vIOMMU:             allocated HWPT 3 with [dirtyTracking], attached, detached, destroyed
	Intel VT-d:            allocated HWPT 3 with [dirtyTracking], attached, detached, destroyed
	Intel VT-d with PASID: allocated HWPT 3 with [nestParent, dirtyTracking, pasid], attached, detached, destroyed
	ARM SMMUv3 (nested):   allocated HWPT 3 with [nestParent, dirtyTracking], attached, detached, destroyed
Cleanup: every HWPT, the fault queue and IOAS 2 destroyed.

"""##
}
