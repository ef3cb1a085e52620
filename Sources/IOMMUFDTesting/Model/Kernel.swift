#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import IOMMUFD

/// An open VFIO device cdev (`struct vfio_device_file`).
final class VFIOFile {
    let device: PhysicalDevice
    let status: FileStatus
    let path: String
    /// The iommufd the device is bound to.
    var context: Context?
    /// `df->devid`: the device (or access) object ID.
    var deviceID: UInt32?
    /// `vdev->iommufd_attached`.
    var attached = false
    /// `vdev->pasids`.
    var pasids: Set<UInt32> = []

    init(device: PhysicalDevice, status: FileStatus, path: String) {
        self.device = device
        self.status = status
        self.path = path
    }

    var bound: Bool { context != nil }
}

/// What an open descriptor refers to.
enum OpenFile {
    case iommufd(Context, path: String, status: FileStatus)
    case vfio(VFIOFile)
    case faultQueue(Context, UInt32)
    case eventQueue(Context, UInt32)
    case other(path: String, file: ModelFile)
}

/// The whole modelled kernel. Every method runs under the model's lock.
final class Kernel {
    let profile: KernelProfile
    var settings: ModelHost
    var fs = VirtualFileSystem()
    var devices: [PhysicalDevice] = []
    var contexts: [Int: Context] = [:]
    var files: [CInt: OpenFile] = [:]
    /// IOMMU group DMA ownership: the owning context and its claim count.
    var groupOwners: [String: (context: Int, count: Int)] = [:]
    var nextContext = 1
    var nextDeviceKey = 1
    var mockDeviceIDs: Set<Int> = []

    init(host: ModelHost, kernel: KernelProfile) {
        self.profile = kernel
        self.settings = host
        for device in host.devices { addHostDevice(device) }
        rebuildFileSystem()
    }

    // MARK: - Devices and the file system

    @discardableResult
    func addHostDevice(_ host: HostDevice) -> PhysicalDevice {
        let name = host.vfioIndex.map { "vfio\($0)" } ?? host.pciAddress.description
        let device = PhysicalDevice(
            key: nextDeviceKey, host: host, profile: host.profile, groupKey: "group\(host.iommuGroup)", name: name)
        nextDeviceKey += 1
        devices.append(device)
        return device
    }

    func device(vfioMinor minor: UInt32) -> PhysicalDevice? {
        device(vfioIndex: Int(minor))
    }

    /// The present device whose cdev is `vfioN`.
    func device(vfioIndex index: Int) -> PhysicalDevice? {
        devices.first { $0.present && $0.host?.vfioIndex == index }
    }

