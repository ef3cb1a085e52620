// Golden output `list-smmuv3.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let list_smmuv3_json = ##"""
{
  "kernel_release": "7.2.13",
  "iommufd": {
    "path": "/dev/iommu",
    "present": true,
    "device_number": "10:257",
    "usable": true,
    "problem": null
  },
  "vfio_device_class_present": true,
  "iommus": [
    {
      "name": "iommufd_selftest_iommu.0",
      "type": "iommufd-selftest",
      "sysfs_path": "/sys/devices/platform/iommufd_selftest_iommu.0/iommu/iommufd_selftest_iommu.0",
      "registers": {},
      "device_count": 0,
      "decode_command": null
    },
    {
      "name": "smmu3.0x0000000009050000",
      "type": "arm-smmuv3",
      "sysfs_path": "/sys/devices/platform/9050000.smmuv3/iommu/smmu3.0x0000000009050000",
      "registers": {},
      "device_count": 1,
      "decode_command": null
    }
  ],
  "devices": [
    {
      "name": "vfio0",
      "node": "/dev/vfio/devices/vfio0",
      "node_present": true,
      "device_number": "252:0",
      "sysfs_path": "/sys/devices/pci0000:01/0000:01:00.1",
      "pci_address": "0000:01:00.1",
      "mediated": null,
      "vendor_id": "0x15b3",
      "device_id": "0x101e",
      "class": "0x020000",
      "driver": "vfio-pci",
      "iommu_group": 7,
      "iommu": "smmu3.0x0000000009050000"
    }
  ]
}

"""##
}
