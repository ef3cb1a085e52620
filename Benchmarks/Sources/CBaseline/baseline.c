/*
 * swift-iommufd benchmarks: the C baseline (see cbaseline.h).
 */
#define _GNU_SOURCE
#include "cbaseline.h"

#include <errno.h>
#include <pthread.h>
#include <linux/futex.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* The project's own pinned UAPI, not <linux/iommufd.h>. */
#include "ciommufd_iommufd.h"
#include "ciommufd_vfio.h"
#include "ciommufd_selftest.h"

uint64_t cb_now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t cb_thread_cpu_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int cb_map_unmap(int iommufd, uint32_t ioas, void *memory, uint64_t length, uint64_t iova, long iterations) {
	for (long i = 0; i < iterations; i++) {
		struct iommu_ioas_map map = {
			.size = sizeof(map),
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
			.ioas_id = ioas,
			.user_va = (uintptr_t)memory,
			.length = length,
			.iova = iova,
		};
		if (ioctl(iommufd, IOMMU_IOAS_MAP, &map)) return -errno;
		struct iommu_ioas_unmap unmap = {
			.size = sizeof(unmap),
			.ioas_id = ioas,
			.iova = map.iova,
			.length = length,
		};
		if (ioctl(iommufd, IOMMU_IOAS_UNMAP, &unmap)) return -errno;
	}
	return 0;
}

int cb_get_hw_info(int iommufd, uint32_t dev_id, long iterations, uint64_t *sink) {
	/* Summed in a local, as the Swift side does, and stored once. */
	uint64_t acc = 0;
	for (long i = 0; i < iterations; i++) {
		_Alignas(16) unsigned char data[128];
		memset(data, 0, sizeof(data));
		struct iommu_hw_info info = {
			.size = sizeof(info),
			.dev_id = dev_id,
			.data_len = sizeof(data),
			.data_uptr = (uintptr_t)data,
		};
		if (ioctl(iommufd, IOMMU_GET_HW_INFO, &info)) {
			*sink += acc;
			return -errno;
		}
		if (info.out_data_type == IOMMU_HW_INFO_TYPE_INTEL_VTD) {
			struct iommu_hw_info_vtd vtd;
			memcpy(&vtd, data, sizeof(vtd));
			acc += vtd.cap_reg ^ vtd.ecap_reg ^ vtd.flags;
		}
		acc += info.out_capabilities + info.out_max_pasid_log2 + info.out_data_type;
	}
	*sink += acc;
	return 0;
}

int cb_hwpt_alloc_destroy(int iommufd, uint32_t dev_id, uint32_t pt_id, uint32_t flags, long iterations) {
	for (long i = 0; i < iterations; i++) {
		struct iommu_hwpt_alloc alloc = {
			.size = sizeof(alloc),
			.flags = flags,
			.dev_id = dev_id,
			.pt_id = pt_id,
			.data_type = IOMMU_HWPT_DATA_NONE,
		};
		if (ioctl(iommufd, IOMMU_HWPT_ALLOC, &alloc)) return -errno;
		struct iommu_destroy destroy = { .size = sizeof(destroy), .id = alloc.out_hwpt_id };
		if (ioctl(iommufd, IOMMU_DESTROY, &destroy)) return -errno;
	}
	return 0;
}

int cb_attach_detach(int device_fd, uint32_t pt_id, long iterations) {
	for (long i = 0; i < iterations; i++) {
		struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach), .pt_id = pt_id };
		if (ioctl(device_fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach)) return -errno;
		struct vfio_device_detach_iommufd_pt detach = { .argsz = sizeof(detach) };
		if (ioctl(device_fd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach)) return -errno;
	}
	return 0;
}

int cb_mock_replace_pair(int iommufd, uint32_t stdev_id, uint32_t pt_a, uint32_t pt_b, long iterations) {
	for (long i = 0; i < iterations; i++) {
		struct iommu_test_cmd to_a = {
			.size = sizeof(to_a),
			.op = IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
			.id = stdev_id,
			.mock_domain_replace = { .pt_id = pt_a },
		};
		if (ioctl(iommufd, IOMMU_TEST_CMD, &to_a)) return -errno;
		struct iommu_test_cmd to_b = {
			.size = sizeof(to_b),
			.op = IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
			.id = stdev_id,
			.mock_domain_replace = { .pt_id = pt_b },
		};
		if (ioctl(iommufd, IOMMU_TEST_CMD, &to_b)) return -errno;
	}
	return 0;
}

long cb_failing_unmap(int fd, uint32_t ioas, int expected_errno, long iterations) {
	long failed = 0;
	for (long i = 0; i < iterations; i++) {
		struct iommu_ioas_unmap unmap = { .size = sizeof(unmap), .ioas_id = ioas, .iova = 0, .length = 4096 };
		if (ioctl(fd, IOMMU_IOAS_UNMAP, &unmap) && errno == expected_errno) failed++;
	}
	return failed;
}