    /// Regenerates the device nodes and sysfs from the current devices,
    /// keeping the files tests added.
    func rebuildFileSystem() {
        var fs = VirtualFileSystem()
        fs.denied = self.fs.denied
        let host = settings
        for directory in ["/dev", "/dev/vfio/devices", "/sys/bus/pci/devices", "/sys/bus/pci/drivers/vfio-pci",
                          "/sys/class/vfio-dev", "/sys/class/iommu", "/sys/class/misc", "/sys/class/mem",
                          "/sys/class/vfio", "/sys/kernel/iommu_groups", "/sys/dev/char", "/sys/dev/block",
                          "/sys/bus/mdev/devices", "/sys/devices/virtual/misc", "/sys/devices/virtual/mem",
                          "/sys/devices/virtual/vfio", "/proc"] {
            fs.put(directory, .directory)
        }
        fs.put("/dev/null", .characterDevice(major: 1, minor: 3))
        fs.put("/sys/devices/virtual/mem/null/dev", .text("1:3\n"))
        fs.put("/sys/devices/virtual/mem/null/subsystem", .symbolicLink(to: "../../../../class/mem"))
        fs.put("/sys/class/mem/null", .symbolicLink(to: "../../devices/virtual/mem/null"))
        fs.put("/sys/dev/char/1:3", .symbolicLink(to: "../../devices/virtual/mem/null"))
        fs.put("/proc/version", .text("Linux version \(profile.releaseString) (model)\n"))
        if let node = host.iommufdNode {
            fs.put("/dev/iommu", .characterDevice(major: node.major, minor: node.minor))
            fs.put("/sys/devices/virtual/misc/iommu/dev", .text("\(node)\n"))
            fs.put("/sys/devices/virtual/misc/iommu/subsystem", .symbolicLink(to: "../../../../class/misc"))
            fs.put("/sys/class/misc/iommu", .symbolicLink(to: "../../devices/virtual/misc/iommu"))
            fs.put("/sys/dev/char/\(node)", .symbolicLink(to: "../../devices/virtual/misc/iommu"))
        }
        for iommu in host.iommus {
            fs.put(iommu.sysfsDirectory, .directory)
            fs.put(iommu.sysfsDirectory + "/devices", .directory)
            fs.put(iommu.sysfsDirectory + "/subsystem", .symbolicLink(to: relative(from: iommu.sysfsDirectory, to: "/sys/class/iommu")))
            for (name, file) in iommu.attributes { fs.put(iommu.sysfsDirectory + "/" + name, file) }
            fs.put("/sys/class/iommu/" + iommu.name, .symbolicLink(to: relative(from: "/sys/class/iommu", to: iommu.sysfsDirectory)))
        }
        if profile.hasIOMMUFDTest {
            // CONFIG_IOMMUFD_TEST registers the mock IOMMU as a unit of its own.
            let mock = "/sys/devices/platform/iommufd_selftest_iommu.0/iommu/iommufd_selftest_iommu.0"
            fs.put(mock, .directory)
            fs.put(mock + "/devices", .directory)
            fs.put(mock + "/subsystem", .symbolicLink(to: relative(from: mock, to: "/sys/class/iommu")))
            fs.put("/sys/class/iommu/iommufd_selftest_iommu.0", .symbolicLink(to: relative(from: "/sys/class/iommu", to: mock)))
        }
        for device in devices where device.present {
            guard let hostDevice = device.host else { continue }
            addSysfs(for: hostDevice, to: &fs)
        }
        for (path, file) in host.files { fs.put(path, file) }
        self.fs = fs
    }

    /// The relative symbolic link target from directory `from` to `to`.
    func relative(from: String, to: String) -> String {
        let a = VirtualFileSystem.components(from), b = VirtualFileSystem.components(to)
        var common = 0
        while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
        return (Array(repeating: "..", count: a.count - common) + b[common...]).joined(separator: "/")
    }

    func link(_ fs: inout VirtualFileSystem, _ path: String, to target: String) {
        fs.put(path, .symbolicLink(to: relative(from: VirtualFileSystem.parent(of: path), to: target)))
    }

