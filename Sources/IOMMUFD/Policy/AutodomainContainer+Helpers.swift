import Logging
import SystemPackage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension AutodomainContainer {
    /// Refuses an iommufd other than the container's (inlined: one compare
    /// on the policy's hot path; the error is built out of line).
    @inline(__always)
    func checkIOMMUFD(_ iommufd: borrowing IOMMUFD, operation: IOMMUFDError.Operation) throws(IOMMUFDError) {
        let descriptor = iommufd.descriptor.rawValue
        if descriptor != iommufdDescriptor { throw wrongIOMMUFD(descriptor, operation: operation) }
    }

    @inline(never)
    func wrongIOMMUFD(_ descriptor: CInt, operation: IOMMUFDError.Operation) -> IOMMUFDError {
        IOMMUFDError(
            code: .programmerError, operation: operation, objects: [ioas.reference],
            hint: "the container belongs to the iommufd on descriptor \(iommufdDescriptor), not \(descriptor)")
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