void cb_bare_ioctl(int fd, long iterations) {
	for (long i = 0; i < iterations; i++) {
		struct iommu_ioas_unmap unmap = { .size = sizeof(unmap), .ioas_id = 1, .iova = 0, .length = 4096 };
		ioctl(fd, IOMMU_IOAS_UNMAP, &unmap);
	}
}

__attribute__((noinline)) static int unmap_one(int fd) {
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap), .ioas_id = 1, .iova = 0, .length = 4096 };
	int rc = ioctl(fd, IOMMU_IOAS_UNMAP, &unmap);
	__asm__ volatile("" ::: "memory");   /* keep it a real call */
	return rc < 0 ? -errno : rc;
}

void cb_wrapped_ioctl(int fd, long iterations) {
	for (long i = 0; i < iterations; i++) unmap_one(fd);
}

int cb_install_succeeding_ioctl_filter(int fd) {
	struct sock_filter filter[] = {
		/* Native x86-64 system calls only; anything else runs normally. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 6),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 4),
		/* ioctl(fd, ...): the descriptor is args[0] (low 32 bits; high must be 0). */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)fd, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* "Fail" with errno 0: the system call returns 0 and does nothing. */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
	};
	struct sock_fprog program = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program)) return -errno;
	return 0;
}

/* ---- QEMU's autodomain algorithm ---------------------------------------------- */

static int env_ioctl(struct cb_qemu_env *env, int fd, unsigned long request, void *argument) {
	env->ioctls++;
	if (env->ioctl) return env->ioctl(env->context, fd, request, argument);
	return ioctl(fd, request, argument) < 0 ? -errno : 0;
}

/* iommufd_cdev_attach_ioas_hwpt (for a mock device: its replace). */
static int attach_ioas_hwpt(struct cb_qemu_env *env, struct cb_qemu_container *container,
                            struct cb_qemu_device *device, uint32_t id) {
	if (device->mock_stdev_id) {
		struct iommu_test_cmd cmd = {
			.size = sizeof(cmd),
			.op = IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
			.id = device->mock_stdev_id,
			.mock_domain_replace = { .pt_id = id },
		};
		return env_ioctl(env, container->iommufd, IOMMU_TEST_CMD, &cmd);
	}
	struct vfio_device_attach_iommufd_pt attach_data = { .argsz = sizeof(attach_data), .flags = 0, .pt_id = id };
	return env_ioctl(env, device->device_fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach_data);
}

/* iommufd_backend_get_device_info(be, devid, &type, NULL, 0, &caps). */
static int get_device_info(struct cb_qemu_env *env, struct cb_qemu_container *container, uint32_t devid,
                           uint32_t *type, uint64_t *caps) {
	struct iommu_hw_info info = { .size = sizeof(info), .dev_id = devid, .data_len = 0, .data_uptr = 0 };
	int rc = env_ioctl(env, container->iommufd, IOMMU_GET_HW_INFO, &info);
	if (rc < 0) return rc;
	*type = info.out_data_type;
	*caps = info.out_capabilities;
	return 0;
}

/* iommufd_backend_free_id. */
static int free_id(struct cb_qemu_env *env, struct cb_qemu_container *container, uint32_t id) {
	struct iommu_destroy des = { .size = sizeof(des), .id = id };
	return env_ioctl(env, container->iommufd, IOMMU_DESTROY, &des);
}

int cb_qemu_autodomains_get(struct cb_qemu_env *env, struct cb_qemu_container *container,
                            struct cb_qemu_device *device) {
	uint32_t type, flags = 0;
	uint64_t hw_caps;
	uint32_t hwpt_id;
	int ret;

	/* Try to find a domain: QLIST_FOREACH over hwpt_list, newest first. */
	for (int i = 0; i < container->count; i++) {
		struct cb_qemu_hwpt *hwpt = &container->hwpt_list[i];
		ret = attach_ioas_hwpt(env, container, device, hwpt->hwpt_id);
		if (ret) {
			/* -EINVAL means the domain is incompatible with the device. */
			if (ret == -EINVAL) continue;
			return ret;
		}
		device->hwpt_id = hwpt->hwpt_id;
		hwpt->devices++;
		device->iommu_dirty_tracking = (hwpt->hwpt_flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) != 0;
		return 0;
	}

	ret = get_device_info(env, container, device->devid, &type, &hw_caps);
	if (ret) return ret;
	if (hw_caps & IOMMU_HW_CAP_DIRTY_TRACKING) flags = IOMMU_HWPT_ALLOC_DIRTY_TRACKING;

	struct iommu_hwpt_alloc alloc_hwpt = {
		.size = sizeof(alloc_hwpt),
		.flags = flags,
		.dev_id = device->devid,
		.pt_id = container->ioas_id,
		.data_type = IOMMU_HWPT_DATA_NONE,
	};
	ret = env_ioctl(env, container->iommufd, IOMMU_HWPT_ALLOC, &alloc_hwpt);
	if (ret) return ret;
	hwpt_id = alloc_hwpt.out_hwpt_id;

	ret = attach_ioas_hwpt(env, container, device, hwpt_id);
	if (ret) {
		free_id(env, container, hwpt_id);
		return ret;
	}

	if (container->count == CB_QEMU_MAX_HWPTS) return -ENOSPC;
	/* QLIST_INSERT_HEAD(&container->hwpt_list, hwpt, next) */
	memmove(&container->hwpt_list[1], &container->hwpt_list[0], sizeof(container->hwpt_list[0]) * container->count);
	container->hwpt_list[0] = (struct cb_qemu_hwpt){ .hwpt_id = hwpt_id, .hwpt_flags = flags, .devices = 1 };
	container->count++;
	device->hwpt_id = hwpt_id;
	device->iommu_dirty_tracking = (flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) != 0;
	container->dirty_pages_supported |= device->iommu_dirty_tracking;
	return 0;
}

