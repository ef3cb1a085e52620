import Logging
import SystemPackage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension AutodomainContainer {
    func checkIOMMUFD(_ iommufd: borrowing IOMMUFD, operation: IOMMUFDError.Operation) throws(IOMMUFDError) {
        guard iommufd.descriptor.rawValue == iommufdDescriptor else {
            throw IOMMUFDError(
                code: .programmerError, operation: operation, objects: [ioas.reference],
                hint: "the container belongs to the iommufd on descriptor \(iommufdDescriptor), not "
                    + "\(iommufd.descriptor.rawValue)")
        }
    }

    func policyError(
        _ operation: IOMMUFDError.Operation, _ name: String, code: IOMMUFDError.Code,
        objects: [ObjectReference] = [], hint: String
    ) -> IOMMUFDError {
        IOMMUFDError(code: code, operation: operation, objects: objects, path: name, hint: hint)
    }
}

extension IOMMUFDError.Operation {
    /// The autodomain policy's attach of a device.
    public static let autodomainAttach = IOMMUFDError.Operation("autodomain attach")
    /// The autodomain policy's attach of a device PASID.
    public static let autodomainPASIDAttach = IOMMUFDError.Operation("autodomain PASID attach")
}
