// Golden output `list-no-iommufd.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let list_no_iommufd_txt = ##"""
Kernel:   Linux 7.2.13
iommufd:  /dev/iommu: missing. The kernel was built without CONFIG_IOMMUFD or the iommufd module is not loaded (try `modprobe iommufd`); Debian's and many distributions' kernels ship without it.
IOMMU units (2):
	dmar0                     Intel VT-d                               cap 0x00d2008c222f0606  ecap 0x0000490080f00f4a  1 device
	iommufd_selftest_iommu.0  iommufd test mock (CONFIG_IOMMUFD_TEST)  -                                                0 devices
	dmar0 decoded: iommufd-info decode vtd --cap 0x00d2008c222f0606 --ecap 0x0000490080f00f4a
VFIO devices (1):
	NAME   NODE                     PCI ADDRESS   ID         CLASS   DRIVER    GROUP  IOMMU
	vfio0  /dev/vfio/devices/vfio0  0000:00:01.0  1234:11e8  00ff00  vfio-pci  1      dmar0
Next: `iommufd-info show vfio0` (hardware info, decoded registers, policy), `iommufd-info probe vfio0` (what HWPT_ALLOC accepts)

"""##
}
