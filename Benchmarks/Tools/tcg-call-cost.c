/*
 * tcg-call-cost: what a call + return costs next to a system call, on the
 * machine it runs on (Docs/Benchmarks.md, "Real kernel"). Run it in the test
 * VM, where it shows what QEMU's TCG charges for calls:
 *
 *   clang -O2 -I Sources/CIOMMUFD/include -o /tmp/tcg-call-cost Benchmarks/Tools/tcg-call-cost.c
 *   scripts/vm-run -- /tmp/tcg-call-cost
 *
 * It binds vfio0 and vfio1 to an iommufd, attaches vfio0 to an HWPT, then
 * times in blocks, alternately: attach + detach of vfio1 (and map + unmap of
 * 4 KiB) alone, and the same with 100 calls of distinct small functions
 * after each ioctl. The median difference per call is the cost of a call and
 * its return after a system call; last, the calls alone and a plain loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include "CIOMMUFD.h"

#define CALLS 100
#define ROUNDS 25
#define BLOCK 60

static double now_ns(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static void check(int rc, const char *what) {
	if (rc < 0) {
		fprintf(stderr, "tcg-call-cost: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

/* 100 distinct functions, each its own translation block under TCG. */
#define F(n) __attribute__((noinline)) static unsigned long f##n(unsigned long x) { __asm__ volatile(""); return x * 3 + n; }
#define F10(n) F(n##0) F(n##1) F(n##2) F(n##3) F(n##4) F(n##5) F(n##6) F(n##7) F(n##8) F(n##9)
F10(1) F10(2) F10(3) F10(4) F10(5) F10(6) F10(7) F10(8) F10(9) F10(10)
#define C(n) x = f##n(x);
#define C10(n) C(n##0) C(n##1) C(n##2) C(n##3) C(n##4) C(n##5) C(n##6) C(n##7) C(n##8) C(n##9)
static unsigned long chain(unsigned long x) { C10(1) C10(2) C10(3) C10(4) C10(5) C10(6) C10(7) C10(8) C10(9) C10(10) return x; }

static int iommufd, device1;
static uint32_t ioas, hwpt;
static char page[4096] __attribute__((aligned(4096)));
static volatile unsigned long sink;

static void attach_detach(int with_calls, int n) {
	for (int i = 0; i < n; i++) {
		struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach), .pt_id = hwpt };
		check(ioctl(device1, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach), "attach");
		if (with_calls) sink += chain(i);
		struct vfio_device_detach_iommufd_pt detach = { .argsz = sizeof(detach) };
		check(ioctl(device1, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach), "detach");
		if (with_calls) sink += chain(i);
	}
}

static void map_unmap(int with_calls, int n) {
	for (int i = 0; i < n; i++) {
		struct iommu_ioas_map map = {
			.size = sizeof(map), .ioas_id = ioas, .user_va = (uintptr_t)page, .length = sizeof(page),
			.iova = 1 << 20,
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
		};
		check(ioctl(iommufd, IOMMU_IOAS_MAP, &map), "map");
		if (with_calls) sink += chain(i);
		struct iommu_ioas_unmap unmap = { .size = sizeof(unmap), .ioas_id = ioas, .iova = 1 << 20, .length = sizeof(page) };
		check(ioctl(iommufd, IOMMU_IOAS_UNMAP, &unmap), "unmap");
		if (with_calls) sink += chain(i);
	}
}

static int by_value(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void measure(const char *name, void (*pair)(int, int)) {
	double plain[ROUNDS], called[ROUNDS];
	for (int r = 0; r < ROUNDS; r++) {
		double t = now_ns();
		pair(0, BLOCK);
		plain[r] = (now_ns() - t) / BLOCK;
		t = now_ns();
		pair(1, BLOCK);
		called[r] = (now_ns() - t) / BLOCK;
	}
	qsort(plain, ROUNDS, sizeof(double), by_value);
	qsort(called, ROUNDS, sizeof(double), by_value);
	double extra = called[ROUNDS / 2] - plain[ROUNDS / 2];
	printf("%-14s %9.0f ns per pair; with %d calls after each ioctl %9.0f ns: %.1f ns per call + return\n",
	       name, plain[ROUNDS / 2], CALLS, called[ROUNDS / 2], extra / (2 * CALLS));
}

int main(void) {
	iommufd = open("/dev/iommu", O_RDWR);
	check(iommufd, "open /dev/iommu");
	int device0 = open("/dev/vfio/devices/vfio0", O_RDWR);
	check(device0, "open vfio0");
	device1 = open("/dev/vfio/devices/vfio1", O_RDWR);
	check(device1, "open vfio1");
	struct vfio_device_bind_iommufd bind0 = { .argsz = sizeof(bind0), .iommufd = iommufd };
	check(ioctl(device0, VFIO_DEVICE_BIND_IOMMUFD, &bind0), "bind vfio0");
	struct vfio_device_bind_iommufd bind1 = { .argsz = sizeof(bind1), .iommufd = iommufd };
	check(ioctl(device1, VFIO_DEVICE_BIND_IOMMUFD, &bind1), "bind vfio1");
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	check(ioctl(iommufd, IOMMU_IOAS_ALLOC, &alloc), "IOAS_ALLOC");
	ioas = alloc.out_ioas_id;
	struct iommu_hwpt_alloc hwpt_alloc = { .size = sizeof(hwpt_alloc), .dev_id = bind0.out_devid, .pt_id = ioas };
	check(ioctl(iommufd, IOMMU_HWPT_ALLOC, &hwpt_alloc), "HWPT_ALLOC");
	hwpt = hwpt_alloc.out_hwpt_id;
	struct vfio_device_attach_iommufd_pt attach0 = { .argsz = sizeof(attach0), .pt_id = hwpt };
	check(ioctl(device0, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach0), "attach vfio0");

	sink += chain(1);
	measure("attach+detach", attach_detach);
	measure("map+unmap", map_unmap);
	double t = now_ns();
	for (int i = 0; i < 100000; i++) sink += chain(i);
	printf("calls alone: %.1f ns per call + return\n", (now_ns() - t) / 100000 / CALLS);
	static volatile long counter;
	t = now_ns();
	for (int i = 0; i < 10000000; i++) counter += i;   /* load, add, store (unrolled: 3–4 instructions) */
	printf("a plain loop: %.2f ns per iteration (load, add, store)\n", (now_ns() - t) / 10000000);
	return 0;
}
