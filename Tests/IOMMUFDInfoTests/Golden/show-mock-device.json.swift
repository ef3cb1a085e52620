// Golden output `show-mock-device.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let show_mock_device_json = ##"""
{
  "device": {
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
  },
  "kernel_release": "7.2.13",
  "iommufd": {
    "path": "/dev/iommu",
    "device_id": 1
  },
  "vfio": {
    "flags": [
      "pci"
    ],
    "regions": 9,
    "irqs": 5,
    "error": null
  },
  "reserved_regions": [],
  "hardware_info": {
    "type": "unknown-0xfeedbeef",
    "type_value": 4276993775,
    "type_name": "unknown (0xfeedbeef)",
    "capabilities": [
      "dirtyTracking",
      "pciATSNotSupported"
    ],
    "capabilities_value": "0x0000000000000009",
    "max_pasid_log2": 20,
    "vendor_data_length": 8,
    "vendor": null,
    "vendor_bytes": "00000000efbeadde"
  },
  "pci_capabilities": {
    "source": "vfio",
    "config_space_length": 256,
    "extended_space_readable": false,
    "extended_capability_ids": [],
    "pasid": null,
    "ats": null,
    "pri": null
  },
  "policy": [
    {
      "viommu": "none",
      "name": "no vIOMMU",
      "wants": [],
      "plan": {
        "action": "allocate",
        "flags": [
          "dirtyTracking"
        ],
        "bypassReadOnly": false,
        "reasons": [
          "dirtyTracking: the IOMMU tracks dirty pages for this device",
          "no pasid: device PASID width 20, but the vIOMMU does not want PASID attach"
        ]
      },
      "summary": "allocate an HWPT with [dirtyTracking]: dirtyTracking: the IOMMU tracks dirty pages for this device; no pasid: device PASID width 20, but the vIOMMU does not want PASID attach",
      "warnings": []
    },
    {
      "viommu": "intel-vtd",
      "name": "Intel VT-d",
      "wants": [],
      "plan": {
        "action": "allocate",
        "flags": [
          "dirtyTracking"
        ],
        "bypassReadOnly": false,
        "reasons": [
          "dirtyTracking: the IOMMU tracks dirty pages for this device",
          "no pasid: device PASID width 20, but the vIOMMU does not want PASID attach"
        ]
      },
      "summary": "allocate an HWPT with [dirtyTracking]: dirtyTracking: the IOMMU tracks dirty pages for this device; no pasid: device PASID width 20, but the vIOMMU does not want PASID attach",
      "warnings": []
    },
    {
      "viommu": "intel-vtd-pasid",
      "name": "Intel VT-d with PASID",
      "wants": [
        "nestingParent",
        "pasidSupported",
        "pasidAttach"
      ],
      "plan": {
        "action": "allocate",
        "flags": [
          "nestParent",
          "dirtyTracking",
          "pasid"
        ],
        "bypassReadOnly": false,
        "reasons": [
          "dirtyTracking: the IOMMU tracks dirty pages for this device",
          "nestParent: the vIOMMU wants a nesting parent",
          "pasid: device PASID width 20, vIOMMU wants PASID attach"
        ]
      },
      "summary": "allocate an HWPT with [nestParent, dirtyTracking, pasid]: dirtyTracking: the IOMMU tracks dirty pages for this device; nestParent: the vIOMMU wants a nesting parent; pasid: device PASID width 20, vIOMMU wants PASID attach",
      "warnings": []
    },
    {
      "viommu": "arm-smmuv3-nested",
      "name": "ARM SMMUv3 (nested)",
      "wants": [
        "nestingParent"
      ],
      "plan": {
        "action": "allocate",
        "flags": [
          "nestParent",
          "dirtyTracking"
        ],
        "bypassReadOnly": false,
        "reasons": [
          "dirtyTracking: the IOMMU tracks dirty pages for this device",
          "nestParent: the vIOMMU wants a nesting parent",
          "no pasid: device PASID width 20, but the vIOMMU does not want PASID attach"
        ]
      },
      "summary": "allocate an HWPT with [nestParent, dirtyTracking]: dirtyTracking: the IOMMU tracks dirty pages for this device; nestParent: the vIOMMU wants a nesting parent; no pasid: device PASID width 20, but the vIOMMU does not want PASID attach",
      "warnings": []
    }
  ]
}

"""##
}
