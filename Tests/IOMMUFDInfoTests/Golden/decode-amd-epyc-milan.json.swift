// Golden output `decode-amd-epyc-milan.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let decode_amd_epyc_milan_json = ##"""
{
  "type": "amd",
  "efr": {
    "prefetch": false,
    "ppr": true,
    "x2apic": true,
    "nx": true,
    "gt": false,
    "gappi_sup": false,
    "ia": true,
    "ga": true,
    "he": false,
    "pc": true,
    "hats": 2,
    "gats": 0,
    "glx": 1,
    "smif_sup": 1,
    "smif_rc": 2,
    "gam_vapic": false,
    "dual_ppr_log_sup": 2,
    "dual_event_log_sup": 2,
    "sats_sup": false,
    "pasmax": 0,
    "us_sup": true,
    "dev_tbl_seg_sup": 3,
    "ppr_ovrflw_early_sup": true,
    "ppr_auto_rsp_sup": true,
    "marc_sup": 1,
    "blk_stop_mrk_sup": true,
    "perf_opt_sup": true,
    "msicapmmiosup": true,
    "giosup": true,
    "hasup": true,
    "ephsup": true,
    "attr_fw_sup": true,
    "hdsup": true,
    "inv_iotlb_type_sup": false,
    "viommu_sup": false,
    "vm_guard_io_sup": false,
    "vm_table_size": 2,
    "ga_update_dis_sup": false,
    "force_phys_dest_sup": false,
    "snp": true
  },
  "efr2": {
    "sevsnpio_sup": false,
    "gcr3trpmode": false,
    "snpavicsup": 0,
    "num_int_remap_sup": 0,
    "ht_range_ignore": false
  },
  "raw": {
    "efr": "0x841f77e022094ace",
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
    "pasid_bits": 0,
    "nesting": false,
    "dirty_tracking": true,
    "ats": null,
    "pri": true
  }
}

"""##
}