    private func addSysfs(for device: HostDevice, to fs: inout VirtualFileSystem) {
        let dir = device.sysfsDirectory
        let group = "/sys/kernel/iommu_groups/\(device.iommuGroup)"
        fs.put(dir, .directory)
        fs.put(group + "/devices", .directory)
        let groupType = device.isMediated ? "blocked" : "DMA"
        fs.put(group + "/type", .text(groupType + "\n"))
        let regions = (device.profile?.reservedRegions ?? []).map {
            // The x86 MSI window is typed "msi"; other driver reservations (AMD's
            // HyperTransport range) "reserved", as the kernel writes them.
            "0x" + pad16($0.start) + " 0x" + pad16($0.last) + ($0 == DeviceProfile.x86MSIWindow ? " msi\n" : " reserved\n")
        }.joined()
        fs.put(group + "/reserved_regions", .text(regions))
        link(&fs, dir + "/iommu_group", to: group)
        switch device.bus {
        case .pci(let address):
            let bytes = device.configSpace
            func word(_ at: Int) -> UInt16 { bytes.count > at + 1 ? UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 : 0 }
            let classCode = bytes.count > 0xb ? UInt32(bytes[0x9]) | UInt32(bytes[0xa]) << 8 | UInt32(bytes[0xb]) << 16 : 0
            fs.put(dir + "/vendor", .text("0x" + pad(UInt64(word(0)), 4) + "\n"))
            fs.put(dir + "/device", .text("0x" + pad(UInt64(word(2)), 4) + "\n"))
            fs.put(dir + "/subsystem_vendor", .text("0x" + pad(UInt64(word(0x2c)), 4) + "\n"))
            fs.put(dir + "/subsystem_device", .text("0x" + pad(UInt64(word(0x2e)), 4) + "\n"))
            fs.put(dir + "/class", .text("0x" + pad(UInt64(classCode), 6) + "\n"))
            fs.put(dir + "/revision", .text("0x" + pad(UInt64(bytes.count > 8 ? bytes[8] : 0), 2) + "\n"))
            fs.put(dir + "/config", .regular(bytes))
            link(&fs, dir + "/subsystem", to: "/sys/bus/pci")
            link(&fs, "/sys/bus/pci/devices/\(address)", to: dir)
            link(&fs, group + "/devices/\(address)", to: dir)
            if let driver = device.driver {
                fs.put("/sys/bus/pci/drivers/\(driver)", .directory)
                link(&fs, dir + "/driver", to: "/sys/bus/pci/drivers/\(driver)")
                link(&fs, "/sys/bus/pci/drivers/\(driver)/\(address)", to: dir)
                fs.put(dir + "/driver_override", .text(driver == "vfio-pci" ? "vfio-pci\n" : "(null)\n"))
            }
            if let name = device.iommu, let iommu = settings.iommus.first(where: { $0.name == name }) {
                link(&fs, dir + "/iommu", to: iommu.sysfsDirectory)
                link(&fs, iommu.sysfsDirectory + "/devices/\(address)", to: dir)
            }
        case .mediated(let uuid, let parent, let type):
            let parentDir = VirtualFileSystem.parent(of: dir)
            fs.put(parentDir + "/mdev_supported_types/\(type)/devices", .directory)
            fs.put(parentDir + "/mdev_supported_types/\(type)/name", .text(type + "\n"))
            link(&fs, dir + "/mdev_type", to: parentDir + "/mdev_supported_types/\(type)")
            link(&fs, dir + "/subsystem", to: "/sys/bus/mdev")
            link(&fs, "/sys/bus/mdev/devices/\(uuid)", to: dir)
            link(&fs, group + "/devices/\(uuid)", to: dir)
            if let driver = device.driver {
                fs.put("/sys/bus/mdev/drivers/\(driver)", .directory)
                link(&fs, dir + "/driver", to: "/sys/bus/mdev/drivers/\(driver)")
            }
            _ = parent
        }
        if let index = device.vfioIndex {
            let cdev = dir + "/vfio-dev/vfio\(index)"
            let number = DeviceNumber(major: settings.vfioDeviceMajor, minor: UInt32(index))
            fs.put(cdev + "/dev", .text("\(number)\n"))
            fs.put(cdev + "/uevent", .text("MAJOR=\(number.major)\nMINOR=\(number.minor)\nDEVNAME=vfio/devices/vfio\(index)\n"))
            link(&fs, cdev + "/subsystem", to: "/sys/class/vfio-dev")
            link(&fs, cdev + "/device", to: dir)
            link(&fs, "/sys/class/vfio-dev/vfio\(index)", to: cdev)
            link(&fs, "/sys/dev/char/\(number)", to: cdev)
            fs.put("/dev/vfio/devices/vfio\(index)", .characterDevice(major: number.major, minor: number.minor))
            // The legacy group node, and the VFIO compatibility container node.
            let groupNumber = DeviceNumber(major: settings.vfioGroupMajor, minor: UInt32(device.iommuGroup))
            let groupNode = device.isMediated ? "/dev/vfio/noiommu-\(device.iommuGroup)" : "/dev/vfio/\(device.iommuGroup)"
            fs.put(groupNode, .characterDevice(major: groupNumber.major, minor: groupNumber.minor))
            fs.put("/sys/devices/virtual/vfio/\(device.iommuGroup)/dev", .text("\(groupNumber)\n"))
            link(&fs, "/sys/devices/virtual/vfio/\(device.iommuGroup)/subsystem", to: "/sys/class/vfio")
            link(&fs, "/sys/dev/char/\(groupNumber)", to: "/sys/devices/virtual/vfio/\(device.iommuGroup)")
            link(&fs, "/sys/class/vfio/\(device.iommuGroup)", to: "/sys/devices/virtual/vfio/\(device.iommuGroup)")
            fs.put("/dev/vfio/vfio", .characterDevice(major: 10, minor: 196))
        }
    }

    private func pad16(_ value: UInt64) -> String { pad(value, 16) }

