// Golden output `decode-vtd-qemu-vm.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let decode_vtd_qemu_vm_json = ##"""
{
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
}

"""##
}
