// Golden output `list-no-devices.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let list_no_devices_json = ##"""
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
    }
  ],
  "devices": []
}

"""##
}
