// Golden output `show-smmuv3.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let show_smmuv3_txt = ##"""
vfio0 (0000:01:00.1)
	Node:           /dev/vfio/devices/vfio0 (252:0)
	PCI device:     0000:01:00.1 [15b3:101e] class 020000
	Driver:         vfio-pci
	IOMMU group:    7
	IOMMU:          smmu3.0x0000000009050000
	Kernel:         Linux 7.2.13
	iommufd:        /dev/iommu, bound as device 1
	VFIO device:    [pci], 9 regions, 5 IRQ types
	Reserved IOVA:  0x0000000008000000-0x00000000080fffff reserved
IOMMU_GET_HW_INFO:
	Info type:      ARM SMMUv3 (IOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2)
	Capabilities:   [] (0x0)
	PASID width:    20 bits
	Vendor data:    40 bytes
	ARM SMMUv3 (IOMMU_HW_INFO_TYPE_ARM_SMMUV3), SMMUv3.1
		idr0   0x080f7e3f  SMMU_IDR0
			Flags: S2P+ S1P+ COHACC+ BTM+ DORMHINT- HYP+ ATS+ NS1ATS+ ASID16*+ MSI+ SEV+ ATOS- PRI+ VMW+
			       VMID16+ CD2L*+ VATOS- ATSRECERR- TERM_MODEL*- RME_IMPL-
			TTF*          ttf          [3:2]   3 (AArch32 and AArch64)
			HTTU          httu         [7:6]   0 (none)
			TTENDIAN*     ttendian     [22:21] 0 (mixed)
			STALL_MODEL*  stall_model  [25:24] 0 (stall and terminate)
			ST_LEVEL*     st_lvl       [28:27] 1 (2-level)
		idr1   0x0e739d18  SMMU_IDR1
			Flags: ATTR_PERMS_OVR+ ATTR_TYPES_OVR+ REL- QUEUES_PRESET- TABLES_PRESET- ECMDQ-
			SIDSIZE*   sidsize   [5:0]   24 bits
			SSIDSIZE*  ssidsize  [10:6]  20 bits
			PRIQS      priqs     [15:11] 19 (524288 entries)
			EVENTQS    evtqs     [20:16] 19 (524288 entries)
			CMDQS      cmdqs     [25:21] 19 (524288 entries)
		idr2   0x00000000  SMMU_IDR2
			BA_VATOS  ba_vatos  [9:0]   0x000
		idr3   0x0000003c  SMMU_IDR3
			Flags: HAD+ PBHA+ XNX+ PPS+ MPAM- FWB- STT- RIL*- E0PD- PTWNNC- DPT-
			BBML*  bbm  [12:11] 0 (level 0)
		idr4   0x00000000  SMMU_IDR4
			IMPLEMENTATION DEFINED  impl_def  [31:0]  0x00000000
		idr5   0x00400075  SMMU_IDR5
			Flags: GRAN4K*+ GRAN16K*+ GRAN64K*+ DS- D128-
			OAS        oas        [2:0]   5 (48-bit)
			VAX*       vax        [11:10] 0 (48-bit)
			STALL_MAX  stall_max  [31:16] 64
		iidr   0x4832243b  SMMU_IIDR
			Implementer*  implementer  [11:0]  0x43b
			Revision*     revision     [15:12] 2
			Variant*      variant      [19:16] 2
			ProductID*    productid    [31:20] 0x483
		aidr   0x00000001  SMMU_AIDR
			ArchMinorRev*  arch_minor_rev  [3:0]   1
			ArchMajorRev*  arch_major_rev  [7:4]   0
		Reserved/undefined bits set: none
		* = field the iommufd UAPI lets user space rely on
		Derived facts:
			First stage:    yes; widths 48 bits (max 48); pages 4K 16K 64K 2M 32M 512M 1G
			Second stage:   yes; max width 48 bits; pages 4K 16K 64K 2M 32M 512M 1G
			Output address: 48 bits
			PASID:          20 bits
			Nesting:        yes
			Dirty tracking: no
			ATS:            yes
			PRI:            yes
PCI Express capabilities (config space through VFIO, 4096 bytes):
	PASID:          at 0x110: width 20 bits, execute- privileged- enabled-
	ATS:            at 0x100: invalidate queue depth 32, page-aligned+ global-invalidate- enabled- STU 4K
	PRI:            at 0x120: outstanding page requests 0/512, PASID-in-response+ enabled-
	Extended caps:  0x000f 0x001b 0x0013
Autodomain policy (a fresh container; what it would allocate for this device):
	no vIOMMU:             allocate an HWPT with []
		no dirtyTracking: the IOMMU does not report dirty tracking for this device
		no pasid: device PASID width 20, but the vIOMMU does not want PASID attach
	Intel VT-d:            allocate an HWPT with []
		no dirtyTracking: the IOMMU does not report dirty tracking for this device
		no pasid: device PASID width 20, but the vIOMMU does not want PASID attach
	Intel VT-d with PASID: allocate an HWPT with [nestParent, pasid]
		no dirtyTracking: the IOMMU does not report dirty tracking for this device
		nestParent: the vIOMMU wants a nesting parent
		pasid: device PASID width 20, vIOMMU wants PASID attach
	ARM SMMUv3 (nested):   allocate an HWPT with [nestParent]
		no dirtyTracking: the IOMMU does not report dirty tracking for this device
		nestParent: the vIOMMU wants a nesting parent
		no pasid: device PASID width 20, but the vIOMMU does not want PASID attach
	`iommufd-info probe vfio0` shows which flags the kernel accepts.

"""##
}
