#if canImport(Glibc)
import Glibc
#endif
internal import CIOMMUFD
import SystemPackage

/// `enum iommu_viommu_type`.
public enum VIOMMUType: Sendable, Hashable {
    /// `IOMMU_VIOMMU_TYPE_ARM_SMMUV3`.
    case armSMMUv3
    /// `IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV` (Linux 6.17).
    case tegra241CMDQV
    /// Another type number (newer kernels or test drivers).
    case other(UInt32)

    /// The kernel's number.
    public var rawValue: UInt32 {
        switch self {
        case .armSMMUv3: UInt32(IOMMU_VIOMMU_TYPE_ARM_SMMUV3.rawValue)
        case .tegra241CMDQV: UInt32(IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV.rawValue)
        case .other(let raw): raw
        }
    }
}

/// `enum iommu_veventq_type`.
public enum VEventQueueType: Sendable, Hashable {
    /// `IOMMU_VEVENTQ_TYPE_ARM_SMMUV3`.
    case armSMMUv3
    /// `IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV`.
    case tegra241CMDQV
    /// Another type number.
    case other(UInt32)

    /// The kernel's number.
    public var rawValue: UInt32 {
        switch self {
        case .armSMMUv3: UInt32(IOMMU_VEVENTQ_TYPE_ARM_SMMUV3.rawValue)
        case .tegra241CMDQV: UInt32(IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV.rawValue)
        case .other(let raw): raw
        }
    }
}

/// A virtual event queue of a vIOMMU (`IOMMU_VEVENTQ_ALLOC`): read events,
/// each after an `iommufd_vevent_header`, from ``events``.
public struct VEventQueue: ~Copyable, Sendable {
    /// The object ID.
    public let id: VEventQueueID
    /// The descriptor events are read from.
    public let events: OwnedDescriptor
}

/// One cache invalidation request of `IOMMU_HWPT_INVALIDATE`.
public enum InvalidationEntries: Sendable, Hashable {
    /// `IOMMU_HWPT_INVALIDATE_DATA_VTD_S1` entries, for a nested VT-d HWPT.
    case intelVTdStage1([IntelVTdStage1Invalidation])
    /// `IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3` commands, for an SMMUv3 vIOMMU.
    case armSMMUv3([ARMSMMUv3InvalidationCommand])
}

/// `struct iommu_hwpt_vtd_s1_invalidate`.
public struct IntelVTdStage1Invalidation: Sendable, Hashable {
    /// The first address (4 KiB aligned).
    public var address: UInt64
    /// The number of 4 KiB pages; `UInt64.max` invalidates everything.
    public var pageCount: UInt64
    /// Only leaf entries changed (`IOMMU_VTD_INV_FLAGS_LEAF`).
    public var leafOnly: Bool

    /// Creates an entry.
    public init(address: UInt64, pageCount: UInt64, leafOnly: Bool = false) {
        self.address = address
        self.pageCount = pageCount
        self.leafOnly = leafOnly
    }
}

/// `struct iommu_viommu_arm_smmuv3_invalidate`: one 128-bit SMMUv3 command.
public struct ARMSMMUv3InvalidationCommand: Sendable, Hashable {
    /// Command word 0.
    public var word0: UInt64
    /// Command word 1.
    public var word1: UInt64

    /// Creates a command.
    public init(word0: UInt64, word1: UInt64) {
        self.word0 = word0
        self.word1 = word1
    }
}

/// The target of `IOMMU_HWPT_INVALIDATE`: a nested HWPT or a vIOMMU.
public enum InvalidationTarget: Sendable, Hashable {
    /// A nested HWPT.
    case hwpt(HWPTID)
    /// A vIOMMU.
    case viommu(VIOMMUID)

    var rawID: UInt32 {
        switch self {
        case .hwpt(let id): id.rawValue
        case .viommu(let id): id.rawValue
        }
    }

    var reference: ObjectReference {
        switch self {
        case .hwpt(let id): id.reference
        case .viommu(let id): id.reference
        }
    }
}

