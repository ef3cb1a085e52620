internal import CIOMMUFD

/// Flags of `IOMMU_HWPT_ALLOC` (`enum iommufd_hwpt_alloc_flags`).
public struct HWPTAllocFlags: FlagSet {
    /// The bits as the kernel reads them.
    public let rawValue: UInt32
    /// Wraps raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `IOMMU_HWPT_ALLOC_NEST_PARENT`: the HWPT can be the stage-2 parent of
    /// nested HWPTs and vIOMMUs. Linux 6.7.
    public static let nestParent = HWPTAllocFlags(rawValue: UInt32(IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue))
    /// `IOMMU_HWPT_ALLOC_DIRTY_TRACKING`: the HWPT tracks dirty pages; only
    /// devices whose IOMMU can do so may attach. Linux 6.7.
    public static let dirtyTracking = HWPTAllocFlags(rawValue: UInt32(IOMMU_HWPT_ALLOC_DIRTY_TRACKING.rawValue))
    /// `IOMMU_HWPT_FAULT_ID_VALID`: the allocation names a fault queue. Set by
    /// ``IOMMUFD/allocateHWPT(for:on:flags:data:faultQueue:)`` itself when a
    /// fault queue is given. Linux 6.11.
    public static let faultIDValid = HWPTAllocFlags(rawValue: UInt32(IOMMU_HWPT_FAULT_ID_VALID.rawValue))
    /// `IOMMU_HWPT_ALLOC_PASID`: the HWPT can be attached to PASIDs; the page
    /// table on a device's non-PASID part (its RID) must carry it too before
    /// any PASID of the device can be attached. Linux 6.15.
    public static let pasid = HWPTAllocFlags(rawValue: UInt32(IOMMU_HWPT_ALLOC_PASID.rawValue))

    /// Every defined flag with its name.
    public static let namedFlags: [(flag: HWPTAllocFlags, name: String)] = [
        (.nestParent, "nestParent"), (.dirtyTracking, "dirtyTracking"),
        (.faultIDValid, "faultIDValid"), (.pasid, "pasid"),
    ]

    /// The kernel's name of a single flag, e.g. `IOMMU_HWPT_ALLOC_PASID`.
    public var kernelName: String? {
        switch self {
        case .nestParent: "IOMMU_HWPT_ALLOC_NEST_PARENT"
        case .dirtyTracking: "IOMMU_HWPT_ALLOC_DIRTY_TRACKING"
        case .faultIDValid: "IOMMU_HWPT_FAULT_ID_VALID"
        case .pasid: "IOMMU_HWPT_ALLOC_PASID"
        default: nil
        }
    }

    /// The first Linux release whose iommufd accepts this single flag.
    public var introducedIn: KernelRelease? {
        switch self {
        case .nestParent, .dirtyTracking: KernelRelease(6, 7)
        case .faultIDValid: KernelRelease(6, 11)
        case .pasid: KernelRelease(6, 15)
        default: nil
        }
    }
}

/// What a new HWPT is built on (`iommu_hwpt_alloc.pt_id`).
public enum HWPTParent: Sendable, Hashable, CustomStringConvertible {
    /// A paging HWPT over the mappings of an IOAS.
    case ioas(IOASID)
    /// A nested (stage-1) HWPT over a nesting-parent HWPT.
    case nestingParent(HWPTID)
    /// A nested HWPT over a vIOMMU (Linux 6.13).
    case viommu(VIOMMUID)

    /// The raw object ID.
    public var rawID: UInt32 {
        switch self {
        case .ioas(let id): id.rawValue
        case .nestingParent(let id): id.rawValue
        case .viommu(let id): id.rawValue
        }
    }

    /// The parent as a kind-tagged reference.
    public var reference: ObjectReference {
        switch self {
        case .ioas(let id): id.reference
        case .nestingParent(let id): id.reference
        case .viommu(let id): id.reference
        }
    }

    /// `"IOAS 1"`.
    public var description: String { reference.description }
}

/// The vendor data of a nested HWPT (`iommu_hwpt_alloc.data_type` and the
/// structure behind `data_uptr`).
public enum NestedHWPTData: Sendable, Hashable {
    /// `IOMMU_HWPT_DATA_NONE`: a paging HWPT, no vendor data.
    case none
    /// `IOMMU_HWPT_DATA_VTD_S1`: an Intel VT-d stage-1 page table.
    case intelVTdStage1(IntelVTdStage1)
    /// `IOMMU_HWPT_DATA_ARM_SMMUV3`: an ARM SMMUv3 guest stream table entry.
    case armSMMUv3(ARMSMMUv3StreamTableEntry)
    /// `IOMMU_HWPT_DATA_AMD_GUEST`: an AMD guest device table entry.
    case amdGuest(AMDGuestDeviceTableEntry)

