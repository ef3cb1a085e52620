import IOMMUFDTesting

/// Whether every ioctl in the model's trace went to a descriptor opened from
/// a VFIO device cdev (`/dev/vfio/devices/…`) or from `iommufdPath`.
func ioctlsOnlyOnVFIODevicesAndIOMMUFD(_ model: KernelModel, iommufdPath: String = "/dev/iommu") -> Bool {
    var opened: [Int32: String] = [:]
    for entry in model.trace {
        switch entry.operation {
        case "open":
            if case .success(let fd) = entry.result, let path = entry.path { opened[Int32(fd)] = path }
        case "close":
            if let fd = entry.descriptor { opened[fd] = nil }
        default:
            guard entry.isIoctl else { continue }
            guard let fd = entry.descriptor, let path = opened[fd] else { return false }
            if !(path.hasPrefix("/dev/vfio/devices/vfio") || path == iommufdPath) { return false }
        }
    }
    return true
}
