public import SystemPackage

/// A descriptor the kernel handed back with an iommufd object (a fault queue
/// or a vEVENTQ), owned like ``IOMMUFD`` owns its own: closed exactly once.
public struct OwnedDescriptor: ~Copyable, Sendable {
    /// The descriptor. Read and write it with your event loop; do not close it.
    public let descriptor: FileDescriptor
    let syscalls: Syscalls
    private var owned = true

    init(_ raw: CInt, syscalls: Syscalls) {
        self.descriptor = FileDescriptor(rawValue: raw)
        self.syscalls = syscalls
    }

    deinit { if owned { syscalls.close(descriptor.rawValue) } }

    /// Closes the descriptor now.
    public consuming func close() {
        owned = false
        syscalls.close(descriptor.rawValue)
    }

    /// Gives up ownership without closing.
    public consuming func relinquish() -> FileDescriptor {
        owned = false
        return descriptor
    }
}
