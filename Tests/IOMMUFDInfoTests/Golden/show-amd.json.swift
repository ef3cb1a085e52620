// Golden output `show-amd.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let show_amd_json = ##"""
{
  "device": {
    "name": "vfio0",
    "node": "/dev/vfio/devices/vfio0",
    "node_present": true,
    "device_number": "252:0",
    "sysfs_path": "/sys/devices/pci0000:00/0000:00:02.0",
    "pci_address": "0000:00:02.0",
    "mediated": null,
    "vendor_id": "0x1234",
    "device_id": "0x11e8",
    "class": "0x00ff00",
    "driver": "vfio-pci",
    "iommu_group": 1,
    "iommu": "ivhd0"
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
    },
    {
      "start": "0x000000fd00000000",
      "last": "0x000000ffffffffff",
      "type": "reserved"
    }
  ],
  "hardware_info": {
    "type": "amd",
    "type_value": 4,
    "type_name": "IOMMU_HW_INFO_TYPE_AMD",
    "capabilities": [
      "pciATSNotSupported"
    ],
    "capabilities_value": "0x0000000000000008",
    "max_pasid_log2": 0,
    "vendor_data_length": 16,
    "vendor": {
      "type": "amd",
      "efr": {
        "prefetch": true,
        "ppr": true,
        "x2apic": false,
        "nx": false,
        "gt": true,
        "gappi_sup": false,
        "ia": true,
        "ga": true,
        "he": true,
        "pc": false,
        "hats": 2,
        "gats": 2,
        "glx": 0,
        "smif_sup": 0,
        "smif_rc": 0,
        "gam_vapic": false,
        "dual_ppr_log_sup": 0,
        "dual_event_log_sup": 0,
        "sats_sup": false,
        "pasmax": 0,
        "us_sup": false,
        "dev_tbl_seg_sup": 0,
        "ppr_ovrflw_early_sup": false,
        "ppr_auto_rsp_sup": false,
        "marc_sup": 0,
        "blk_stop_mrk_sup": false,
        "perf_opt_sup": false,
        "msicapmmiosup": false,
        "giosup": false,
        "hasup": false,
        "ephsup": false,
        "attr_fw_sup": false,
        "hdsup": false,
        "inv_iotlb_type_sup": false,
        "viommu_sup": false,
        "vm_guard_io_sup": false,
        "vm_table_size": 0,
        "ga_update_dis_sup": false,
        "force_phys_dest_sup": false,
        "snp": false
      },
      "efr2": {
        "sevsnpio_sup": false,
        "gcr3trpmode": false,
        "snpavicsup": 0,
        "num_int_remap_sup": 0,
        "ht_range_ignore": false
      },
      "raw": {
        "efr": "0x00000000000029d3",
        "efr2": "0x0000000000000000"
      },
      "reserved_bits_set": {},
      "user_space_may_rely": [
        "efr.ppr",
        "efr.gt",
        "efr.ga",
        "efr.gats",
        "efr.glx",
        "efr.pasmax",
        "efr.giosup",
        "efr.ephsup"
      ],
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
            1,
            2,
            3,
            4,
            5,
            6
          ],
          "address_widths": [
            21,
            30,
            39,
            48,
            57,
            64
          ],
          "max_address_width": 64,
          "page_sizes": [
            4096,
            8192,
            16384,
            32768,
            65536,
            131072,
            262144,
            524288,
            1048576,
            2097152,
            4194304,
            8388608,
            16777216,
            33554432,
            67108864,
            134217728,
            268435456,
            536870912,
            1073741824,
            2147483648,
            4294967296,
            8589934592,
            17179869184,
            34359738368,
            68719476736,
            137438953472,
            274877906944,
            1099511627776,
            2199023255552,
            4398046511104,
            8796093022208,
            17592186044416,
            35184372088832,
            70368744177664,
            140737488355328,
            281474976710656,
            562949953421312,
            1125899906842624,
            2251799813685248
          ]
        },
        "output_address_width": null,
        "pasid_bits": 1,
        "nesting": false,
        "dirty_tracking": false,
        "ats": null,
        "pri": true
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
        "bypassReadOnly": false,
        "reasons": [
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device",
          "nestParent: the vIOMMU wants a nesting parent",
          "no pasid: the vIOMMU wants PASID attach, but the device reports no PASID width"
        ]
      },
      "summary": "allocate an HWPT with [nestParent]: no dirtyTracking: the IOMMU does not report dirty tracking for this device; nestParent: the vIOMMU wants a nesting parent; no pasid: the vIOMMU wants PASID attach, but the device reports no PASID width",
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
        "bypassReadOnly": false,
        "reasons": [
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device",
          "nestParent: the vIOMMU wants a nesting parent"
        ]
      },
      "summary": "allocate an HWPT with [nestParent]: no dirtyTracking: the IOMMU does not report dirty tracking for this device; nestParent: the vIOMMU wants a nesting parent",
      "warnings": [
        "the IOMMU's registers report no nested translation: the kernel will refuse nestParent (EOPNOTSUPP), so this vIOMMU cannot be accelerated here"
      ]
    }
  ]
}

"""##
}