    /// The kernel's `enum iommu_hwpt_data_type` value.
    public var dataType: UInt32 {
        switch self {
        case .none: UInt32(IOMMU_HWPT_DATA_NONE.rawValue)
        case .intelVTdStage1: UInt32(IOMMU_HWPT_DATA_VTD_S1.rawValue)
        case .armSMMUv3: UInt32(IOMMU_HWPT_DATA_ARM_SMMUV3.rawValue)
        case .amdGuest: UInt32(IOMMU_HWPT_DATA_AMD_GUEST.rawValue)
        }
    }
}

/// `struct iommu_hwpt_vtd_s1`: a guest's VT-d stage-1 page table.
public struct IntelVTdStage1: Sendable, Hashable {
    /// `enum iommu_hwpt_vtd_s1_flags`.
    public struct Flags: FlagSet {
        /// The bits as the kernel reads them.
        public let rawValue: UInt64
        /// Wraps raw bits.
        public init(rawValue: UInt64) { self.rawValue = rawValue }
        /// `IOMMU_VTD_S1_SRE`: supervisor requests allowed.
        public static let supervisorRequests = Flags(rawValue: UInt64(IOMMU_VTD_S1_SRE.rawValue))
        /// `IOMMU_VTD_S1_EAFE`: extended access flag enabled.
        public static let extendedAccessFlag = Flags(rawValue: UInt64(IOMMU_VTD_S1_EAFE.rawValue))
        /// `IOMMU_VTD_S1_WPE`: write protect enabled.
        public static let writeProtect = Flags(rawValue: UInt64(IOMMU_VTD_S1_WPE.rawValue))
        /// Every defined flag with its name.
        public static let namedFlags: [(flag: Flags, name: String)] = [
            (.supervisorRequests, "SRE"), (.extendedAccessFlag, "EAFE"), (.writeProtect, "WPE"),
        ]
    }

    /// The flags.
    public var flags: Flags
    /// The guest-physical address of the stage-1 page table root.
    public var pageTableAddress: UInt64
    /// The input address width of the page table (48 or 57).
    public var addressWidth: UInt32

    /// Creates the stage-1 description.
    public init(flags: Flags = [], pageTableAddress: UInt64, addressWidth: UInt32) {
        self.flags = flags
        self.pageTableAddress = pageTableAddress
        self.addressWidth = addressWidth
    }
}

/// `struct iommu_hwpt_arm_smmuv3`: a guest stream table entry (the first two
/// 64-bit words, little-endian).
public struct ARMSMMUv3StreamTableEntry: Sendable, Hashable {
    /// STE word 0.
    public var word0: UInt64
    /// STE word 1.
    public var word1: UInt64
    /// Creates the entry.
    public init(word0: UInt64, word1: UInt64) {
        self.word0 = word0
        self.word1 = word1
    }
}

/// `struct iommu_hwpt_amd_guest`: a guest device table entry (four 64-bit words).
public struct AMDGuestDeviceTableEntry: Sendable, Hashable {
    /// DTE words 0 to 3.
    public var word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64
    /// Creates the entry.
    public init(word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }
}

extension IOMMUFD {
    /// Allocates a hardware page table (`IOMMU_HWPT_ALLOC`) for a bound device.
    ///
    /// - Parameters:
    ///   - device: The bound device the HWPT is made for; its IOMMU decides
    ///     what is possible.
    ///   - parent: An IOAS for a paging HWPT; a nesting-parent HWPT or a vIOMMU
    ///     for a nested one.
    ///   - flags: Allocation flags. Do not pass ``HWPTAllocFlags/faultIDValid``
    ///     yourself: it is set when `faultQueue` is given.
    ///   - data: The nested vendor data; `.none` for a paging HWPT.
    ///   - faultQueue: A fault queue that receives this HWPT's I/O page faults.
    /// - Returns: The new HWPT's ID.
    /// - Throws: ``IOMMUFDError``; `EOPNOTSUPP` comes with a hint naming the
    ///   flags and why the kernel or driver may lack them. Flag bits the
    ///   pinned UAPI does not define are refused before any ioctl.
    @inline(__always)   // hot path: no extra call level (see Syscalls.ioctl)
    public func allocateHWPT(
        for device: BoundDeviceID,
        on parent: HWPTParent,
        flags: HWPTAllocFlags = [],
        data: NestedHWPTData = .none,
        faultQueue: FaultQueueID? = nil
    ) throws(IOMMUFDError) -> HWPTID {
        if flags.undefinedBits != 0 || (flags.contains(.faultIDValid) && faultQueue == nil) {
            throw invalidHWPTAllocFlags(flags, device: device, parent: parent)
        }
        let flags = faultQueue == nil ? flags : flags.union(.faultIDValid)

        var command = iommu_hwpt_alloc()
        command.size = UInt32(MemoryLayout<iommu_hwpt_alloc>.size)
        command.flags = flags.rawValue
        command.dev_id = device.rawValue
        command.pt_id = parent.rawID
        command.data_type = data.dataType
        command.fault_id = faultQueue?.rawValue ?? 0
        if case .none = data {
            // A paging HWPT, the common case: the ioctl is issued from this
            // frame, with no closure or nested function around it.
            try perform(.hwptAlloc, CIOMMUFD_IOMMU_HWPT_ALLOC, &command, objects: [device.reference, parent.reference],
                        context: .hwptAlloc(flags: flags, nested: false))
        } else {
            try allocateNestedHWPT(&command, data: data, flags: flags, device: device, parent: parent)
        }
        return HWPTID(rawValue: command.out_hwpt_id)
    }

