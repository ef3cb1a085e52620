// Golden output `list-smmuv3.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let list_smmuv3_txt = ##"""
Kernel:   Linux 7.2.13
iommufd:  /dev/iommu (10:257): usable
IOMMU units (2):
	iommufd_selftest_iommu.0  iommufd test mock (CONFIG_IOMMUFD_TEST)  -  0 devices
	smmu3.0x0000000009050000  ARM SMMUv3                               -  1 device
VFIO devices (1):
	NAME   NODE                     PCI ADDRESS   ID         CLASS   DRIVER    GROUP  IOMMU
	vfio0  /dev/vfio/devices/vfio0  0000:01:00.1  15b3:101e  020000  vfio-pci  7      smmu3.0x0000000009050000
Next: `iommufd-info show vfio0` (hardware info, decoded registers, policy), `iommufd-info probe vfio0` (what HWPT_ALLOC accepts)

"""##
}
