import CIOMMUFD
import Testing

/// The request numbers re-exported for Swift equal `_IO(';', nr)` with the
/// kernel's command numbers (the layout check compares them with real headers
/// too; this pins them in the unit tests).
@Suite("ioctl request numbers")
struct RequestNumberTests {
    static let iommufd: [(String, UInt, UInt)] = [
        ("IOMMU_DESTROY", CIOMMUFD_IOMMU_DESTROY, 0x80),
        ("IOMMU_IOAS_ALLOC", CIOMMUFD_IOMMU_IOAS_ALLOC, 0x81),
        ("IOMMU_IOAS_ALLOW_IOVAS", CIOMMUFD_IOMMU_IOAS_ALLOW_IOVAS, 0x82),
        ("IOMMU_IOAS_COPY", CIOMMUFD_IOMMU_IOAS_COPY, 0x83),
        ("IOMMU_IOAS_IOVA_RANGES", CIOMMUFD_IOMMU_IOAS_IOVA_RANGES, 0x84),
        ("IOMMU_IOAS_MAP", CIOMMUFD_IOMMU_IOAS_MAP, 0x85),
        ("IOMMU_IOAS_UNMAP", CIOMMUFD_IOMMU_IOAS_UNMAP, 0x86),
        ("IOMMU_OPTION", CIOMMUFD_IOMMU_OPTION, 0x87),
        ("IOMMU_VFIO_IOAS", CIOMMUFD_IOMMU_VFIO_IOAS, 0x88),
        ("IOMMU_HWPT_ALLOC", CIOMMUFD_IOMMU_HWPT_ALLOC, 0x89),
        ("IOMMU_GET_HW_INFO", CIOMMUFD_IOMMU_GET_HW_INFO, 0x8a),
        ("IOMMU_HWPT_SET_DIRTY_TRACKING", CIOMMUFD_IOMMU_HWPT_SET_DIRTY_TRACKING, 0x8b),
        ("IOMMU_HWPT_GET_DIRTY_BITMAP", CIOMMUFD_IOMMU_HWPT_GET_DIRTY_BITMAP, 0x8c),
        ("IOMMU_HWPT_INVALIDATE", CIOMMUFD_IOMMU_HWPT_INVALIDATE, 0x8d),
        ("IOMMU_FAULT_QUEUE_ALLOC", CIOMMUFD_IOMMU_FAULT_QUEUE_ALLOC, 0x8e),
        ("IOMMU_IOAS_MAP_FILE", CIOMMUFD_IOMMU_IOAS_MAP_FILE, 0x8f),
        ("IOMMU_VIOMMU_ALLOC", CIOMMUFD_IOMMU_VIOMMU_ALLOC, 0x90),
        ("IOMMU_VDEVICE_ALLOC", CIOMMUFD_IOMMU_VDEVICE_ALLOC, 0x91),
        ("IOMMU_IOAS_CHANGE_PROCESS", CIOMMUFD_IOMMU_IOAS_CHANGE_PROCESS, 0x92),
        ("IOMMU_VEVENTQ_ALLOC", CIOMMUFD_IOMMU_VEVENTQ_ALLOC, 0x93),
        ("IOMMU_HW_QUEUE_ALLOC", CIOMMUFD_IOMMU_HW_QUEUE_ALLOC, 0x94),
        ("VFIO_DEVICE_GET_INFO", CIOMMUFD_VFIO_DEVICE_GET_INFO, 100 + 7),
        ("VFIO_DEVICE_GET_REGION_INFO", CIOMMUFD_VFIO_DEVICE_GET_REGION_INFO, 100 + 8),
        ("VFIO_DEVICE_BIND_IOMMUFD", CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD, 100 + 18),
        ("VFIO_DEVICE_ATTACH_IOMMUFD_PT", CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT, 100 + 19),
        ("VFIO_DEVICE_DETACH_IOMMUFD_PT", CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT, 100 + 20),
    ]

    @Test("each request is _IO(';', nr)", arguments: iommufd)
    func requestNumber(_ entry: (String, UInt, UInt)) {
        let (name, request, number) = entry
        #expect(request == (0x3b << 8) | number, "\(name)")
    }

    @Test("the pinned release is stated once and is 7.2")
    func pinnedRelease() {
        #expect(CIOMMUFD_UAPI_LINUX_MAJOR == 7 && CIOMMUFD_UAPI_LINUX_MINOR == 2)
        #expect(CIOMMUFD_UAPI_LINUX_RELEASE == "7.2")
    }
}
