// Golden output `decode-vtd-qemu-vm-sysfs.txt` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let decode_vtd_qemu_vm_sysfs_txt = ##"""
Intel VT-d (IOMMU_HW_INFO_TYPE_INTEL_VTD)
	flags  0x00000000  iommu_hw_info_vtd flags
		Flags: ERRATA_772415_SPR17-
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

"""##
}
