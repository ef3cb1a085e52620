// Golden output `show-smmuv3.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let show_smmuv3_json = ##"""
{
  "device": {
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
      "start": "0x0000000008000000",
      "last": "0x00000000080fffff",
      "type": "reserved"
    }
  ],
  "hardware_info": {
    "type": "arm-smmuv3",
    "type_value": 2,
    "type_name": "IOMMU_HW_INFO_TYPE_ARM_SMMUV3",
    "capabilities": [],
    "capabilities_value": "0x0000000000000000",
    "max_pasid_log2": 20,
    "vendor_data_length": 40,
    "vendor": {
      "type": "arm-smmuv3",
      "idr0": {
        "s2p": true,
        "s1p": true,
        "ttf": 3,
        "cohacc": true,
        "btm": true,
        "httu": 0,
        "dormhint": false,
        "hyp": true,
        "ats": true,
        "ns1ats": true,
        "asid16": true,
        "msi": true,
        "sev": true,
        "atos": false,
        "pri": true,
        "vmw": true,
        "vmid16": true,
        "cd2l": true,
        "vatos": false,
        "ttendian": 0,
        "atsrecerr": false,
        "stall_model": 0,
        "term_model": false,
        "st_lvl": 1,
        "rme_impl": false
      },
      "idr1": {
        "sidsize": 24,
        "ssidsize": 20,
        "priqs": 19,
        "evtqs": 19,
        "cmdqs": 19,
        "attr_perms_ovr": true,
        "attr_types_ovr": true,
        "rel": false,
        "queues_preset": false,
        "tables_preset": false,
        "ecmdq": false
      },
      "idr2": {
        "ba_vatos": 0
      },
      "idr3": {
        "had": true,
        "pbha": true,
        "xnx": true,
        "pps": true,
        "mpam": false,
        "fwb": false,
        "stt": false,
        "ril": false,
        "bbm": 0,
        "e0pd": false,
        "ptwnnc": false,
        "dpt": false
      },
      "idr4": {
        "impl_def": 0
      },
      "idr5": {
        "oas": 5,
        "gran4k": true,
        "gran16k": true,
        "gran64k": true,
        "ds": false,
        "d128": false,
        "vax": 0,
        "stall_max": 64
      },
      "iidr": {
        "implementer": 1083,
        "revision": 2,
        "variant": 2,
        "productid": 1155
      },
      "aidr": {
        "arch_minor_rev": 1,
        "arch_major_rev": 0
      },
      "raw": {
        "idr0": "0x080f7e3f",
        "idr1": "0x0e739d18",
        "idr2": "0x00000000",
        "idr3": "0x0000003c",
        "idr4": "0x00000000",
        "idr5": "0x00400075",
        "iidr": "0x4832243b",
        "aidr": "0x00000001"
      },
      "reserved_bits_set": {},
      "user_space_may_rely": [
        "idr0.ttf",
        "idr0.asid16",
        "idr0.cd2l",
        "idr0.ttendian",
        "idr0.stall_model",
        "idr0.term_model",
        "idr0.st_lvl",
        "idr1.sidsize",
        "idr1.ssidsize",
        "idr3.ril",
        "idr3.bbm",
        "idr5.gran4k",
        "idr5.gran16k",
        "idr5.gran64k",
        "idr5.vax",
        "iidr.implementer",
        "iidr.revision",
        "iidr.variant",
        "iidr.productid",
        "aidr.arch_minor_rev",
        "aidr.arch_major_rev"
      ],
      "facts": {
        "first_stage": {
          "supported": true,
          "page_table_levels": null,
          "address_widths": [
            48
          ],
          "max_address_width": 48,
          "page_sizes": [
            4096,
            16384,
            65536,
            2097152,
            33554432,
            536870912,
            1073741824
          ]
        },
        "second_stage": {
          "supported": true,
          "page_table_levels": null,
          "address_widths": null,
          "max_address_width": 48,
          "page_sizes": [
            4096,
            16384,
            65536,
            2097152,
            33554432,
            536870912,
            1073741824
          ]
        },
        "output_address_width": 48,
        "pasid_bits": 20,
        "nesting": true,
        "dirty_tracking": false,
        "ats": true,
        "pri": true
      }
    },
    "vendor_bytes": null
  },
  "pci_capabilities": {
    "source": "vfio",
    "config_space_length": 4096,
    "extended_space_readable": true,
    "extended_capability_ids": [
      "0x000f",
      "0x001b",
      "0x0013"
    ],
    "pasid": {
      "offset": "0x110",
      "max_width": 20,
      "execute": false,
      "privileged": false,
      "enabled": false
    },
    "ats": {
      "offset": "0x100",
      "invalidate_queue_depth": 0,
      "page_aligned_request": true,
      "global_invalidate": false,
      "enabled": false,
      "smallest_translation_unit": 0
    },
    "pri": {
      "offset": "0x120",
      "enabled": false,
      "outstanding_page_request_capacity": 512,
      "outstanding_page_request_allocation": 0,
      "response_pasid_required": true
    }
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
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device",
          "no pasid: device PASID width 20, but the vIOMMU does not want PASID attach"
        ]
      },
      "summary": "allocate an HWPT with []: no dirtyTracking: the IOMMU does not report dirty tracking for this device; no pasid: device PASID width 20, but the vIOMMU does not want PASID attach",
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
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device",
          "no pasid: device PASID width 20, but the vIOMMU does not want PASID attach"
        ]
      },
      "summary": "allocate an HWPT with []: no dirtyTracking: the IOMMU does not report dirty tracking for this device; no pasid: device PASID width 20, but the vIOMMU does not want PASID attach",
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
          "pasid"
        ],
        "bypassReadOnly": false,
        "reasons": [
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device",
          "nestParent: the vIOMMU wants a nesting parent",
          "pasid: device PASID width 20, vIOMMU wants PASID attach"
        ]
      },
      "summary": "allocate an HWPT with [nestParent, pasid]: no dirtyTracking: the IOMMU does not report dirty tracking for this device; nestParent: the vIOMMU wants a nesting parent; pasid: device PASID width 20, vIOMMU wants PASID attach",
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
          "nestParent"
        ],
        "bypassReadOnly": false,
        "reasons": [
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device",
          "nestParent: the vIOMMU wants a nesting parent",
          "no pasid: device PASID width 20, but the vIOMMU does not want PASID attach"
        ]
      },
      "summary": "allocate an HWPT with [nestParent]: no dirtyTracking: the IOMMU does not report dirty tracking for this device; nestParent: the vIOMMU wants a nesting parent; no pasid: device PASID width 20, but the vIOMMU does not want PASID attach",
      "warnings": []
    }
  ]
}

"""##
}
