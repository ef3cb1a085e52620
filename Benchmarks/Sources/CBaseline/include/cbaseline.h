/*
 * swift-iommufd benchmarks: the C baseline.
 *
 * Every function here makes exactly the system calls the Swift side makes
 * through the IOMMUFD library, written the way a C program would (a struct on
 * the stack, glibc's ioctl), compiled with -O2 against the project's own
 * pinned UAPI declarations (Sources/CIOMMUFD, Sources/CIOMMUFDSelftest) — not
 * the system's headers. Each loop runs `iterations` times and returns 0, or
 * the negative errno of the first failure.
 *
 * The cb_qemu_* functions are QEMU's autodomain algorithm
 * (hw/vfio/iommufd.c: iommufd_cdev_autodomains_get / _put,
 * iommufd_cdev_attach_ioas_hwpt, iommufd_cdev_detach_ioas_hwpt) transliterated,
 * with its data structures reduced to an array; they count the ioctls they
 * issue. They run on the real kernel (ioctl) or, through a callback, on the
 * in-memory kernel model.
 */
#ifndef CBASELINE_H
#define CBASELINE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t cb_now_ns(void);

/* CLOCK_THREAD_CPUTIME_ID in nanoseconds: the calling thread's CPU time,
 * which does not advance while another process has the CPU. */
uint64_t cb_thread_cpu_ns(void);

/* The cost of a function boundary around a system call: the same
 * IOMMU_IOAS_UNMAP as cb_bare_ioctl, issued from a non-inlined C function
 * (what any library, C or Swift, adds unless its callers inline it). */
void cb_wrapped_ioctl(int fd, long iterations);

/* ---- One operation, `iterations` times ------------------------------------ */

/* IOMMU_IOAS_MAP of [memory, memory + length) at the fixed `iova`
 * (readable | writeable), then IOMMU_IOAS_UNMAP of it. */
int cb_map_unmap(int iommufd, uint32_t ioas, void *memory, uint64_t length, uint64_t iova, long iterations);

/* IOMMU_GET_HW_INFO into a 128-byte buffer (the library's stack buffer
 * size), reading the VT-d registers out; *sink collects them. */
int cb_get_hw_info(int iommufd, uint32_t dev_id, long iterations, uint64_t *sink);

/* IOMMU_HWPT_ALLOC (paging, on `pt_id`, with `flags`), then IOMMU_DESTROY. */
int cb_hwpt_alloc_destroy(int iommufd, uint32_t dev_id, uint32_t pt_id, uint32_t flags, long iterations);

/* VFIO_DEVICE_ATTACH_IOMMUFD_PT to `pt_id`, then VFIO_DEVICE_DETACH_IOMMUFD_PT. */
int cb_attach_detach(int device_fd, uint32_t pt_id, long iterations);

/* IOMMU_TEST_CMD(MOCK_DOMAIN_REPLACE) of mock device `stdev_id` to `pt_a`,
 * then to `pt_b`. */
int cb_mock_replace_pair(int iommufd, uint32_t stdev_id, uint32_t pt_a, uint32_t pt_b, long iterations);

/* IOMMU_IOAS_UNMAP on a descriptor that fails it (e.g. /dev/null: ENOTTY):
 * returns the number of calls that failed with `expected_errno`. */
long cb_failing_unmap(int fd, uint32_t ioas, int expected_errno, long iterations);

/* The bare syscall: ioctl(fd, IOMMU_IOAS_UNMAP, &unmap) with no checks. */
void cb_bare_ioctl(int fd, long iterations);

/* ---- A success path on any machine ------------------------------------------ */

/* Installs a seccomp filter on the calling thread (and PR_SET_NO_NEW_PRIVS)
 * under which every ioctl(2) on descriptor `fd` returns 0 without running:
 * SECCOMP_RET_ERRNO with errno 0. Other system calls and descriptors are
 * untouched. Returns 0, or -errno when seccomp filters are unavailable. */
int cb_install_succeeding_ioctl_filter(int fd);

/* ---- QEMU's autodomain algorithm ---------------------------------------------- */

/* ioctl through a callback: 0/non-negative result, or -errno. NULL means
 * the real ioctl(2). */
typedef int (*cb_ioctl_fn)(void *context, int fd, unsigned long request, void *argument);

struct cb_qemu_env {
	cb_ioctl_fn ioctl;
	void *context;
	long ioctls;          /* incremented by every ioctl issued */
};

#define CB_QEMU_MAX_HWPTS 64

struct cb_qemu_hwpt {
	uint32_t hwpt_id;
	uint32_t hwpt_flags;
	int devices;          /* QEMU's device_list, reduced to its length */
};

/* VFIOIOMMUFDContainer: hwpt_list newest first (QLIST_INSERT_HEAD). */
struct cb_qemu_container {
	int iommufd;
	uint32_t ioas_id;
	int count;
	struct cb_qemu_hwpt hwpt_list[CB_QEMU_MAX_HWPTS];
	int dirty_pages_supported;
};

/* VFIODevice: a VFIO cdev (attach with VFIO_DEVICE_ATTACH_IOMMUFD_PT on
 * device_fd) or, when mock_stdev_id != 0, the kernel's mock device (attach
 * with IOMMU_TEST_CMD(MOCK_DOMAIN_REPLACE) on the iommufd). */
struct cb_qemu_device {
	int device_fd;
	uint32_t devid;
	uint32_t mock_stdev_id;
	uint32_t hwpt_id;     /* vbasedev->hwpt, 0 when none */
	int iommu_dirty_tracking;
};

/* iommufd_cdev_autodomains_get (not CPR-incoming): 0 or -errno. */
int cb_qemu_autodomains_get(struct cb_qemu_env *env, struct cb_qemu_container *container,
                            struct cb_qemu_device *device);

/* iommufd_cdev_detach_container: the detach ioctl (mock devices have none:
 * skipped), then iommufd_cdev_autodomains_put (IOMMU_DESTROY of the HWPT
 * when the device was its last). */
void cb_qemu_detach_container(struct cb_qemu_env *env, struct cb_qemu_container *container,
                              struct cb_qemu_device *device);

/* autodomains_get then detach_container, `iterations` times. */
int cb_qemu_attach_detach(struct cb_qemu_env *env, struct cb_qemu_container *container,
                          struct cb_qemu_device *device, long iterations);

/* The same loop made thread-safe the way a C caller would share the
 * container between threads: autodomains_get and detach_container each under
 * a process-wide pthread mutex (QEMU's QemuMutex is one), as
 * AutodomainContainer takes its lock once for attach and once for detach. */
int cb_qemu_attach_detach_pthread_locked(struct cb_qemu_env *env, struct cb_qemu_container *container,
                                 struct cb_qemu_device *device, long iterations);

/* The same with a lock of the kind Swift's Mutex is on Linux: taken with one
 * inlined compare-and-swap, released with one inlined atomic exchange (a
 * futex system call only when contended). */
int cb_qemu_attach_detach_futex_locked(struct cb_qemu_env *env, struct cb_qemu_container *container,
                                       struct cb_qemu_device *device, long iterations);

#ifdef __cplusplus
}
#endif

#endif /* CBASELINE_H */
