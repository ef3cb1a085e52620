import IOMMUFD

// The kernel objects of the model, as iommufd keeps them. All state lives
// in `Kernel`, behind the model's lock; these classes are never shared
// outside it.

/// The host page size the model assumes (x86-64).
let pageSize: UInt64 = 4096
/// The largest alignment the IOVA allocator aims for (`HPAGE_SIZE` with THP).
let hugePageSize: UInt64 = 2 << 20
/// `IOMMU_NO_PASID`.
let noPASID: UInt32 = 0

/// A physical (or mock, or mediated) device the kernel knows.
final class PhysicalDevice {
    /// A unique number, standing for `struct device *`.
    let key: Int
    /// The host description; `nil` for a mock device.
    var host: HostDevice?
    /// The IOMMU view; `nil` for a mediated device.
    var profile: DeviceProfile?
    /// The IOMMU group.
    let groupKey: String
    /// A name for messages.
    let name: String
    /// `MOCK_FLAGS_DEVICE_*` of a mock device.
    let mockFlags: UInt32?
    /// The mock driver's PASID 1024 fake-error state.
    var pasid1024FakeError = false
    /// `vfio_device->open_count` (cdev path: 0 or 1).
    var openCount = 0
    /// Whether the device is still registered.
    var present = true

    init(key: Int, host: HostDevice?, profile: DeviceProfile?, groupKey: String, name: String, mockFlags: UInt32? = nil) {
        self.key = key
        self.host = host
        self.profile = profile
        self.groupKey = groupKey
        self.name = name
        self.mockFlags = mockFlags
    }

    var isMock: Bool { mockFlags != nil }
    var isPCI: Bool { host.map { !$0.isMediated } ?? false }

    /// `dev->iommu->max_pasids`.
    var maxPASIDs: UInt64 {
        guard let log2 = profile?.maxPASIDLog2, log2 > 0 else { return 0 }
        return UInt64(1) << UInt64(log2)
    }
}

/// A paging or nested domain (`struct iommu_domain`).
struct Domain {
    var driver: IOMMUDriver
    var compatibilityGroup: String
    var instance: String
    var aperture: IOVARange
    var pageSize: UInt64
    var dirtyOps: Bool
    var pasidOps: Bool
    var nested: Bool
    var dirtyTracking = false
    /// Dirty IOMMU pages, by their first IOVA.
    var dirty: Set<UInt64> = []
    var nestedInvalidationType: UInt32?
}

class KObject {
    let id: UInt32
    init(id: UInt32) { self.id = id }
    var tag: LiveObject.Kind { fatalError("abstract") }
}

/// A mapping of an IOAS (`struct iopt_area`).
struct Area {
    enum Source: Equatable {
        case user(address: UInt64)
        case file(descriptor: Int32, offset: UInt64)
    }
    var iova: UInt64
    var length: UInt64
    /// Where byte 0 of the area comes from.
    var source: Source
    var writeable: Bool
    var readable: Bool
    var last: UInt64 { iova + length - 1 }
    var isFile: Bool { if case .file = source { return true } else { return false } }

    /// The source address of the byte at `iova`.
    func sourceAddress(at address: UInt64) -> UInt64 {
        switch source {
        case .user(let base): base + (address - iova)
        case .file(_, let offset): offset + (address - iova)
        }
    }

    /// `area->page_offset`.
    var pageOffset: UInt64 { sourceAddress(at: iova) % pageSize }

    /// The part of the area from `start` to `last` (inclusive).
    func slice(from start: UInt64, through end: UInt64) -> Area {
        var piece = self
        switch source {
        case .user(let base): piece.source = .user(address: base + (start - iova))
        case .file(let fd, let offset): piece.source = .file(descriptor: fd, offset: offset + (start - iova))
        }
        piece.iova = start
        piece.length = end - start + 1
        return piece
    }
}

/// Who reserved an IOVA range (`iopt_reserved.owner`).
enum ReservedOwner: Hashable {
    case domain(UInt32)
    case device(Int)
    case test
}