    private func pad(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    // MARK: - Descriptors

    func allocateDescriptor(_ file: OpenFile) -> CInt {
        var fd: CInt = 3
        while files[fd] != nil { fd += 1 }
        files[fd] = file
        return fd
    }

    func newContext() -> Context {
        let context = Context(number: nextContext)
        nextContext += 1
        contexts[context.number] = context
        return context
    }

    /// `open(2)`.
    func open(_ path: String, flags: CInt) -> KResult<CInt> {
        let lookup = fs.status(path)
        guard case .success(let (canonical, file)) = lookup else {
            if case .failure(let errno) = lookup { return .failure(errno) }
            return .failure(.ENOENT)
        }
        if fs.denied.contains(canonical) || fs.denied.contains(path) { return .failure(.EACCES) }
        let writing = flags & O_ACCMODE != O_RDONLY
        switch file {
        case .directory:
            if writing { return .failure(.EISDIR) }
            return .success(allocateDescriptor(.other(path: canonical, file: file)))
        case .socket:
            return .failure(.ENXIO)
        case .characterDevice(let major, let minor):
            if let node = settings.iommufdNode, node.major == major, node.minor == minor {
                let context = newContext()
                context.references = 1
                return .success(allocateDescriptor(.iommufd(context, path: path, status: file.status)))
            }
            if major == settings.vfioDeviceMajor {
                guard let device = device(vfioMinor: minor) else { return .failure(.ENXIO) }
                return .success(allocateDescriptor(.vfio(VFIOFile(device: device, status: file.status, path: path))))
            }
            return .success(allocateDescriptor(.other(path: canonical, file: file)))
        default:
            return .success(allocateDescriptor(.other(path: canonical, file: file)))
        }
    }

    /// `close(2)`.
    func close(_ fd: CInt) -> KResult<CInt> {
        guard let file = files.removeValue(forKey: fd) else { return .failure(.EBADF) }
        switch file {
        case .iommufd(let context, _, _):
            put(context)
        case .vfio(let vfio):
            if vfio.bound { unbind(vfio) }
        case .faultQueue(let context, let id):
            (context.objects[id] as? FaultObject)?.descriptorOpen = false
            put(context)
        case .eventQueue(let context, let id):
            (context.objects[id] as? VEventQObject)?.descriptorOpen = false
            put(context)
        case .other:
            break
        }
        return .success(0)
    }

    /// `fstat(2)`.
    func fileStatus(_ fd: CInt) -> KResult<FileStatus> {
        guard let file = files[fd] else { return .failure(.EBADF) }
        switch file {
        case .iommufd(_, _, let status): return .success(status)
        case .vfio(let vfio): return .success(vfio.status)
        case .faultQueue, .eventQueue: return .success(FileStatus(kind: .unknown))
        case .other(_, let file): return .success(file.status)
        }
    }

    /// `pread(2)`.
    func pread(_ fd: CInt, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> KResult<Int> {
        guard let file = files[fd] else { return .failure(.EBADF) }
        switch file {
        case .iommufd: return .failure(.EINVAL)
        case .faultQueue, .eventQueue: return .failure(.ESPIPE)
        case .vfio(let vfio): return readRegion(vfio, into: buffer, offset: offset)
        case .other(_, let node):
            switch node {
            case .regular(let bytes):
                guard offset >= 0 else { return .failure(.EINVAL) }
                let start = min(Int(offset), bytes.count)
                let count = min(buffer.count, bytes.count - start)
                if count > 0 {
                    bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: count) }
                }
                return .success(count)
            case .directory: return .failure(.EISDIR)
            case .fifo: return .failure(.ESPIPE)
            default: return .success(0)
            }
        }
    }

    /// Drops one file reference of a context; the last one releases it
    /// (`iommufd_fops_release`): every object is destroyed.
    func put(_ context: Context) {
        context.references -= 1
        guard context.references <= 0 else { return }
        for object in context.objects.values {
            if let selftest = object as? SelftestObject { destroyMockDevice(selftest.device) }
        }
        for (key, owner) in groupOwners where owner.context == context.number { groupOwners[key] = nil }
        context.objects.removeAll()
        context.tombstones.removeAll()
        context.groups.removeAll()
        contexts[context.number] = nil
    }

