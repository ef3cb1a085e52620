// Golden output `list-amd.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let list_amd_txt = ##"""
Kernel:   Linux 7.2.13
iommufd:  /dev/iommu (10:257): usable
IOMMU units (2):
	iommufd_selftest_iommu.0  iommufd test mock (CONFIG_IOMMUFD_TEST)  -                                                0 devices
	ivhd0                     AMD IOMMU                                efr 0x00000000000029d3  efr2 0x0000000000000000  1 device
	ivhd0 decoded: iommufd-info decode amd --efr 0x00000000000029d3
VFIO devices (1):
	NAME   NODE                     PCI ADDRESS   ID         CLASS   DRIVER    GROUP  IOMMU
	vfio0  /dev/vfio/devices/vfio0  0000:00:02.0  1234:11e8  00ff00  vfio-pci  1      ivhd0
Next: `iommufd-info show vfio0` (hardware info, decoded registers, policy), `iommufd-info probe vfio0` (what HWPT_ALLOC accepts)

"""##
}
