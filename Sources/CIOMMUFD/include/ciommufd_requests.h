/*
 * swift-iommufd: the ioctl request numbers as constants Swift can import.
 *
 * The kernel spells each request as a function-like macro (_IO(type, nr)),
 * which the Swift importer skips. Each CIOMMUFD_<KERNEL NAME> below holds the
 * value of the kernel macro of the same name.
 */
#ifndef CIOMMUFD_REQUESTS_H
#define CIOMMUFD_REQUESTS_H

#include "ciommufd_iommufd.h"
#include "ciommufd_vfio.h"

/* iommufd (on the /dev/iommu descriptor) */
static const unsigned long CIOMMUFD_IOMMU_DESTROY = IOMMU_DESTROY;
static const unsigned long CIOMMUFD_IOMMU_IOAS_ALLOC = IOMMU_IOAS_ALLOC;
static const unsigned long CIOMMUFD_IOMMU_IOAS_ALLOW_IOVAS = IOMMU_IOAS_ALLOW_IOVAS;
static const unsigned long CIOMMUFD_IOMMU_IOAS_COPY = IOMMU_IOAS_COPY;
static const unsigned long CIOMMUFD_IOMMU_IOAS_IOVA_RANGES = IOMMU_IOAS_IOVA_RANGES;
static const unsigned long CIOMMUFD_IOMMU_IOAS_MAP = IOMMU_IOAS_MAP;
static const unsigned long CIOMMUFD_IOMMU_IOAS_UNMAP = IOMMU_IOAS_UNMAP;
static const unsigned long CIOMMUFD_IOMMU_OPTION = IOMMU_OPTION;
static const unsigned long CIOMMUFD_IOMMU_VFIO_IOAS = IOMMU_VFIO_IOAS;
static const unsigned long CIOMMUFD_IOMMU_HWPT_ALLOC = IOMMU_HWPT_ALLOC;
static const unsigned long CIOMMUFD_IOMMU_GET_HW_INFO = IOMMU_GET_HW_INFO;
static const unsigned long CIOMMUFD_IOMMU_HWPT_SET_DIRTY_TRACKING = IOMMU_HWPT_SET_DIRTY_TRACKING;
static const unsigned long CIOMMUFD_IOMMU_HWPT_GET_DIRTY_BITMAP = IOMMU_HWPT_GET_DIRTY_BITMAP;
static const unsigned long CIOMMUFD_IOMMU_HWPT_INVALIDATE = IOMMU_HWPT_INVALIDATE;
static const unsigned long CIOMMUFD_IOMMU_FAULT_QUEUE_ALLOC = IOMMU_FAULT_QUEUE_ALLOC;
static const unsigned long CIOMMUFD_IOMMU_IOAS_MAP_FILE = IOMMU_IOAS_MAP_FILE;
static const unsigned long CIOMMUFD_IOMMU_VIOMMU_ALLOC = IOMMU_VIOMMU_ALLOC;
static const unsigned long CIOMMUFD_IOMMU_VDEVICE_ALLOC = IOMMU_VDEVICE_ALLOC;
static const unsigned long CIOMMUFD_IOMMU_IOAS_CHANGE_PROCESS = IOMMU_IOAS_CHANGE_PROCESS;
static const unsigned long CIOMMUFD_IOMMU_VEVENTQ_ALLOC = IOMMU_VEVENTQ_ALLOC;
static const unsigned long CIOMMUFD_IOMMU_HW_QUEUE_ALLOC = IOMMU_HW_QUEUE_ALLOC;

/* VFIO device cdev (on a /dev/vfio/devices/vfioN descriptor) */
static const unsigned long CIOMMUFD_VFIO_DEVICE_GET_INFO = VFIO_DEVICE_GET_INFO;
static const unsigned long CIOMMUFD_VFIO_DEVICE_GET_REGION_INFO = VFIO_DEVICE_GET_REGION_INFO;
static const unsigned long CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD = VFIO_DEVICE_BIND_IOMMUFD;
static const unsigned long CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT = VFIO_DEVICE_ATTACH_IOMMUFD_PT;
static const unsigned long CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT = VFIO_DEVICE_DETACH_IOMMUFD_PT;

#endif /* CIOMMUFD_REQUESTS_H */
