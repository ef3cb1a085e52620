// Golden output `list-vm-vtd-mdev.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let list_vm_vtd_mdev_txt = ##"""
Kernel:   Linux 7.2.13
iommufd:  /dev/iommu (10:257): usable
IOMMU units (2):
	dmar0                     Intel VT-d                               cap 0x00d2008c222f0606  ecap 0x0000490080f00f4a  2 devices
	iommufd_selftest_iommu.0  iommufd test mock (CONFIG_IOMMUFD_TEST)  -                                                0 devices
	dmar0 decoded: iommufd-info decode vtd --cap 0x00d2008c222f0606 --ecap 0x0000490080f00f4a
VFIO devices (3):
	NAME    NODE                      PCI ADDRESS   ID         CLASS   DRIVER     GROUP  IOMMU
	vfio0   /dev/vfio/devices/vfio0   0000:00:01.0  1234:11e8  00ff00  vfio-pci   1      dmar0
	vfio1   (no node)                 0000:00:02.0  1234:11e8  00ff00  vfio-pci   2      dmar0
	vfio10  /dev/vfio/devices/vfio10  0000:00:05.0  mdev       -       vfio_mdev  10     -
	vfio1: /dev/vfio/devices/vfio1 is missing although sysfs lists the cdev (is devtmpfs mounted on /dev?)
	vfio10 is mediated device 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 (type mtty-2); it has no IOMMU of its own
Next: `iommufd-info show vfio0` (hardware info, decoded registers, policy), `iommufd-info probe vfio0` (what HWPT_ALLOC accepts)

"""##
}
