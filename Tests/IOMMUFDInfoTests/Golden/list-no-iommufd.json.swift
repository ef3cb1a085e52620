// Golden output `list-no-iommufd.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let list_no_iommufd_json = ##"""
{
  "kernel_release": "7.2.13",
  "iommufd": {
    "path": "/dev/iommu",
    "present": false,
    "device_number": null,
    "usable": false,
    "problem": "The kernel was built without CONFIG_IOMMUFD or the iommufd module is not loaded (try `modprobe iommufd`); Debian's and many distributions' kernels ship without it."
  },
  "vfio_device_class_present": true,
  "iommus": [
    {
      "name": "dmar0",
      "type": "intel-vtd",
      "sysfs_path": "/sys/devices/virtual/iommu/dmar0",
      "registers": {
        "cap": "0x00d2008c222f0606",
        "ecap": "0x0000490080f00f4a"
      },
      "device_count": 1,
      "decode_command": "iommufd-info decode vtd --cap 0x00d2008c222f0606 --ecap 0x0000490080f00f4a"
    },
    {
      "name": "iommufd_selftest_iommu.0",
      "type": "iommufd-selftest",
      "sysfs_path": "/sys/devices/platform/iommufd_selftest_iommu.0/iommu/iommufd_selftest_iommu.0",
      "registers": {},
      "device_count": 0,
      "decode_command": null
    }
  ],
  "devices": [
    {
      "name": "vfio0",
      "node": "/dev/vfio/devices/vfio0",
      "node_present": true,
      "device_number": "252:0",
      "sysfs_path": "/sys/devices/pci0000:00/0000:00:01.0",
      "pci_address": "0000:00:01.0",
      "mediated": null,
      "vendor_id": "0x1234",
      "device_id": "0x11e8",
      "class": "0x00ff00",
      "driver": "vfio-pci",
      "iommu_group": 1,
      "iommu": "dmar0"
    }
  ]
}

"""##
}
