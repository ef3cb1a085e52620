/*
 * swift-iommufd benchmarks: the counting allocator (see malloc_counter.h).
 */
#define _GNU_SOURCE
#include "malloc_counter.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

/* glibc's own implementations, exported by libc.so.6 under these names. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);

/* initial-exec: the executable's own TLS, one %fs-relative access. */
static __thread uint64_t allocations __attribute__((tls_model("initial-exec")));
static __thread uint64_t frees __attribute__((tls_model("initial-exec")));

#define EXPORT __attribute__((visibility("default"), used))

EXPORT void *malloc(size_t size) {
	allocations++;
	return __libc_malloc(size);
}

EXPORT void *calloc(size_t count, size_t size) {
	allocations++;
	return __libc_calloc(count, size);
}

EXPORT void *realloc(void *pointer, size_t size) {
	allocations++;
	return __libc_realloc(pointer, size);
}

EXPORT void free(void *pointer) {
	if (pointer) frees++;
	__libc_free(pointer);
}

EXPORT void *memalign(size_t alignment, size_t size) {
	allocations++;
	return __libc_memalign(alignment, size);
}

EXPORT void *aligned_alloc(size_t alignment, size_t size) {
	allocations++;
	return __libc_memalign(alignment, size);
}

EXPORT int posix_memalign(void **result, size_t alignment, size_t size) {
	allocations++;
	if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
	void *pointer = __libc_memalign(alignment, size);
	if (!pointer && size) return ENOMEM;
	*result = pointer;
	return 0;
}

EXPORT void *valloc(size_t size) {
	allocations++;
	return __libc_valloc(size);
}

uint64_t malloc_counter_allocations(void) { return allocations; }

uint64_t malloc_counter_frees(void) { return frees; }

int malloc_counter_is_active(void) {
	/* Call malloc the way a shared library does: through the symbol the
	 * dynamic linker resolved in the global scope. */
	void *(*global_malloc)(size_t) = (void *(*)(size_t))dlsym(RTLD_DEFAULT, "malloc");
	if (!global_malloc) return 0;
	uint64_t before = allocations;
	void *pointer = global_malloc(16);
	__libc_free(pointer);
	return allocations == before + 1;
}