    // MARK: - Object accounting

    /// The kernel's `users` refcount of an object beyond its own reference:
    /// `IOMMU_DESTROY` succeeds only when it is 0.
    func users(of object: KObject, in context: Context) -> Int {
        let id = object.id
        var count = 0
        switch object {
        case let ioas as IOASObject:
            count += context.objects.values.filter { ($0 as? HWPTObject)?.ioas == id }.count
            count += ioas.accesses.count
        case let hwpt as HWPTObject:
            count += attachments(of: id, in: context)
            if !hwpt.nested {
                count += context.objects.values.filter {
                    guard let nested = $0 as? HWPTObject, nested.nested else { return false }
                    return nested.parent == id && nested.viommu == nil
                }.count
                count += context.objects.values.filter { ($0 as? VIOMMUObject)?.hwpt == id }.count
            }
        case is DeviceObject, is AccessObject:
            count += 1                          // the driver holds the object until unbind
        case let fault as FaultObject:
            count += context.objects.values.filter { ($0 as? HWPTObject)?.fault == id }.count
            count += fault.descriptorOpen ? 1 : 0
        case let viommu as VIOMMUObject:
            count += context.objects.values.filter { ($0 as? HWPTObject)?.viommu == id }.count
            count += viommu.vdevs.count
            count += context.objects.values.filter { ($0 as? VEventQObject)?.viommu == id }.count
        case let queue as VEventQObject:
            count += queue.descriptorOpen ? 1 : 0
        default:
            break
        }
        return count
    }

    /// How many device attachments hold an HWPT.
    func attachments(of hwpt: UInt32, in context: Context) -> Int {
        context.groups.values.reduce(0) { sum, group in
            sum + group.attach.values.filter { $0.hwpt == hwpt }.reduce(0) { $0 + $1.devices.count }
        }
    }

    /// Removes an object whose users are gone, undoing what it held.
    func remove(_ object: KObject, from context: Context, tombstone: Bool = false) {
        context.objects[object.id] = nil
        if tombstone { context.tombstones.insert(object.id) }
        if context.vfioIOAS == object.id { context.vfioIOAS = nil }
        switch object {
        case let hwpt as HWPTObject:
            if let ioasID = hwpt.ioas, let ioas = context.object(ioasID, as: IOASObject.self) {
                ioas.hwptList.removeAll { $0 == hwpt.id }
                removeDomain(hwpt.id, from: ioas)
            }
        case let vdev as VDeviceObject:
            context.object(vdev.viommu, as: VIOMMUObject.self)?.vdevs[vdev.virtualID] = nil
            context.object(vdev.idev, as: DeviceObject.self)?.vdev = nil
        case let selftest as SelftestObject:
            if let idev = context.object(selftest.idev, as: DeviceObject.self) {
                // The kernel expects every PASID detached first (it WARNs and
                // leaks otherwise); the model detaches them.
                let group = context.group(idev.device.groupKey)
                for pasid in group.attach.keys.sorted() where pasid != noPASID {
                    if group.attach[pasid]?.devices.contains(idev.id) == true { detach(idev, pasid: pasid, in: context) }
                }
                detach(idev, pasid: noPASID, in: context)
                unbindDevice(idev, in: context)
            }
            destroyMockDevice(selftest.device)
        default:
            break
        }
    }

    /// `iommufd_device_unbind` (the VFIO driver or the mock's destroy).
    func unbindDevice(_ idev: DeviceObject, in context: Context) {
        if let vdevID = idev.vdev, let vdev = context.objects[vdevID] {
            remove(vdev, from: context, tombstone: true)
        }
        context.objects[idev.id] = nil
        releaseOwnership(idev.device.groupKey, context: context)
    }

    func releaseOwnership(_ group: String, context: Context) {
        guard let owner = groupOwners[group], owner.context == context.number else { return }
        groupOwners[group] = owner.count > 1 ? (owner.context, owner.count - 1) : nil
    }

    func destroyMockDevice(_ device: PhysicalDevice) {
        device.present = false
        devices.removeAll { $0 === device }
        if let number = Int(device.name.dropFirst("iommufd_mock".count)) { mockDeviceIDs.remove(number) }
    }
}
