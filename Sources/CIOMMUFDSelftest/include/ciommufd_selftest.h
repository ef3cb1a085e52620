/*
 * swift-iommufd: the part of the kernel's test-only iommufd ABI
 * (drivers/iommu/iommufd/iommufd_test.h, present when the kernel is built with
 * CONFIG_IOMMUFD_TEST) that IOMMUFDTesting uses to drive the kernel's mock
 * device. Declared by this project from the ABI facts, pinned to Linux 7.2 and
 * checked against the real header by scripts/check-uapi-layout.
 *
 * This ABI is not stable: it changes with the kernel's selftests. Only the
 * operations below are used; the union keeps its full size (72 bytes in all).
 */
#ifndef CIOMMUFD_SELFTEST_H
#define CIOMMUFD_SELFTEST_H

#include <linux/types.h>
#include "ciommufd_iommufd.h"

/* Operations of IOMMU_TEST_CMD, numbered from 1 in the kernel's order. */
enum {
	IOMMU_TEST_OP_ADD_RESERVED = 1,
	IOMMU_TEST_OP_MOCK_DOMAIN = 2,
	IOMMU_TEST_OP_MD_CHECK_MAP = 3,
	IOMMU_TEST_OP_MD_CHECK_REFS = 4,
	IOMMU_TEST_OP_CREATE_ACCESS = 5,
	IOMMU_TEST_OP_DESTROY_ACCESS_PAGES = 6,
	IOMMU_TEST_OP_ACCESS_PAGES = 7,
	IOMMU_TEST_OP_ACCESS_RW = 8,
	IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT = 9,
	IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE = 10,
	IOMMU_TEST_OP_ACCESS_REPLACE_IOAS = 11,
	IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS = 12,
	IOMMU_TEST_OP_DIRTY = 13,
	IOMMU_TEST_OP_MD_CHECK_IOTLB = 14,
	IOMMU_TEST_OP_TRIGGER_IOPF = 15,
	IOMMU_TEST_OP_DEV_CHECK_CACHE = 16,
	IOMMU_TEST_OP_TRIGGER_VEVENT = 17,
	IOMMU_TEST_OP_PASID_ATTACH = 18,
	IOMMU_TEST_OP_PASID_REPLACE = 19,
	IOMMU_TEST_OP_PASID_DETACH = 20,
	IOMMU_TEST_OP_PASID_CHECK_HWPT = 21,
	IOMMU_TEST_OP_DMABUF_GET = 22,
	IOMMU_TEST_OP_DMABUF_REVOKE = 23,
};

/* The mock IOMMU's default geometry. */
enum {
	MOCK_APERTURE_START = 1UL << 24,
	MOCK_APERTURE_LAST = (1UL << 31) - 1,
	MOCK_PAGE_SIZE = 2048,
	MOCK_HUGE_PAGE_SIZE = 512 * 2048,
};

/* dev_flags of IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS. */
enum {
	MOCK_FLAGS_DEVICE_NO_DIRTY = 1 << 0,
	MOCK_FLAGS_DEVICE_PASID = 1 << 2,
};

/* The PASID width a mock device created with MOCK_FLAGS_DEVICE_PASID reports. */
#define MOCK_PASID_WIDTH 20

/* GET_HW_INFO of a mock device: this type, with struct iommu_test_hw_info. */
#define IOMMU_HW_INFO_TYPE_SELFTEST 0xfeedbeef
#define IOMMU_HW_INFO_SELFTEST_REGVAL 0xdeadbeef

struct iommu_test_hw_info {
	__u32 flags;
	__u32 test_reg;
};

/* IOMMU_TEST_CMD: one test operation on the iommufd. `id` is the object the
 * operation applies to (an IOAS for MOCK_DOMAIN*, the mock device's stdev ID
 * for MOCK_DOMAIN_REPLACE and the PASID operations, an HWPT for DIRTY). */
struct iommu_test_cmd {
	__u32 size;
	__u32 op;
	__u32 id;
	__u32 __reserved;
	union {
		struct {
			__aligned_u64 start;
			__aligned_u64 length;
		} add_reserved;
		struct {
			__u32 out_stdev_id;
			__u32 out_hwpt_id;
			__u32 out_idev_id;
		} mock_domain;
		struct {
			__u32 out_stdev_id;
			__u32 out_hwpt_id;
			__u32 out_idev_id;
			__u32 dev_flags;
		} mock_domain_flags;
		struct {
			__u32 pt_id;
		} mock_domain_replace;
		struct {
			__aligned_u64 iova;
			__aligned_u64 length;
			__aligned_u64 uptr;
		} check_map;
		struct {
			__u32 flags;
			__aligned_u64 iova;
			__aligned_u64 length;
			__aligned_u64 page_size;
			__aligned_u64 uptr;
			__aligned_u64 out_nr_dirty;
		} dirty;
		struct {
			__u32 pasid;
			__u32 pt_id;
		} pasid_attach;
		struct {
			__u32 pasid;
			__u32 pt_id;
		} pasid_replace;
		struct {
			__u32 pasid;
		} pasid_detach;
		struct {
			__u32 pasid;
			__u32 hwpt_id;
		} pasid_check;
	};
	__u32 last;
};
#define IOMMU_TEST_CMD _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32)

_Static_assert(sizeof(struct iommu_test_cmd) == 72, "struct iommu_test_cmd must be 72 bytes");
_Static_assert(sizeof(struct iommu_test_hw_info) == 8, "struct iommu_test_hw_info must be 8 bytes");

/* The request number, importable by Swift. */
static const unsigned long CIOMMUFD_IOMMU_TEST_CMD = IOMMU_TEST_CMD;

#endif /* CIOMMUFD_SELFTEST_H */
