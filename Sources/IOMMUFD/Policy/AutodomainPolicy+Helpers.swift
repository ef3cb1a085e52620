public import Logging   // the inlinable attach logs through its Logger
public import SystemPackage   // checkIOMMUFD is inlinable
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension AutodomainPolicy {
    // The error builders and loggers below are static: a method of the
    // policy would take the whole policy as its argument, and the inlined
    // attach and detach would copy it to the stack on every call just in
    // case one of them runs.

    /// Refuses an iommufd other than the policy's (inlined: one compare
    /// on the policy's hot path; the error is built out of line).
    @inlinable @inline(__always)
    func checkIOMMUFD(
        _ iommufd: borrowing IOMMUFD, operation: @autoclosure () -> IOMMUFDError.Operation
    ) throws(IOMMUFDError) {
        let descriptor = iommufd.descriptor.rawValue
        if descriptor != iommufdDescriptor {
            throw Self.wrongIOMMUFD(descriptor, expected: iommufdDescriptor, ioas: ioas, operation: operation())
        }
    }

    @usableFromInline @inline(never)
    static func wrongIOMMUFD(
        _ descriptor: CInt, expected: CInt, ioas: IOASID, operation: IOMMUFDError.Operation
    ) -> IOMMUFDError {
        IOMMUFDError(
            code: .programmerError, operation: operation, objects: [ioas.reference],
            hint: "the policy was made for the iommufd on descriptor \(expected), not \(descriptor)")
    }

    /// The error for a device that is not bound (out of line).
    @usableFromInline @inline(never)
    static func notBound<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, operation: IOMMUFDError.Operation
    ) -> IOMMUFDError {
        policyError(operation, device.displayName, code: .invalidArgument,
                    hint: "the device must be bound to the iommufd first")
    }

    /// The error for a device attached twice (out of line).
    @usableFromInline @inline(never)
    static func alreadyAttached<Device: AttachableDevice & ~Copyable>(
        _ device: borrowing Device, _ id: BoundDeviceID
    ) -> IOMMUFDError {
        policyError(.autodomainAttach, device.displayName, code: .invalidArgument,
                    hint: "\(id) is already attached through this policy; detach it first")
    }

    /// Logs an attach decision at debug level, like QEMU's trace event (out
    /// of line: called only when the logger records debug messages).
    @usableFromInline @inline(never)
    static func log<Device: AttachableDevice & ~Copyable>(
        _ decision: AttachDecision, of device: borrowing Device, to logger: Logger
    ) {
        logger.debug("\(device.displayName): \(decision.description)",
                     metadata: ["device": "\(decision.device.rawValue)", "ioctls": "\(decision.ioctlCount)"])
    }

    static func policyError(
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
