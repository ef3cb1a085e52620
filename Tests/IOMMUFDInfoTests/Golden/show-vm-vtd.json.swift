// Golden output `show-vm-vtd.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let show_vm_vtd_json = ##"""
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
  "reserved_regions": [
    {
      "start": "0x00000000fee00000",
      "last": "0x00000000feefffff",
      "type": "msi"
    }
  ],
  "hardware_info": {
    "type": "intel-vtd",
    "type_value": 1,
    "type_name": "IOMMU_HW_INFO_TYPE_INTEL_VTD",
    "capabilities": [
      "pciATSNotSupported"
    ],
    "capabilities_value": "0x0000000000000008",
    "max_pasid_log2": 0,
    "vendor_data_length": 24,
    "vendor": {
      "type": "intel-vtd",
      "flags": {
        "errata_772415_spr17": true
      },
      "cap": {
        "ndoms": 65536,
        "afl": false,
        "rwbf": false,
        "plmr": false,
        "phmr": false,
        "caching_mode": false,
        "sagaw": 6,
        "mgaw": 48,
        "zlr": false,
        "isoch": false,
        "fault_reg_offset": 544,
        "super_page_val": 3,
        "pgsel_inv": true,
        "num_fault_regs": 1,
        "max_amask_val": 18,
        "write_drain": true,
        "read_drain": true,
        "fl1gp": false,
        "pi": false,
        "fl5lp": false,
        "ecmds": false,
        "esirtps": false,
        "esrtps": false
      },
      "ecap": {
        "coherent": false,
        "qis": true,
        "dev_iotlb": false,
        "ir": true,
        "eim": false,
        "ch": false,
        "pass_through": true,
        "sc": false,
        "iotlb_offset": 240,
        "max_handle_mask": 15,
        "ecs": false,
        "mts": false,
        "nest": false,
        "dis": false,
        "broken_pasid": false,
        "prs": false,
        "ers": false,
        "srs": true,
        "pot": false,
        "nwfs": false,
        "eafs": false,
        "pss": 0,
        "pasid": true,
        "dit": false,
        "pds": false,
        "smts": true,
        "vcs": false,
        "slads": false,
        "slts": true,
        "flts": false,
        "smpwc": false,
        "rps": false,
        "tdxio": false,
        "pms": false,
        "adms": false,
        "rprivs": false,
        "hpts": false,
        "ptrs": false,
        "pbds": false
      },
      "raw": {
        "flags": "0x00000001",
        "cap": "0x00d2008c222f0606",
        "ecap": "0x0000490080f00f4a"
      },
      "reserved_bits_set": {},
      "facts": {
        "first_stage": {
          "supported": false,
          "page_table_levels": null,
          "address_widths": null,
          "max_address_width": null,
          "page_sizes": null
        },
        "second_stage": {
          "supported": true,
          "page_table_levels": [
            3,
            4
          ],
          "address_widths": [
            39,
            48
          ],
          "max_address_width": 48,
          "page_sizes": [
            4096,
            2097152,
            1073741824
          ]
        },
        "output_address_width": null,
        "pasid_bits": 1,
        "nesting": false,
        "dirty_tracking": false,
        "ats": false,
        "pri": false
      }
    },
    "vendor_bytes": null
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
        "flags": [],
        "bypassReadOnly": false,
        "reasons": [
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device"
        ]
      },
      "summary": "allocate an HWPT with []: no dirtyTracking: the IOMMU does not report dirty tracking for this device",
      "warnings": []
    },
    {
      "viommu": "intel-vtd",
      "name": "Intel VT-d",
      "wants": [],
      "plan": {
        "action": "allocate",
        "flags": [],
        "bypassReadOnly": false,
        "reasons": [
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device"
        ]
      },
      "summary": "allocate an HWPT with []: no dirtyTracking: the IOMMU does not report dirty tracking for this device",
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
          "nestParent"
        ],
        "bypassReadOnly": true,
        "reasons": [
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device",
          "nestParent: the vIOMMU wants a nesting parent",
          "no pasid: the vIOMMU wants PASID attach, but the device reports no PASID width",
          "nesting parent on VT-d with erratum 772415: read-only mappings are bypassed"
        ]
      },
      "summary": "allocate an HWPT with [nestParent]: no dirtyTracking: the IOMMU does not report dirty tracking for this device; nestParent: the vIOMMU wants a nesting parent; no pasid: the vIOMMU wants PASID attach, but the device reports no PASID width; nesting parent on VT-d with erratum 772415: read-only mappings are bypassed",
      "warnings": [
        "the IOMMU's registers report no nested translation: the kernel will refuse nestParent (EOPNOTSUPP), so this vIOMMU cannot be accelerated here"
      ]
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
          "nestParent"
        ],
        "bypassReadOnly": true,
        "reasons": [
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device",
          "nestParent: the vIOMMU wants a nesting parent",
          "nesting parent on VT-d with erratum 772415: read-only mappings are bypassed"
        ]
      },
      "summary": "allocate an HWPT with [nestParent]: no dirtyTracking: the IOMMU does not report dirty tracking for this device; nestParent: the vIOMMU wants a nesting parent; nesting parent on VT-d with erratum 772415: read-only mappings are bypassed",
      "warnings": [
        "the IOMMU's registers report no nested translation: the kernel will refuse nestParent (EOPNOTSUPP), so this vIOMMU cannot be accelerated here"
      ]
    }
  ]
}

"""##
}
