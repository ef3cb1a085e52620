internal import CIOMMUFD

/// A fault queue: the object that receives I/O page faults of the HWPTs
/// allocated with it (`IOMMU_FAULT_QUEUE_ALLOC`, Linux 6.11).
///
/// Read ``PageFault`` records (``PageFault/byteCount`` bytes each) from
/// ``events`` and write ``PageResponse`` records back.
public struct FaultQueue: ~Copyable, Sendable {
    /// The object ID, for ``IOMMUFD/allocateHWPT(for:on:flags:data:faultQueue:)``
    /// and ``IOMMUFD/destroy(_:)``.
    public let id: FaultQueueID
    /// The descriptor faults are read from and responses written to.
    public let events: OwnedDescriptor

    /// Closes the descriptor, then destroys the fault queue object (the
    /// kernel refuses `IOMMU_DESTROY` with `EBUSY` while the descriptor is open).
    public consuming func destroy(in iommufd: borrowing IOMMUFD) throws(IOMMUFDError) {
        let id = self.id
        events.close()
        try iommufd.destroy(id)
    }
}

/// One I/O page fault message (`struct iommu_hwpt_pgfault`).
public struct PageFault: Sendable, Hashable {
    /// `enum iommu_hwpt_pgfault_flags`.
    public struct Flags: FlagSet {
        /// The bits as the kernel reports them.
        public let rawValue: UInt32
        /// Wraps raw bits.
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// `IOMMU_PGFAULT_FLAGS_PASID_VALID`.
        public static let pasidValid = Flags(rawValue: UInt32(IOMMU_PGFAULT_FLAGS_PASID_VALID.rawValue))
        /// `IOMMU_PGFAULT_FLAGS_LAST_PAGE`: the last fault of its group.
        public static let lastPage = Flags(rawValue: UInt32(IOMMU_PGFAULT_FLAGS_LAST_PAGE.rawValue))
        /// Every defined flag with its name.
        public static let namedFlags: [(flag: Flags, name: String)] = [(.pasidValid, "pasidValid"), (.lastPage, "lastPage")]
    }

    /// `enum iommu_hwpt_pgfault_perm`.
    public struct Permissions: FlagSet {
        /// The bits as the kernel reports them.
        public let rawValue: UInt32
        /// Wraps raw bits.
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// `IOMMU_PGFAULT_PERM_READ`.
        public static let read = Permissions(rawValue: UInt32(IOMMU_PGFAULT_PERM_READ.rawValue))
        /// `IOMMU_PGFAULT_PERM_WRITE`.
        public static let write = Permissions(rawValue: UInt32(IOMMU_PGFAULT_PERM_WRITE.rawValue))
        /// `IOMMU_PGFAULT_PERM_EXEC`.
        public static let execute = Permissions(rawValue: UInt32(IOMMU_PGFAULT_PERM_EXEC.rawValue))
        /// `IOMMU_PGFAULT_PERM_PRIV`.
        public static let privileged = Permissions(rawValue: UInt32(IOMMU_PGFAULT_PERM_PRIV.rawValue))
        /// Every defined flag with its name.
        public static let namedFlags: [(flag: Permissions, name: String)] = [
            (.read, "read"), (.write, "write"), (.execute, "execute"), (.privileged, "privileged"),
        ]
    }

    /// The size of one record on the fault descriptor.
    public static let byteCount = MemoryLayout<iommu_hwpt_pgfault>.size

    /// The flags.
    public var flags: Flags
    /// The device that faulted.
    public var device: BoundDeviceID
    /// The PASID, valid with ``Flags/pasidValid``.
    public var pasid: UInt32
    /// The page request group index.
    public var groupIndex: UInt32
    /// The access that faulted.
    public var permissions: Permissions
    /// The faulting address.
    public var address: UInt64
    /// A hint of how many bytes the device will access (0: none).
    public var length: UInt32
    /// The cookie to echo in the response to the group's last fault.
    public var cookie: UInt32

    /// Decodes one record; `nil` when fewer than ``byteCount`` bytes are given.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.byteCount else { return nil }
        let raw = bytes.loadUnaligned(as: iommu_hwpt_pgfault.self)
        flags = Flags(rawValue: raw.flags)
        device = BoundDeviceID(rawValue: raw.dev_id)
        pasid = raw.pasid
        groupIndex = raw.grpid
        permissions = Permissions(rawValue: raw.perm)
        address = raw.addr
        length = raw.length
        cookie = raw.cookie
    }
}

/// A response to a page fault group (`struct iommu_hwpt_page_response`).
public struct PageResponse: Sendable, Hashable {
    /// `enum iommufd_page_response_code`.
    public enum Code: UInt32, Sendable, Hashable {
        /// The fault was handled: retry the access.
        case success = 0
        /// The fault cannot be handled: do not retry.
        case invalid = 1
    }

    /// The size of one record.
    public static let byteCount = MemoryLayout<iommu_hwpt_page_response>.size

    /// The cookie of the group's last fault.
    public var cookie: UInt32
    /// The outcome.
    public var code: Code

    /// Creates a response.
    public init(cookie: UInt32, code: Code) {
        self.cookie = cookie
        self.code = code
    }

    /// The record's bytes, to write to the fault descriptor.
    public var bytes: [UInt8] {
        var raw = iommu_hwpt_page_response(cookie: cookie, code: code.rawValue)
        return withUnsafeBytes(of: &raw) { Array($0) }
    }
}

extension IOMMUFD {
    /// Creates a fault queue (`IOMMU_FAULT_QUEUE_ALLOC`, Linux 6.11).
    public func allocateFaultQueue() throws(IOMMUFDError) -> FaultQueue {
        var command = iommu_fault_alloc()
        command.size = UInt32(MemoryLayout<iommu_fault_alloc>.size)
        try perform(.faultQueueAlloc, CIOMMUFD_IOMMU_FAULT_QUEUE_ALLOC, &command)
        return FaultQueue(id: FaultQueueID(rawValue: command.out_fault_id),
                          events: OwnedDescriptor(CInt(bitPattern: command.out_fault_fd), syscalls: syscalls))
    }
}