struct ReservedRange {
    var start: UInt64
    var last: UInt64
    var owner: ReservedOwner
}

func intersects(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> Bool { a <= d && c <= b }

final class IOASObject: KObject {
    override var tag: LiveObject.Kind { .ioas }
    /// Mappings, sorted by IOVA.
    var areas: [Area] = []
    var reserved: [ReservedRange] = []
    var allowed: [IOVARange] = []
    /// Domains filled with this IOAS's mappings (HWPT IDs, in add order).
    var domains: [UInt32] = []
    /// Paging HWPTs made on this IOAS, in creation order (`ioas->hwpt_list`).
    var hwptList: [UInt32] = []
    /// Access objects (mediated devices) attached.
    var accesses: [UInt32] = []
    var disableLargePages = false
    var alignment: UInt64 = 1

    func firstArea(intersecting start: UInt64, _ last: UInt64) -> Int? {
        areas.firstIndex { intersects($0.iova, $0.last, start, last) }
    }

    func reservedIntersects(_ start: UInt64, _ last: UInt64) -> Bool {
        reserved.contains { intersects($0.start, $0.last, start, last) }
    }

    func insert(_ area: Area) {
        let index = areas.firstIndex { $0.iova > area.iova } ?? areas.count
        areas.insert(area, at: index)
    }

    /// `iopt_reserve_iova`.
    func reserve(_ start: UInt64, _ last: UInt64, owner: ReservedOwner) -> ModelErrno? {
        if firstArea(intersecting: start, last) != nil || allowed.contains(where: { intersects($0.start, $0.last, start, last) }) {
            return .EADDRINUSE
        }
        reserved.append(ReservedRange(start: start, last: last, owner: owner))
        return nil
    }

    func removeReserved(owner: ReservedOwner) {
        reserved.removeAll { $0.owner == owner }
    }

    /// The usable IOVA ranges: the holes of the reserved ranges.
    var usableRanges: [IOVARange] { holes(of: reserved.map { ($0.start, $0.last) }, in: 0, .max) }

    /// `iopt_check_iova_alignment`.
    func checkAlignment(_ alignment: UInt64) -> ModelErrno? {
        let mask = alignment - 1
        for area in areas where area.iova & mask != 0 || area.length & mask != 0 || area.pageOffset & mask != 0 {
            return .EADDRINUSE
        }
        return nil
    }
}

/// The gaps between `used` ranges inside `[low, high]`, in order.
func holes(of used: [(UInt64, UInt64)], in low: UInt64, _ high: UInt64) -> [IOVARange] {
    let sorted = used.filter { $0.1 >= low && $0.0 <= high }.sorted { $0.0 < $1.0 }
    var result: [IOVARange] = []
    var cursor: UInt64? = low
    for (start, last) in sorted {
        guard let current = cursor else { break }
        if start > current { result.append(IOVARange(start: current, last: start - 1)) }
        cursor = last >= high ? nil : max(current, last + 1)
    }
    if let current = cursor { result.append(IOVARange(start: current, last: high)) }
    return result
}

final class HWPTObject: KObject {
    let nested: Bool
    override var tag: LiveObject.Kind { nested ? .hwptNested : .hwptPaging }
    /// The IOAS of a paging HWPT.
    var ioas: UInt32?
    /// The nesting parent of a nested HWPT (also set for vIOMMU-based ones).
    var parent: UInt32?
    /// The vIOMMU of a nested HWPT allocated on one.
    var viommu: UInt32?
    var flags: HWPTAllocFlags
    var autoDomain = false
    var nestParent: Bool
    var pasidCompat: Bool
    var fault: UInt32?
    var domain: Domain

    init(id: UInt32, nested: Bool, flags: HWPTAllocFlags, domain: Domain) {
        self.nested = nested
        self.flags = flags
        self.nestParent = flags.contains(.nestParent)
        self.pasidCompat = flags.contains(.pasid)
        self.domain = domain
        super.init(id: id)
    }
}

final class DeviceObject: KObject {
    override var tag: LiveObject.Kind { .device }
    let device: PhysicalDevice
    var vdev: UInt32?
    init(id: UInt32, device: PhysicalDevice) {
        self.device = device
        super.init(id: id)
    }
}

final class AccessObject: KObject {
    override var tag: LiveObject.Kind { .access }
    let device: PhysicalDevice
    var ioas: UInt32?
    init(id: UInt32, device: PhysicalDevice) {
        self.device = device
        super.init(id: id)
    }
}

final class FaultObject: KObject {
    override var tag: LiveObject.Kind { .faultQueue }
    var descriptorOpen = true
}

final class VIOMMUObject: KObject {
    override var tag: LiveObject.Kind { .viommu }
    let hwpt: UInt32
    let type: UInt32
    let driver: IOMMUDriver
    let instance: String
    let invalidationType: UInt32?
    var vdevs: [UInt64: UInt32] = [:]
    init(id: UInt32, hwpt: UInt32, type: UInt32, driver: IOMMUDriver, instance: String, invalidationType: UInt32?) {
        self.hwpt = hwpt
        self.type = type
        self.driver = driver
        self.instance = instance
        self.invalidationType = invalidationType
        super.init(id: id)
    }
}

final class VDeviceObject: KObject {
    override var tag: LiveObject.Kind { .vdevice }
    let viommu: UInt32
    let idev: UInt32
    let virtualID: UInt64
    init(id: UInt32, viommu: UInt32, idev: UInt32, virtualID: UInt64) {
        self.viommu = viommu
        self.idev = idev
        self.virtualID = virtualID
        super.init(id: id)
    }
}

final class VEventQObject: KObject {
    override var tag: LiveObject.Kind { .veventq }
    let viommu: UInt32
    let type: UInt32
    let depth: UInt32
    var descriptorOpen = true
    init(id: UInt32, viommu: UInt32, type: UInt32, depth: UInt32) {
        self.viommu = viommu
        self.type = type
        self.depth = depth
        super.init(id: id)
    }
}

final class SelftestObject: KObject {
    override var tag: LiveObject.Kind { .mockDevice }
    let idev: UInt32
    let device: PhysicalDevice
    init(id: UInt32, idev: UInt32, device: PhysicalDevice) {
        self.idev = idev
        self.device = device
        super.init(id: id)
    }
}

/// One page table slot of an iommufd group (`struct iommufd_attach`).
struct GroupAttach {
    var hwpt: UInt32
    /// The devices attached through this slot (idev IDs, in attach order).
    var devices: [UInt32]
}

/// `struct iommufd_group`: per iommufd, per IOMMU group.
final class IGroup {
    var attach: [UInt32: GroupAttach] = [:]
}

/// An iommufd context (`struct iommufd_ctx`).
final class Context {
    let number: Int
    var objects: [UInt32: KObject] = [:]
    var inflight: Set<UInt32> = []
    /// Objects created but not yet finalized (visible to the kernel's own
    /// code, not to user space).
    var pending: [UInt32: KObject] = [:]
    var tombstones: Set<UInt32> = []
    var groups: [String: IGroup] = [:]
    var vfioIOAS: UInt32?
    var accountModeMM = false
    /// File references: the iommufd descriptors, bound VFIO devices and
    /// event queue descriptors (`struct file` refcount).
    var references = 0

    init(number: Int) { self.number = number }

    /// `xa_alloc` with `XA_FLAGS_ALLOC1`: the lowest free ID ≥ 1.
    func allocateID() -> UInt32 {
        var id: UInt32 = 1
        while objects[id] != nil || inflight.contains(id) || tombstones.contains(id) { id += 1 }
        inflight.insert(id)
        return id
    }

    func abort(_ id: UInt32) { inflight.remove(id) }

    func finalize(_ object: KObject) {
        inflight.remove(object.id)
        pending[object.id] = nil
        objects[object.id] = object
    }

    func object<T: KObject>(_ id: UInt32, as type: T.Type) -> T? { objects[id] as? T }

    func group(_ key: String) -> IGroup {
        if let group = groups[key] { return group }
        let group = IGroup()
        groups[key] = group
        return group
    }
}
