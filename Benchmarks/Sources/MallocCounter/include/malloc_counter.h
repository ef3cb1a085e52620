/*
 * swift-iommufd benchmarks: exact heap-allocation counting.
 *
 * The executable defines the C allocator entry points (malloc, calloc,
 * realloc, free, posix_memalign, aligned_alloc, memalign, valloc) and forwards
 * them to glibc's __libc_* implementations. Because the executable exports
 * them, the dynamic linker binds every shared library of the process to them
 * too: the Swift runtime's swift_slowAlloc, Foundation, libstdc++'s operator
 * new. Each call that returns new memory (malloc, calloc, realloc, the aligned
 * ones) counts one allocation on the calling thread; free counts separately.
 *
 * The counters are thread-local, so a measurement counts only what the
 * measured code did on the measuring thread.
 */
#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc,
 * memalign, valloc) on this thread since the start of the thread. */
uint64_t malloc_counter_allocations(void);
/* Calls of free with a non-NULL pointer on this thread. */
uint64_t malloc_counter_frees(void);
/* Whether the interposition is live: 1 if a malloc made through the dynamic
 * linker (the way libswiftCore calls it) reached the counting wrapper. */
int malloc_counter_is_active(void);

#ifdef __cplusplus
}
#endif

#endif /* MALLOC_COUNTER_H */
