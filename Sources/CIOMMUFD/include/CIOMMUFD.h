/*
 * swift-iommufd: umbrella header of the CIOMMUFD module, the pinned Linux
 * iommufd / VFIO device-cdev ABI and the ioctl shim.
 */
#ifndef CIOMMUFD_H
#define CIOMMUFD_H

#include "ciommufd_release.h"
#include "ciommufd_iommufd.h"
#include "ciommufd_vfio.h"
#include "ciommufd_layout.h"
#include "ciommufd_requests.h"
#include "ciommufd_shims.h"

#endif /* CIOMMUFD_H */
