extension IOMMUFDError {
    /// What the library was doing when an error happened: an ioctl (named as
    /// the kernel names it) or one of the steps around the ioctls.
    public struct Operation: Hashable, Sendable, CustomStringConvertible {
        /// The kernel's name of the ioctl (e.g. `IOMMU_HWPT_ALLOC`) or the
        /// step (e.g. `open`).
        public let name: String
        /// The first Linux release with this ioctl; `nil` for steps that are
        /// not ioctls.
        public let introducedIn: KernelRelease?

        /// Creates an operation.
        public init(_ name: String, introducedIn: KernelRelease? = nil) {
            self.name = name
            self.introducedIn = introducedIn
        }

        /// The name.
        public var description: String { name }

        /// Whether this operation is an ioctl.
        public var isIoctl: Bool { introducedIn != nil }

        // iommufd (Linux 6.2 unless noted)
        /// `IOMMU_DESTROY`.
        public static let destroy = Operation("IOMMU_DESTROY", introducedIn: .init(6, 2))
        /// `IOMMU_IOAS_ALLOC`.
        public static let ioasAlloc = Operation("IOMMU_IOAS_ALLOC", introducedIn: .init(6, 2))
        /// `IOMMU_IOAS_ALLOW_IOVAS`.
        public static let ioasAllowIOVAs = Operation("IOMMU_IOAS_ALLOW_IOVAS", introducedIn: .init(6, 2))
        /// `IOMMU_IOAS_COPY`.
        public static let ioasCopy = Operation("IOMMU_IOAS_COPY", introducedIn: .init(6, 2))
        /// `IOMMU_IOAS_IOVA_RANGES`.
        public static let ioasIOVARanges = Operation("IOMMU_IOAS_IOVA_RANGES", introducedIn: .init(6, 2))
        /// `IOMMU_IOAS_MAP`.
        public static let ioasMap = Operation("IOMMU_IOAS_MAP", introducedIn: .init(6, 2))
        /// `IOMMU_IOAS_UNMAP`.
        public static let ioasUnmap = Operation("IOMMU_IOAS_UNMAP", introducedIn: .init(6, 2))
        /// `IOMMU_OPTION`.
        public static let option = Operation("IOMMU_OPTION", introducedIn: .init(6, 2))
        /// `IOMMU_VFIO_IOAS`.
        public static let vfioIOAS = Operation("IOMMU_VFIO_IOAS", introducedIn: .init(6, 2))
        /// `IOMMU_HWPT_ALLOC`.
        public static let hwptAlloc = Operation("IOMMU_HWPT_ALLOC", introducedIn: .init(6, 6))
        /// `IOMMU_GET_HW_INFO`.
        public static let getHWInfo = Operation("IOMMU_GET_HW_INFO", introducedIn: .init(6, 6))
        /// `IOMMU_HWPT_SET_DIRTY_TRACKING`.
        public static let hwptSetDirtyTracking = Operation("IOMMU_HWPT_SET_DIRTY_TRACKING", introducedIn: .init(6, 7))
        /// `IOMMU_HWPT_GET_DIRTY_BITMAP`.
        public static let hwptGetDirtyBitmap = Operation("IOMMU_HWPT_GET_DIRTY_BITMAP", introducedIn: .init(6, 7))
        /// `IOMMU_HWPT_INVALIDATE`.
        public static let hwptInvalidate = Operation("IOMMU_HWPT_INVALIDATE", introducedIn: .init(6, 8))
        /// `IOMMU_FAULT_QUEUE_ALLOC`.
        public static let faultQueueAlloc = Operation("IOMMU_FAULT_QUEUE_ALLOC", introducedIn: .init(6, 11))
        /// `IOMMU_IOAS_MAP_FILE`.
        public static let ioasMapFile = Operation("IOMMU_IOAS_MAP_FILE", introducedIn: .init(6, 13))
        /// `IOMMU_VIOMMU_ALLOC`.
        public static let viommuAlloc = Operation("IOMMU_VIOMMU_ALLOC", introducedIn: .init(6, 13))
        /// `IOMMU_VDEVICE_ALLOC`.
        public static let vdeviceAlloc = Operation("IOMMU_VDEVICE_ALLOC", introducedIn: .init(6, 13))
        /// `IOMMU_IOAS_CHANGE_PROCESS`.
        public static let ioasChangeProcess = Operation("IOMMU_IOAS_CHANGE_PROCESS", introducedIn: .init(6, 13))
        /// `IOMMU_VEVENTQ_ALLOC`.
        public static let veventqAlloc = Operation("IOMMU_VEVENTQ_ALLOC", introducedIn: .init(6, 15))
        /// `IOMMU_HW_QUEUE_ALLOC`.
        public static let hwQueueAlloc = Operation("IOMMU_HW_QUEUE_ALLOC", introducedIn: .init(6, 17))

        // VFIO device cdev
        /// `VFIO_DEVICE_GET_INFO`.
        public static let vfioDeviceGetInfo = Operation("VFIO_DEVICE_GET_INFO", introducedIn: .init(3, 6))
        /// `VFIO_DEVICE_GET_REGION_INFO`.
        public static let vfioDeviceGetRegionInfo = Operation("VFIO_DEVICE_GET_REGION_INFO", introducedIn: .init(3, 6))
        /// `VFIO_DEVICE_BIND_IOMMUFD`.
        public static let vfioDeviceBindIOMMUFD = Operation("VFIO_DEVICE_BIND_IOMMUFD", introducedIn: .init(6, 6))
        /// `VFIO_DEVICE_ATTACH_IOMMUFD_PT`.
        public static let vfioDeviceAttachIOMMUFDPT = Operation("VFIO_DEVICE_ATTACH_IOMMUFD_PT", introducedIn: .init(6, 6))
        /// `VFIO_DEVICE_DETACH_IOMMUFD_PT`.
        public static let vfioDeviceDetachIOMMUFDPT = Operation("VFIO_DEVICE_DETACH_IOMMUFD_PT", introducedIn: .init(6, 6))

        // Steps around the ioctls
        /// Opening the iommufd node (`/dev/iommu`).
        public static let openIOMMUFD = Operation("open iommufd")
        /// Closing a descriptor the library owns.
        public static let close = Operation("close")
        /// Finding a VFIO device from a path, name or PCI address.
        public static let locateVFIODevice = Operation("locate VFIO device")
        /// Checking that a file or descriptor is a VFIO device cdev.
        public static let checkVFIODevice = Operation("check VFIO device")
        /// Opening a VFIO device cdev.
        public static let openVFIODevice = Operation("open VFIO device")
        /// Reading a VFIO device region (e.g. PCI configuration space).
        public static let readVFIORegion = Operation("read VFIO region")
    }
}