void cb_qemu_detach_container(struct cb_qemu_env *env, struct cb_qemu_container *container,
                              struct cb_qemu_device *device) {
	/* iommufd_cdev_detach_ioas_hwpt: errors are reported, not returned. */
	if (!device->mock_stdev_id) {
		struct vfio_device_detach_iommufd_pt detach_data = { .argsz = sizeof(detach_data), .flags = 0 };
		(void)env_ioctl(env, device->device_fd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach_data);
	}
	if (!device->hwpt_id) return;
	/* iommufd_cdev_autodomains_put */
	for (int i = 0; i < container->count; i++) {
		struct cb_qemu_hwpt *hwpt = &container->hwpt_list[i];
		if (hwpt->hwpt_id != device->hwpt_id) continue;
		device->hwpt_id = 0;
		if (--hwpt->devices == 0) {
			uint32_t id = hwpt->hwpt_id;
			memmove(&container->hwpt_list[i], &container->hwpt_list[i + 1],
			        sizeof(container->hwpt_list[0]) * (container->count - i - 1));
			container->count--;
			(void)free_id(env, container, id);
		}
		return;
	}
}

int cb_qemu_attach_detach(struct cb_qemu_env *env, struct cb_qemu_container *container,
                          struct cb_qemu_device *device, long iterations) {
	for (long i = 0; i < iterations; i++) {
		int rc = cb_qemu_autodomains_get(env, container, device);
		if (rc) return rc;
		cb_qemu_detach_container(env, container, device);
	}
	return 0;
}

/* The loop of the locked variants: autodomains_get and detach_container each
 * between take(lock) and release(lock). Always inlined with constant
 * functions, so each variant's lock calls are direct (pthread's) or inlined
 * (the lean lock's), as if written out. */
static inline __attribute__((always_inline)) int
attach_detach_locked(struct cb_qemu_env *env, struct cb_qemu_container *container, struct cb_qemu_device *device,
                     long iterations, void *lock, void (*take)(void *), void (*release)(void *)) {
	for (long i = 0; i < iterations; i++) {
		take(lock);
		int rc = cb_qemu_autodomains_get(env, container, device);
		release(lock);
		if (rc) return rc;
		take(lock);
		cb_qemu_detach_container(env, container, device);
		release(lock);
	}
	return 0;
}

static pthread_mutex_t qemu_container_pthread_lock = PTHREAD_MUTEX_INITIALIZER;

static inline __attribute__((always_inline)) void pthread_lock_take(void *lock) { pthread_mutex_lock(lock); }
static inline __attribute__((always_inline)) void pthread_lock_release(void *lock) { pthread_mutex_unlock(lock); }

int cb_qemu_attach_detach_pthread_locked(struct cb_qemu_env *env, struct cb_qemu_container *container,
                                         struct cb_qemu_device *device, long iterations) {
	return attach_detach_locked(env, container, device, iterations, &qemu_container_pthread_lock,
	                            pthread_lock_take, pthread_lock_release);
}

/* A lock of the same kind as Swift's Mutex on Linux: one atomic
 * compare-and-swap to take it, one atomic read-modify-write to release it,
 * the futex only when contended (never, here). 0 free, 1 taken, 2 taken with
 * waiters. */
static uint32_t qemu_container_futex;

static inline __attribute__((always_inline)) void futex_lock_take(void *lock) {
	uint32_t *word = lock, expected = 0;
	if (__atomic_compare_exchange_n(word, &expected, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) return;
	while (__atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE) != 0)
		syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
}

static inline __attribute__((always_inline)) void futex_lock_release(void *lock) {
	uint32_t *word = lock;
	if (__atomic_exchange_n(word, 0, __ATOMIC_RELEASE) == 2)
		syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

int cb_qemu_attach_detach_futex_locked(struct cb_qemu_env *env, struct cb_qemu_container *container,
                                       struct cb_qemu_device *device, long iterations) {
	return attach_detach_locked(env, container, device, iterations, &qemu_container_futex,
	                            futex_lock_take, futex_lock_release);
}
