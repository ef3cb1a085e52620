public import IOMMUFD

/// An object alive in an iommufd context of the model.
public struct LiveObject: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of iommufd object (`enum iommufd_object_type`).
    public enum Kind: String, Sendable, Hashable {
        /// `IOMMUFD_OBJ_IOAS`.
        case ioas = "IOAS"
        /// `IOMMUFD_OBJ_HWPT_PAGING`.
        case hwptPaging = "HWPT_PAGING"
        /// `IOMMUFD_OBJ_HWPT_NESTED`.
        case hwptNested = "HWPT_NESTED"
        /// `IOMMUFD_OBJ_DEVICE`: a bound device.
        case device = "DEVICE"
        /// `IOMMUFD_OBJ_ACCESS`: a bound mediated device.
        case access = "ACCESS"
        /// `IOMMUFD_OBJ_FAULT`.
        case faultQueue = "FAULT"
        /// `IOMMUFD_OBJ_VIOMMU`.
        case viommu = "VIOMMU"
        /// `IOMMUFD_OBJ_VDEVICE`.
        case vdevice = "VDEVICE"
        /// `IOMMUFD_OBJ_VEVENTQ`.
        case veventq = "VEVENTQ"
        /// `IOMMUFD_OBJ_SELFTEST`: a kernel mock device.
        case mockDevice = "SELFTEST"
    }

    /// The context: 1 for the first `/dev/iommu` opened, 2 for the next…
    public var context: Int
    /// The object ID.
    public var id: UInt32
    /// The kind.
    public var kind: Kind
    /// For HWPTs: the allocation flags.
    public var flags: HWPTAllocFlags?
    /// For paging HWPTs: whether the kernel made it when a device was
    /// attached to an IOAS (an automatic domain).
    public var isAutomaticDomain: Bool
    /// For paging HWPTs: the IOAS; for nested ones: the parent HWPT.
    public var parent: UInt32?
    /// For HWPTs: the devices attached, as (device ID, PASID; 0 for the RID).
    public var attachments: [Attachment]
    /// For devices: the name of the physical device.
    public var deviceName: String?

    /// One device attachment of an HWPT.
    public struct Attachment: Sendable, Hashable {
        /// The device's ID.
        public var device: BoundDeviceID
        /// The PASID, or 0 (`IOMMU_NO_PASID`) for the device's RID.
        public var pasid: UInt32
    }

    init(_ object: KObject, context: Context, kernel: Kernel) {
        self.context = context.number
        self.id = object.id
        self.kind = object.tag
        self.isAutomaticDomain = false
        self.attachments = []
        if let hwpt = object as? HWPTObject {
            flags = hwpt.flags
            isAutomaticDomain = hwpt.autoDomain
            parent = hwpt.nested ? hwpt.parent : hwpt.ioas
            for group in context.groups.values {
                for (pasid, slot) in group.attach where slot.hwpt == hwpt.id {
                    attachments += slot.devices.map { Attachment(device: BoundDeviceID(rawValue: $0), pasid: pasid) }
                }
            }
            attachments.sort { ($0.device, $0.pasid) < ($1.device, $1.pasid) }
        }
        if let device = object as? DeviceObject { deviceName = device.device.name }
        if let access = object as? AccessObject { deviceName = access.device.name }
        if let selftest = object as? SelftestObject { deviceName = selftest.device.name }
    }

    /// `"HWPT_PAGING 3 (auto, IOAS 1) [device 2]"`.
    public var description: String {
        var text = "\(kind.rawValue) \(id)"
        var notes: [String] = []
        if isAutomaticDomain { notes.append("auto") }
        if let flags, !flags.isEmpty { notes.append("\(flags)") }
        if let parent { notes.append(kind == .hwptNested ? "parent \(parent)" : "IOAS \(parent)") }
        if let deviceName { notes.append(deviceName) }
        if !notes.isEmpty { text += " (" + notes.joined(separator: ", ") + ")" }
        if !attachments.isEmpty {
            text += " [" + attachments.map { $0.pasid == 0 ? "device \($0.device.rawValue)" : "device \($0.device.rawValue) PASID \($0.pasid)" }
                .joined(separator: ", ") + "]"
        }
        return text
    }
}

/// A descriptor open in the model.
public struct OpenDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// What it refers to.
    public enum Kind: String, Sendable, Hashable {
        /// An iommufd (`/dev/iommu`).
        case iommufd
        /// A VFIO device cdev.
        case vfioDevice
        /// A fault queue's descriptor.
        case faultQueue
        /// A vEVENTQ's descriptor.
        case eventQueue
        /// Any other file.
        case file
    }

    /// The descriptor number.
    public var descriptor: CInt
    /// The kind.
    public var kind: Kind
    /// The path it was opened from, if any.
    public var path: String?

    init(descriptor: CInt, file: OpenFile) {
        self.descriptor = descriptor
        switch file {
        case .iommufd(_, let path, _): kind = .iommufd; self.path = path
        case .vfio(let vfio): kind = .vfioDevice; path = vfio.path
        case .faultQueue: kind = .faultQueue; path = nil
        case .eventQueue: kind = .eventQueue; path = nil
        case .other(let path, _): kind = .file; self.path = path
        }
    }

    /// `"3 iommufd /dev/iommu"`.
    public var description: String { "\(descriptor) \(kind.rawValue)" + (path.map { " " + $0 } ?? "") }
}

