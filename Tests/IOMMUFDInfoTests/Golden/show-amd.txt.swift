// Golden output `show-amd.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let show_amd_txt = ##"""
vfio0 (0000:00:02.0)
	Node:           /dev/vfio/devices/vfio0 (252:0)
	PCI device:     0000:00:02.0 [1234:11e8] class 00ff00
	Driver:         vfio-pci
	IOMMU group:    1
	IOMMU:          ivhd0
	Kernel:         Linux 7.2.13
	iommufd:        /dev/iommu, bound as device 1
	VFIO device:    [pci], 9 regions, 5 IRQ types
	Reserved IOVA:  0x00000000fee00000-0x00000000feefffff msi
	                0x000000fd00000000-0x000000ffffffffff reserved
IOMMU_GET_HW_INFO:
	Info type:      AMD IOMMU (IOMMU_HW_INFO_TYPE_AMD = 4)
	Capabilities:   [pciATSNotSupported] (0x8)
	PASID width:    0 (no PASID: the device or the IOMMU driver has no usable PASID support)
	Vendor data:    16 bytes
	AMD IOMMU (IOMMU_HW_INFO_TYPE_AMD)
		efr    0x00000000000029d3  Extended Feature Register (EFR)
			Flags: PreFSup+ PPRSup*+ XTSup- NXSup- GTSup*+ GAPPISup- IASup+ GASup*+ HESup+ PCSup- GAMSup-
			       SATSSup- USSup- PprOvrflwEarlySup- PPRAutoRspSup- BlkStopMrkSup- PerfOptSup- MsiCapMmioSup-
			       GIoSup*- HASup- EPHSup*- AttrFWSup- HDSup- InvIotlbTypeSup- vIommuSup- VMGuardIOSup-
			       GAUpdateDisSup- ForcePhysDestSup- SNPSup-
			HATS             hats                [11:10] 2 (6-level)
			GATS*            gats                [13:12] 2 (6-level)
			GLXSup*          glx                 [15:14] 0 (1-level GCR3 table)
			SmiFSup          smif_sup            [17:16] 0
			SmiFRC           smif_rc             [20:18] 0
			DualPprLogSup    dual_ppr_log_sup    [25:24] 0
			DualEventLogSup  dual_event_log_sup  [29:28] 0
			PASmax*          pasmax              [36:32] 0
			DevTblSegSup     dev_tbl_seg_sup     [39:38] 0
			MarcSup          marc_sup            [43:42] 0
			VMTableSize      vm_table_size       [60:57] 0
		efr2   0x0000000000000000  Extended Feature 2 Register (EFR2)
			Flags: SEVSNPIOSup- GCR3TRPMode- HTRangeIgnore-
			SNPAVICSup      snpavicsup         [7:5]   0 (none)
			NumIntRemapSup  num_int_remap_sup  [9:8]   0 (512 entries)
		Reserved/undefined bits set: none
		* = field the iommufd UAPI lets user space rely on
		Derived facts:
			First stage:    no
			Second stage:   yes; levels 1, 2, 3, 4, 5, 6; widths 21, 30, 39, 48, 57, 64 bits (max 64); pages 4K-256G 1T-2P
			PASID:          1 bit
			Nesting:        no
			Dirty tracking: no
			ATS:            unknown
			PRI:            yes
PCI Express capabilities (config space through VFIO, 256 bytes):
	no extended config space (offset 0x100 on): a conventional PCI device, so no PASID, ATS or PRI
	PASID:          not present
	ATS:            not present
	PRI:            not present
Autodomain policy (a fresh container; what it would allocate for this device):
	no vIOMMU:             allocate an HWPT with []
		no dirtyTracking: the IOMMU does not report dirty tracking for this device
	Intel VT-d:            allocate an HWPT with []
		no dirtyTracking: the IOMMU does not report dirty tracking for this device
	Intel VT-d with PASID: allocate an HWPT with [nestParent]
		no dirtyTracking: the IOMMU does not report dirty tracking for this device
		nestParent: the vIOMMU wants a nesting parent
		no pasid: the vIOMMU wants PASID attach, but the device reports no PASID width
		warning: the IOMMU's registers report no nested translation: the kernel will refuse nestParent (EOPNOTSUPP), so this vIOMMU cannot be accelerated here
	ARM SMMUv3 (nested):   allocate an HWPT with [nestParent]
		no dirtyTracking: the IOMMU does not report dirty tracking for this device
		nestParent: the vIOMMU wants a nesting parent
		warning: the IOMMU's registers report no nested translation: the kernel will refuse nestParent (EOPNOTSUPP), so this vIOMMU cannot be accelerated here
	`iommufd-info probe vfio0` shows which flags the kernel accepts.

"""##
}
