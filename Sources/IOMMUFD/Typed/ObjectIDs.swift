/// An iommufd object ID of one particular kind.
///
/// iommufd hands out IDs from one number space, but each ID names an object of
/// a single kind; the library gives each kind its own type so that, say, an
/// HWPT ID cannot be passed where an IOAS ID belongs.
public protocol IOMMUFDObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number the kernel uses.
    var rawValue: UInt32 { get }
    /// Wraps a number the kernel handed out.
    init(rawValue: UInt32)
    /// The kind's name in messages, e.g. "IOAS".
    static var kindName: String { get }
}

/// An object ID that `IOMMU_DESTROY` accepts.
public protocol DestroyableObjectID: IOMMUFDObjectID {}

/// An object ID that can be the page table of a device attachment: an IOAS
/// (the kernel picks or makes a page table) or an HWPT.
public protocol AttachTargetID: IOMMUFDObjectID {}

extension IOMMUFDObjectID {
    /// `"IOAS 3"`.
    public var description: String { "\(Self.kindName) \(rawValue)" }

    /// Orders by number.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// This ID as a kind-tagged reference, for errors and traces.
    public var reference: ObjectReference { ObjectReference(kind: Self.kindName, id: rawValue) }
}

/// Any object ID with its kind, as errors and traces report them.
public struct ObjectReference: Hashable, Sendable, CustomStringConvertible {
    /// The kind's name, e.g. "HWPT".
    public var kind: String
    /// The number.
    public var id: UInt32

    /// Creates a reference.
    public init(kind: String, id: UInt32) {
        self.kind = kind
        self.id = id
    }

    /// `"HWPT 7"`.
    public var description: String { "\(kind) \(id)" }
}

/// The ID of an IO address space (`IOMMU_IOAS_ALLOC`).
public struct IOASID: DestroyableObjectID, AttachTargetID {
    /// The number the kernel uses.
    public let rawValue: UInt32
    /// Wraps a number the kernel handed out.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// "IOAS".
    @inlinable public static var kindName: String { "IOAS" }
}

/// The ID of a hardware page table (`IOMMU_HWPT_ALLOC`, or one the kernel
/// made when a device was attached to an IOAS).
public struct HWPTID: DestroyableObjectID, AttachTargetID {
    /// The number the kernel uses.
    public let rawValue: UInt32
    /// Wraps a number the kernel handed out.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// "HWPT".
    @inlinable public static var kindName: String { "HWPT" }
}

/// The ID of a device bound to an iommufd (`VFIO_DEVICE_BIND_IOMMUFD`'s
/// `out_devid`, the `dev_id` of the iommufd calls).
///
/// Not destroyable by ID: the binding ends when the device descriptor closes.
/// (Named apart from SystemPackage's `DeviceID`, a `dev_t`, so both modules
/// can be imported together.)
public struct BoundDeviceID: IOMMUFDObjectID {
    /// The number the kernel uses.
    public let rawValue: UInt32
    /// Wraps a number the kernel handed out.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// "device".
    @inlinable public static var kindName: String { "device" }
}

/// The ID of a fault queue (`IOMMU_FAULT_QUEUE_ALLOC`).
public struct FaultQueueID: DestroyableObjectID {
    /// The number the kernel uses.
    public let rawValue: UInt32
    /// Wraps a number the kernel handed out.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// "fault queue".
    @inlinable public static var kindName: String { "fault queue" }
}

/// The ID of a virtual IOMMU (`IOMMU_VIOMMU_ALLOC`).
public struct VIOMMUID: DestroyableObjectID {
    /// The number the kernel uses.
    public let rawValue: UInt32
    /// Wraps a number the kernel handed out.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// "vIOMMU".
    @inlinable public static var kindName: String { "vIOMMU" }
}

/// The ID of a virtual device (`IOMMU_VDEVICE_ALLOC`).
public struct VDeviceID: DestroyableObjectID {
    /// The number the kernel uses.
    public let rawValue: UInt32
    /// Wraps a number the kernel handed out.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// "vDEVICE".
    @inlinable public static var kindName: String { "vDEVICE" }
}

/// The ID of a virtual event queue (`IOMMU_VEVENTQ_ALLOC`).
public struct VEventQueueID: DestroyableObjectID {
    /// The number the kernel uses.
    public let rawValue: UInt32
    /// Wraps a number the kernel handed out.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// "vEVENTQ".
    @inlinable public static var kindName: String { "vEVENTQ" }
}

/// The ID of a hardware queue (`IOMMU_HW_QUEUE_ALLOC`).
public struct HWQueueID: DestroyableObjectID {
    /// The number the kernel uses.
    public let rawValue: UInt32
    /// Wraps a number the kernel handed out.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// "HW queue".
    @inlinable public static var kindName: String { "HW queue" }
}