extension IOMMUFD {
    /// Creates a vIOMMU over a nesting-parent HWPT (`IOMMU_VIOMMU_ALLOC`, Linux 6.13).
    ///
    /// - Parameters:
    ///   - type: The vIOMMU type, which must match the device's IOMMU.
    ///   - device: A bound device behind the physical IOMMU to virtualise.
    ///   - parent: An HWPT allocated with ``HWPTAllocFlags/nestParent``.
    ///   - driverData: Type-specific input/output data (e.g. Tegra241 CMDQV's
    ///     mmap offsets), read and written in place.
    public func allocateVIOMMU(
        type: VIOMMUType, for device: BoundDeviceID, parent: HWPTID, driverData: UnsafeMutableRawBufferPointer? = nil
    ) throws(IOMMUFDError) -> VIOMMUID {
        var command = iommu_viommu_alloc()
        command.size = UInt32(MemoryLayout<iommu_viommu_alloc>.size)
        command.type = type.rawValue
        command.dev_id = device.rawValue
        command.hwpt_id = parent.rawValue
        command.data_len = UInt32(driverData?.count ?? 0)
        command.data_uptr = UInt64(UInt(bitPattern: driverData?.baseAddress))
        try perform(.viommuAlloc, CIOMMUFD_IOMMU_VIOMMU_ALLOC, &command,
                    objects: [device.reference, parent.reference])
        return VIOMMUID(rawValue: command.out_viommu_id)
    }

    /// Creates a virtual device on a vIOMMU (`IOMMU_VDEVICE_ALLOC`, Linux 6.13).
    ///
    /// - Parameters:
    ///   - viommu: The vIOMMU.
    ///   - device: The physical device.
    ///   - virtualID: The device's ID as the guest sees it (SMMUv3 vSID, AMD
    ///     vDeviceID, VT-d vRID).
    public func allocateVDevice(on viommu: VIOMMUID, for device: BoundDeviceID, virtualID: UInt64) throws(IOMMUFDError) -> VDeviceID {
        var command = iommu_vdevice_alloc()
        command.size = UInt32(MemoryLayout<iommu_vdevice_alloc>.size)
        command.viommu_id = viommu.rawValue
        command.dev_id = device.rawValue
        command.virt_id = virtualID
        try perform(.vdeviceAlloc, CIOMMUFD_IOMMU_VDEVICE_ALLOC, &command,
                    objects: [viommu.reference, device.reference])
        return VDeviceID(rawValue: command.out_vdevice_id)
    }

    /// Creates a virtual event queue of a vIOMMU (`IOMMU_VEVENTQ_ALLOC`).
    ///
    /// - Parameters:
    ///   - viommu: The vIOMMU (one queue per type).
    ///   - type: The event type.
    ///   - depth: The maximum number of queued events; more are lost.
    public func allocateVEventQueue(on viommu: VIOMMUID, type: VEventQueueType, depth: UInt32) throws(IOMMUFDError) -> VEventQueue {
        var command = iommu_veventq_alloc()
        command.size = UInt32(MemoryLayout<iommu_veventq_alloc>.size)
        command.viommu_id = viommu.rawValue
        command.type = type.rawValue
        command.veventq_depth = depth
        try perform(.veventqAlloc, CIOMMUFD_IOMMU_VEVENTQ_ALLOC, &command, objects: [viommu.reference])
        return VEventQueue(id: VEventQueueID(rawValue: command.out_veventq_id),
                           events: OwnedDescriptor(CInt(bitPattern: command.out_veventq_fd), syscalls: syscalls))
    }

    /// Hands a guest queue to the hardware (`IOMMU_HW_QUEUE_ALLOC`).
    ///
    /// - Parameters:
    ///   - viommu: The vIOMMU.
    ///   - type: The queue type's number (`IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV` = 1).
    ///   - index: The queue's logical index for its type.
    ///   - iova: The queue memory's address in the nesting parent's IOAS.
    ///   - length: The queue memory's length.
    public func allocateHWQueue(
        on viommu: VIOMMUID, type: UInt32, index: UInt32, iova: UInt64, length: UInt64
    ) throws(IOMMUFDError) -> HWQueueID {
        var command = iommu_hw_queue_alloc()
        command.size = UInt32(MemoryLayout<iommu_hw_queue_alloc>.size)
        command.viommu_id = viommu.rawValue
        command.type = type
        command.index = index
        command.nesting_parent_iova = iova
        command.length = length
        try perform(.hwQueueAlloc, CIOMMUFD_IOMMU_HW_QUEUE_ALLOC, &command, objects: [viommu.reference])
        return HWQueueID(rawValue: command.out_hw_queue_id)
    }

