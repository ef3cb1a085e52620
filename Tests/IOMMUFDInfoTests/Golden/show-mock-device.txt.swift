// Golden output `show-mock-device.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let show_mock_device_txt = ##"""
vfio0 (0000:00:01.0)
	Node:           /dev/vfio/devices/vfio0 (252:0)
	PCI device:     0000:00:01.0 [1234:11e8] class 00ff00
	Driver:         vfio-pci
	IOMMU group:    1
	IOMMU:          dmar0
	Kernel:         Linux 7.2.13
	iommufd:        /dev/iommu, bound as device 1
	VFIO device:    [pci], 9 regions, 5 IRQ types
	Reserved IOVA:  none
IOMMU_GET_HW_INFO:
	Info type:      0xfeedbeef, unknown to the library's Linux 7.2 UAPI (a newer kernel's type, or a test driver's)
	Capabilities:   [dirtyTracking, pciATSNotSupported] (0x9)
	PASID width:    20 bits
	Vendor data:    8 bytes
	unknown type 0xfeedbeef, not decoded: 00 00 00 00 ef be ad de
PCI Express capabilities (config space through VFIO, 256 bytes):
	no extended config space (offset 0x100 on): a conventional PCI device, so no PASID, ATS or PRI
	PASID:          not present
	ATS:            not present
	PRI:            not present
Autodomain policy (a fresh container; what it would allocate for this device):
	no vIOMMU:             allocate an HWPT with [dirtyTracking]
		dirtyTracking: the IOMMU tracks dirty pages for this device
		no pasid: device PASID width 20, but the vIOMMU does not want PASID attach
	Intel VT-d:            allocate an HWPT with [dirtyTracking]
		dirtyTracking: the IOMMU tracks dirty pages for this device
		no pasid: device PASID width 20, but the vIOMMU does not want PASID attach
	Intel VT-d with PASID: allocate an HWPT with [nestParent, dirtyTracking, pasid]
		dirtyTracking: the IOMMU tracks dirty pages for this device
		nestParent: the vIOMMU wants a nesting parent
		pasid: device PASID width 20, vIOMMU wants PASID attach
	ARM SMMUv3 (nested):   allocate an HWPT with [nestParent, dirtyTracking]
		dirtyTracking: the IOMMU tracks dirty pages for this device
		nestParent: the vIOMMU wants a nesting parent
		no pasid: device PASID width 20, but the vIOMMU does not want PASID attach
	`iommufd-info probe vfio0` shows which flags the kernel accepts.

"""##
}
