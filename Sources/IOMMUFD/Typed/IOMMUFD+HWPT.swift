public import CIOMMUFD   // allocateHWPT and destroy are inlinable

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
    @inlinable @inline(__always)   // the ioctl is issued from the caller's frame (see perform)
    public func allocateHWPT(
        for device: BoundDeviceID,
        on parent: HWPTParent,
        flags: HWPTAllocFlags = [],
        data: NestedHWPTData = .none,
        faultQueue: FaultQueueID? = nil
    ) throws(IOMMUFDError) -> HWPTID {
        if flags.hasUndefinedBits || (flags.contains(.faultIDValid) && faultQueue == nil) {
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
    @usableFromInline
    func allocateNestedHWPT(
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
            preconditionFailure("paging HWPTs are allocated by allocateHWPT itself")
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
    @usableFromInline
    func invalidHWPTAllocFlags(_ flags: HWPTAllocFlags, device: BoundDeviceID, parent: HWPTParent) -> IOMMUFDError {
        if flags.undefinedBits != 0 {
            return invalidFlags(.hwptAlloc, flags.undefinedBits, [device.reference, parent.reference])
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
    @inlinable @inline(__always)
    public func destroy<ID: DestroyableObjectID>(_ id: ID) throws(IOMMUFDError) {
        // Inlinable, like every ioctl on a hot path: the caller issues the
        // system call from its own frame (see perform).
        try destroyObject(id.rawValue, kindName: ID.kindName)
    }

    /// ``destroy(_:)`` for one object number; `kindName` names it in an
    /// error.
    @inlinable @inline(__always)
    func destroyObject(_ rawID: UInt32, kindName: String) throws(IOMMUFDError) {
        var command = iommu_destroy(size: UInt32(MemoryLayout<iommu_destroy>.size), id: rawID)
        try perform(.destroy, CIOMMUFD_IOMMU_DESTROY, &command,
                    objects: [ObjectReference(kind: kindName, id: rawID)])
    }
}
