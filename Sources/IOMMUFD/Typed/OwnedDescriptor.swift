public import SystemPackage

/// An owned descriptor, closed exactly once: by ``close()``, or when the
/// value goes out of scope. ``IOMMUFD`` and ``VFIODevice`` own theirs through
/// one; fault queues and vEVENTQs hand theirs out as one.
public struct OwnedDescriptor: ~Copyable, Sendable {
    /// The descriptor. Read and write it with your event loop; do not close it.
    public let descriptor: FileDescriptor
    @usableFromInline let syscalls: Syscalls
    private var owned = true

    init(_ raw: CInt, syscalls: Syscalls) {
        self.descriptor = FileDescriptor(rawValue: raw)
        self.syscalls = syscalls
    }

    deinit { if owned { syscalls.close(descriptor.rawValue) } }

    /// Closes the descriptor now.
    public consuming func close() {
        _ = closeReportingResult()
    }

    /// Closes the descriptor now: `0`, or `-errno` (the descriptor is
    /// released either way).
    consuming func closeReportingResult() -> CInt {
        owned = false
        return syscalls.close(descriptor.rawValue)
    }

    /// Gives up ownership without closing.
    public consuming func relinquish() -> FileDescriptor {
        owned = false
        return descriptor
    }
}

extension Syscalls {
    /// `fstat(2)` of a descriptor a caller hands over for adoption; a bad
    /// descriptor is the caller's mistake (``IOMMUFDError/Code/programmerError``).
    func statusOfAdopted(_ descriptor: CInt, operation: IOMMUFDError.Operation) throws(IOMMUFDError) -> FileStatus {
        do {
            return try backend.status(ofDescriptor: descriptor)
        } catch {
            throw IOMMUFDError(code: error == .badFileDescriptor ? .programmerError : .system,
                               operation: operation, errno: error, path: "descriptor \(descriptor)",
                               hint: "cannot inspect the descriptor")
        }
    }
}