    /// Invalidates cached translations (`IOMMU_HWPT_INVALIDATE`).
    ///
    /// - Returns: How many entries the kernel handled; fewer than given when
    ///   it stopped at a failing one (the error is then thrown).
    @discardableResult
    public func invalidate(_ target: InvalidationTarget, _ entries: InvalidationEntries) throws(IOMMUFDError) -> Int {
        var command = iommu_hwpt_invalidate()
        command.size = UInt32(MemoryLayout<iommu_hwpt_invalidate>.size)
        command.hwpt_id = target.rawID
        switch entries {
        case .intelVTdStage1(let list):
            var raw = list.map {
                iommu_hwpt_vtd_s1_invalidate(
                    addr: $0.address, npages: $0.pageCount,
                    flags: $0.leafOnly ? UInt32(IOMMU_VTD_INV_FLAGS_LEAF.rawValue) : 0, __reserved: 0)
            }
            try submit(&raw, dataType: UInt32(IOMMU_HWPT_INVALIDATE_DATA_VTD_S1.rawValue), &command, target)
        case .armSMMUv3(let list):
            var raw = list.map { iommu_viommu_arm_smmuv3_invalidate(cmd: ($0.word0.littleEndian, $0.word1.littleEndian)) }
            try submit(&raw, dataType: UInt32(IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3.rawValue), &command, target)
        }
        return Int(command.entry_num)
    }

    /// Issues `command` with `entries` as its array of vendor entries.
    private func submit<Entry>(
        _ entries: inout [Entry], dataType: UInt32, _ command: inout iommu_hwpt_invalidate, _ target: InvalidationTarget
    ) throws(IOMMUFDError) {
        command.data_type = dataType
        command.entry_len = UInt32(MemoryLayout<Entry>.size)
        command.entry_num = UInt32(entries.count)
        try entries.withMutableBytes { (bytes) throws(IOMMUFDError) in
            command.data_uptr = UInt64(UInt(bitPattern: bytes.baseAddress))
            try perform(.hwptInvalidate, CIOMMUFD_IOMMU_HWPT_INVALIDATE, &command, objects: [target.reference])
        }
    }

    /// The IOAS the VFIO container emulation uses (`IOMMU_VFIO_IOAS`, get);
    /// `nil` when none is set.
    public func vfioCompatibilityIOAS() throws(IOMMUFDError) -> IOASID? {
        var command = iommu_vfio_ioas()
        command.size = UInt32(MemoryLayout<iommu_vfio_ioas>.size)
        command.op = UInt16(IOMMU_VFIO_IOAS_GET.rawValue)
        do throws(IOMMUFDError) {
            try perform(.vfioIOAS, CIOMMUFD_IOMMU_VFIO_IOAS, &command)
        } catch where error.errno?.rawValue == ENODEV || error.errno?.rawValue == ENOENT {
            // Linux reports "no compatibility IOAS set" as ENODEV.
            return nil
        }
        return IOASID(rawValue: command.ioas_id)
    }

    /// Sets (or with `nil` clears) the IOAS the VFIO container emulation uses
    /// (`IOMMU_VFIO_IOAS`, set / clear).
    public func setVFIOCompatibilityIOAS(_ ioas: IOASID?) throws(IOMMUFDError) {
        var command = iommu_vfio_ioas()
        command.size = UInt32(MemoryLayout<iommu_vfio_ioas>.size)
        command.ioas_id = ioas?.rawValue ?? 0
        command.op = UInt16(ioas == nil ? IOMMU_VFIO_IOAS_CLEAR.rawValue : IOMMU_VFIO_IOAS_SET.rawValue)
        try perform(.vfioIOAS, CIOMMUFD_IOMMU_VFIO_IOAS, &command, objects: ioas.map { [$0.reference] } ?? [])
    }
}
