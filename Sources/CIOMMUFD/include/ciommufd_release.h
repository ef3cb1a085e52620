/*
 * swift-iommufd: the one place that names the Linux release whose user-space
 * ABI the declarations in this module are pinned to. scripts/check-uapi-layout
 * compares them with that release's headers; Docs (KernelVersions.md) lists
 * which release introduced each call, flag and field the library uses.
 */
#ifndef CIOMMUFD_RELEASE_H
#define CIOMMUFD_RELEASE_H

#define CIOMMUFD_UAPI_LINUX_MAJOR 7
#define CIOMMUFD_UAPI_LINUX_MINOR 2
#define CIOMMUFD_UAPI_LINUX_RELEASE "7.2"

#endif /* CIOMMUFD_RELEASE_H */
