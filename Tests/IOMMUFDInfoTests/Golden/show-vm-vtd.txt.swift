// Golden output `show-vm-vtd.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let show_vm_vtd_txt = ##"""
vfio0 (0000:00:01.0)
	Node:           /dev/vfio/devices/vfio0 (252:0)
	PCI device:     0000:00:01.0 [1234:11e8] class 00ff00
	Driver:         vfio-pci
	IOMMU group:    1
	IOMMU:          dmar0
	Kernel:         Linux 7.2.13
	iommufd:        /dev/iommu, bound as device 1
	VFIO device:    [pci], 9 regions, 5 IRQ types
	Reserved IOVA:  0x00000000fee00000-0x00000000feefffff msi
IOMMU_GET_HW_INFO:
	Info type:      Intel VT-d (IOMMU_HW_INFO_TYPE_INTEL_VTD = 1)
	Capabilities:   [pciATSNotSupported] (0x8)
	PASID width:    0 (no PASID: the device or the IOMMU driver has no usable PASID support)
	Vendor data:    24 bytes
	Intel VT-d (IOMMU_HW_INFO_TYPE_INTEL_VTD)
		flags  0x00000001  iommu_hw_info_vtd flags
			Flags: ERRATA_772415_SPR17+
		cap    0x00d2008c222f0606  Capability Register (CAP_REG)
			Flags: AFL- RWBF- PLMR- PHMR- CM- ZLR- ISOCH- PSI+ DWD+ DRD+ FS1GP- PI- FS5LP- ECMDS- ESIRTPS-
			       ESRTPS-
			ND     ndoms             [2:0]   65536
			SAGAW  sagaw             [12:8]  0x06 (39-bit/3-level, 48-bit/4-level)
			MGAW   mgaw              [21:16] 48 bits
			FRO    fault_reg_offset  [33:24] 0x220 bytes
			SLLPS  super_page_val    [37:34] 0x3 (2M, 1G)
			NFR    num_fault_regs    [47:40] 1
			MAMV   max_amask_val     [53:48] 18
		ecap   0x0000490080f00f4a  Extended Capability Register (ECAP_REG)
			Flags: C- QI+ DT- IR+ EIM- CH- PT+ SC- ECS- MTS- NEST- DIS- PASID(2.x)- PRS- ERS- SRS+ POT- NWFS-
			       EAFS- PASID+ DIT- PDS- SMTS+ VCS- SSADS- SSTS+ FSTS- SMPWCS- RPS- TDXIO- PMS- ADMS- RPRIVS-
			       HPTS- PTRS- PBDS-
			IRO   iotlb_offset     [17:8]  0xf0 bytes
			MHMV  max_handle_mask  [23:20] 15
			PSS   pss              [39:35] 0
		Reserved/undefined bits set: none
		Derived facts:
			First stage:    no
			Second stage:   yes; levels 3, 4; widths 39, 48 bits (max 48); pages 4K 2M 1G
			PASID:          1 bit
			Nesting:        no
			Dirty tracking: no
			ATS:            no
			PRI:            no
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
		nesting parent on VT-d with erratum 772415: read-only mappings are bypassed
		warning: the IOMMU's registers report no nested translation: the kernel will refuse nestParent (EOPNOTSUPP), so this vIOMMU cannot be accelerated here
	ARM SMMUv3 (nested):   allocate an HWPT with [nestParent]
		no dirtyTracking: the IOMMU does not report dirty tracking for this device
		nestParent: the vIOMMU wants a nesting parent
		nesting parent on VT-d with erratum 772415: read-only mappings are bypassed
		warning: the IOMMU's registers report no nested translation: the kernel will refuse nestParent (EOPNOTSUPP), so this vIOMMU cannot be accelerated here
	`iommufd-info probe vfio0` shows which flags the kernel accepts.

"""##
}
