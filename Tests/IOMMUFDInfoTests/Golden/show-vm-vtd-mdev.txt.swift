// Golden output `show-vm-vtd-mdev.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let show_vm_vtd_mdev_txt = ##"""
vfio10 (mdev 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001)
	Node:           /dev/vfio/devices/vfio10 (252:10)
	Mediated:       83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 (type mtty-2) on 0000:00:05.0
	Driver:         vfio_mdev
	IOMMU group:    10
	IOMMU:          none (sysfs names no IOMMU unit)
	Kernel:         Linux 7.2.13
	iommufd:        /dev/iommu, bound as device 1
	VFIO device:    [pci], 9 regions, 5 IRQ types
	Reserved IOVA:  none
IOMMU_GET_HW_INFO:
	not asked: a mediated device has no IOMMU of its own (iommufd binds it as an access object)
PCI Express capabilities (config space through VFIO, 256 bytes):
	no extended config space (offset 0x100 on): a conventional PCI device, so no PASID, ATS or PRI
	PASID:          not present
	ATS:            not present
	PRI:            not present
Autodomain policy (a fresh container; what it would allocate for this device):
	no vIOMMU:             attach to the IOAS
		mediated device: attach to the IOAS directly; no HWPT, no GET_HW_INFO
	Intel VT-d:            attach to the IOAS
		mediated device: attach to the IOAS directly; no HWPT, no GET_HW_INFO
	Intel VT-d with PASID: attach to the IOAS
		mediated device: attach to the IOAS directly; no HWPT, no GET_HW_INFO
	ARM SMMUv3 (nested):   attach to the IOAS
		mediated device: attach to the IOAS directly; no HWPT, no GET_HW_INFO
	`iommufd-info probe vfio10` shows which flags the kernel accepts.

"""##
}
