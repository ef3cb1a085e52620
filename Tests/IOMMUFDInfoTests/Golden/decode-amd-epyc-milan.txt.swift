// Golden output `decode-amd-epyc-milan.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let decode_amd_epyc_milan_txt = ##"""
AMD IOMMU (IOMMU_HW_INFO_TYPE_AMD)
	efr    0x841f77e022094ace  Extended Feature Register (EFR)
		Flags: PreFSup- PPRSup*+ XTSup+ NXSup+ GTSup*- GAPPISup- IASup+ GASup*+ HESup- PCSup+ GAMSup-
		       SATSSup- USSup+ PprOvrflwEarlySup+ PPRAutoRspSup+ BlkStopMrkSup+ PerfOptSup+ MsiCapMmioSup+
		       GIoSup*+ HASup+ EPHSup*+ AttrFWSup+ HDSup+ InvIotlbTypeSup- vIommuSup- VMGuardIOSup-
		       GAUpdateDisSup- ForcePhysDestSup- SNPSup+
		HATS             hats                [11:10] 2 (6-level)
		GATS*            gats                [13:12] 0 (4-level)
		GLXSup*          glx                 [15:14] 1 (2-level GCR3 table)
		SmiFSup          smif_sup            [17:16] 1
		SmiFRC           smif_rc             [20:18] 2
		DualPprLogSup    dual_ppr_log_sup    [25:24] 2
		DualEventLogSup  dual_event_log_sup  [29:28] 2
		PASmax*          pasmax              [36:32] 0
		DevTblSegSup     dev_tbl_seg_sup     [39:38] 3
		MarcSup          marc_sup            [43:42] 1
		VMTableSize      vm_table_size       [60:57] 2
	efr2   0x0000000000000000  Extended Feature 2 Register (EFR2)
		Flags: SEVSNPIOSup- GCR3TRPMode- HTRangeIgnore-
		SNPAVICSup      snpavicsup         [7:5]   0 (none)
		NumIntRemapSup  num_int_remap_sup  [9:8]   0 (512 entries)
	Reserved/undefined bits set: none
	* = field the iommufd UAPI lets user space rely on
	Derived facts:
		First stage:    no
		Second stage:   yes; levels 1, 2, 3, 4, 5, 6; widths 21, 30, 39, 48, 57, 64 bits (max 64); pages 4K-256G 1T-2P
		PASID:          no
		Nesting:        no
		Dirty tracking: yes
		ATS:            unknown
		PRI:            yes

"""##
}
