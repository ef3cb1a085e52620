/*
 * swift-iommufd: the part of the VFIO user-space ABI (Linux
 * include/uapi/linux/vfio.h) this project uses: the device character device
 * (cdev) calls that bind a device to an iommufd and attach it to page tables,
 * and the device and region information calls. Declared by this project from
 * the ABI facts, pinned to the release named in ciommufd_release.h, with the
 * kernel's own names.
 *
 * Every VFIO structure starts with `argsz`, the number of bytes user space
 * passes; flags announce optional trailing fields.
 */
#ifndef CIOMMUFD_VFIO_H
#define CIOMMUFD_VFIO_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* VFIO shares the ioctl type byte ';' with iommufd; its commands start at 100. */
#define VFIO_TYPE (';')
#define VFIO_BASE 100

/* The head of each capability in a VFIO info capability chain. */
struct vfio_info_cap_header {
	__u16 id;
	__u16 version;
	__u32 next;
};

/* VFIO_DEVICE_GET_INFO: what kind of device it is and how many regions/IRQs it has. */
struct vfio_device_info {
	__u32 argsz;
	__u32 flags;
	__u32 num_regions;
	__u32 num_irqs;
	__u32 cap_offset;
	__u32 pad;
};
#define VFIO_DEVICE_FLAGS_RESET (1 << 0)
#define VFIO_DEVICE_FLAGS_PCI (1 << 1)
#define VFIO_DEVICE_FLAGS_PLATFORM (1 << 2)
#define VFIO_DEVICE_FLAGS_AMBA (1 << 3)
#define VFIO_DEVICE_FLAGS_CCW (1 << 4)
#define VFIO_DEVICE_FLAGS_AP (1 << 5)
#define VFIO_DEVICE_FLAGS_FSL_MC (1 << 6)
#define VFIO_DEVICE_FLAGS_CAPS (1 << 7)
#define VFIO_DEVICE_FLAGS_CDX (1 << 8)
#define VFIO_DEVICE_GET_INFO _IO(VFIO_TYPE, VFIO_BASE + 7)

/* VFIO_DEVICE_GET_REGION_INFO: size and file offset of region `index`. */
struct vfio_region_info {
	__u32 argsz;
	__u32 flags;
	__u32 index;
	__u32 cap_offset;
	__aligned_u64 size;
	__aligned_u64 offset;
};
#define VFIO_REGION_INFO_FLAG_READ (1 << 0)
#define VFIO_REGION_INFO_FLAG_WRITE (1 << 1)
#define VFIO_REGION_INFO_FLAG_MMAP (1 << 2)
#define VFIO_REGION_INFO_FLAG_CAPS (1 << 3)
#define VFIO_DEVICE_GET_REGION_INFO _IO(VFIO_TYPE, VFIO_BASE + 8)

/* The fixed region indexes of a vfio-pci device. */
enum {
	VFIO_PCI_BAR0_REGION_INDEX = 0,
	VFIO_PCI_BAR1_REGION_INDEX = 1,
	VFIO_PCI_BAR2_REGION_INDEX = 2,
	VFIO_PCI_BAR3_REGION_INDEX = 3,
	VFIO_PCI_BAR4_REGION_INDEX = 4,
	VFIO_PCI_BAR5_REGION_INDEX = 5,
	VFIO_PCI_ROM_REGION_INDEX = 6,
	VFIO_PCI_CONFIG_REGION_INDEX = 7,
	VFIO_PCI_VGA_REGION_INDEX = 8,
	VFIO_PCI_NUM_REGIONS = 9,
};

/*
 * VFIO_DEVICE_BIND_IOMMUFD: binds the device (cdev) to an iommufd and returns
 * its device ID there. With VFIO_DEVICE_BIND_FLAG_TOKEN, token_uuid_ptr points
 * to the 16-byte VF token UUID.
 */
struct vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
	__s32 iommufd;
	__u32 out_devid;
	__aligned_u64 token_uuid_ptr;
};
#define VFIO_DEVICE_BIND_FLAG_TOKEN (1 << 0)
#define VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)

/*
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT: attaches (or replaces) the device's, or with
 * VFIO_DEVICE_ATTACH_PASID one PASID's, page table to pt_id (an IOAS or an
 * HWPT). pt_id returns the HWPT actually attached.
 */
struct vfio_device_attach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
	__u32 pt_id;
	__u32 pasid;
};
#define VFIO_DEVICE_ATTACH_PASID (1 << 0)
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 19)

/* VFIO_DEVICE_DETACH_IOMMUFD_PT: detaches the device or, with the flag, one PASID. */
struct vfio_device_detach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
	__u32 pasid;
};
#define VFIO_DEVICE_DETACH_PASID (1 << 0)
#define VFIO_DEVICE_DETACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 20)

#endif /* CIOMMUFD_VFIO_H */
