/*
 * swift-iommufd: the C shims Swift calls. Kept tiny and prefixed.
 */
#ifndef CIOMMUFD_SHIMS_H
#define CIOMMUFD_SHIMS_H

#include <errno.h>
#include <sys/ioctl.h>

/*
 * ioctl(2) without the variadic signature Swift cannot call: returns the
 * ioctl's non-negative result, or -errno on failure.
 */
static inline int ciommufd_ioctl(int fd, unsigned long request, void *argument) {
	int result = ioctl(fd, request, argument);
	return result < 0 ? -errno : result;
}

#endif /* CIOMMUFD_SHIMS_H */
