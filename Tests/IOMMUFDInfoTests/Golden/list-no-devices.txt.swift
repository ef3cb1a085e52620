// Golden output `list-no-devices.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let list_no_devices_txt = ##"""
Kernel:   Linux 7.2.13
iommufd:  /dev/iommu (10:257): usable
IOMMU units (1):
	iommufd_selftest_iommu.0  iommufd test mock (CONFIG_IOMMUFD_TEST)  -  0 devices
VFIO devices: none
	To hand a PCI device to VFIO, bind it to vfio-pci as root (`lspci -Dnn` lists the addresses):
		echo vfio-pci > /sys/bus/pci/devices/DDDD:BB:DD.F/driver_override
		echo DDDD:BB:DD.F > /sys/bus/pci/devices/DDDD:BB:DD.F/driver/unbind   (if it has a driver)
		echo DDDD:BB:DD.F > /sys/bus/pci/drivers_probe
	It then appears as /dev/vfio/devices/vfioN.

"""##
}