    /// `IOMMU_HWPT_ALLOC` of a nested HWPT: `command` with the vendor data
    /// of `data` attached.
    private func allocateNestedHWPT(
        _ command: inout iommu_hwpt_alloc, data: NestedHWPTData, flags: HWPTAllocFlags, device: BoundDeviceID,
        parent: HWPTParent
    ) throws(IOMMUFDError) {
        func run(_ payload: UnsafeMutableRawBufferPointer, _ command: inout iommu_hwpt_alloc) throws(IOMMUFDError) {
            command.data_len = UInt32(payload.count)
            command.data_uptr = UInt64(UInt(bitPattern: payload.baseAddress))
            try perform(.hwptAlloc, CIOMMUFD_IOMMU_HWPT_ALLOC, &command, objects: [device.reference, parent.reference],
                        context: .hwptAlloc(flags: flags, nested: true))
        }
        switch data {
        case .none:
            try perform(.hwptAlloc, CIOMMUFD_IOMMU_HWPT_ALLOC, &command, objects: [device.reference, parent.reference],
                        context: .hwptAlloc(flags: flags, nested: false))
        case .intelVTdStage1(let s1):
            var raw = iommu_hwpt_vtd_s1()
            raw.flags = s1.flags.rawValue
            raw.pgtbl_addr = s1.pageTableAddress
            raw.addr_width = s1.addressWidth
            try withUnsafeMutableBytes(of: &raw) { (p) throws(IOMMUFDError) in try run(p, &command) }
        case .armSMMUv3(let ste):
            var raw = iommu_hwpt_arm_smmuv3()
            raw.ste = (ste.word0.littleEndian, ste.word1.littleEndian)
            try withUnsafeMutableBytes(of: &raw) { (p) throws(IOMMUFDError) in try run(p, &command) }
        case .amdGuest(let dte):
            var raw = iommu_hwpt_amd_guest()
            raw.dte = (dte.word0, dte.word1, dte.word2, dte.word3)
            try withUnsafeMutableBytes(of: &raw) { (p) throws(IOMMUFDError) in try run(p, &command) }
        }
    }

    /// The error for flags ``allocateHWPT(for:on:flags:data:faultQueue:)``
    /// refuses before any ioctl.
    private func invalidHWPTAllocFlags(_ flags: HWPTAllocFlags, device: BoundDeviceID, parent: HWPTParent) -> IOMMUFDError {
        if flags.undefinedBits != 0 {
            return IOMMUFDError(
                code: .invalidArgument, operation: .hwptAlloc, objects: [device.reference, parent.reference],
                hint: "flag bits \(hexString(flags.undefinedBits)) are not defined by the Linux "
                    + "\(KernelRelease.pinned) UAPI")
        }
        return IOMMUFDError(
            code: .invalidArgument, operation: .hwptAlloc, objects: [device.reference, parent.reference],
            hint: "faultIDValid is set by passing a fault queue; none was given")
    }

    /// Destroys an object (`IOMMU_DESTROY`).
    ///
    /// - Throws: ``IOMMUFDError`` with ``IOMMUFDError/Code/objectBusy`` while
    ///   the object is in use (attached devices, objects built on it) and
    ///   ``IOMMUFDError/Code/noSuchObject`` for an unknown ID.
    public func destroy(_ id: some DestroyableObjectID) throws(IOMMUFDError) {
        var command = iommu_destroy(size: UInt32(MemoryLayout<iommu_destroy>.size), id: id.rawValue)
        try perform(.destroy, CIOMMUFD_IOMMU_DESTROY, &command, objects: [id.reference])
    }
}
