#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
internal import CIOMMUFD
internal import CIOMMUFDSelftest
public import IOMMUFD
public import SystemPackage
import Synchronization

/// An in-memory model of Linux iommufd and the VFIO device cdev that plugs
/// into the library's system-call seam, so the very same ``IOMMUFD`` code
/// runs without root or hardware.
///
/// The model answers both halves of ``SyscallBackend``: the ioctls (iommufd
/// objects, IDs, errnos and structure-size rules as the configured
/// ``KernelProfile`` has them) and the file system the library inspects
/// (`/dev/iommu`, `/dev/vfio/devices/vfioN` and the sysfs entries of a
/// ``ModelHost``). It records every call (``trace``), can fail chosen calls
/// (``injectFault(_:on:times:)``), and tells which objects and descriptors
/// are still alive (``liveObjects``, ``openDescriptors``).
///
/// ```swift
/// let model = KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux7_2)
/// let iommufd = try IOMMUFD(backend: model)
/// var device = try VFIODevice(opening: "vfio0", backend: model)
/// let id = try device.bind(to: iommufd)
/// …
/// #expect(model.liveObjects.isEmpty)   // after cleanup
/// ```
///
/// Where the model deliberately differs from the kernel is listed in
/// `Docs/TestingModel.md`. It is thread-safe: calls are serialised.
public final class KernelModel: SyscallBackend {
    private let state: Mutex<ModelState>

    /// The kernel release the model behaves as.
    public let kernel: KernelProfile

    /// Creates a model of `host` running `kernel`.
    public init(host: ModelHost = .qemuIntelVTd(), kernel: KernelProfile = .linux7_2) {
        self.kernel = kernel
        self.state = Mutex(ModelState(kernel: Kernel(host: host, kernel: kernel)))
    }

    // MARK: - SyscallBackend: descriptors

    /// `open(2)` of a model path: `/dev/iommu` opens a new iommufd context,
    /// `/dev/vfio/devices/vfioN` a VFIO device file; other files open as
    /// plain files (ioctls fail with `ENOTTY`).
    public func open(_ path: String, flags: CInt) -> CInt {
        state.withLock { state in
            state.perform(.descriptor, "open", path: path, arguments: [TraceField("flags", .hex(UInt64(UInt32(bitPattern: flags))))]) {
                $0.open(path, flags: flags).map { fd in (Int(fd), [TraceField("fd", .number(UInt64(fd)))]) }
            }.asCInt
        }
    }

    /// `close(2)`: releases the descriptor as the kernel would (closing a
    /// bound VFIO device unbinds it; the last reference to an iommufd
    /// destroys all its objects).
    public func close(_ descriptor: CInt) -> CInt {
        state.withLock { state in
            state.perform(.descriptor, "close", descriptor: descriptor) { $0.close(descriptor).map { (Int($0), []) } }.asCInt
        }
    }

    /// `ioctl(2)`: iommufd and VFIO cdev requests, decoded into the trace.
    public func ioctl(_ descriptor: CInt, request: UInt, argument: UnsafeMutableRawPointer) -> CInt {
        // The caller's memory is only touched under the lock, during the call.
        let memory = UserPointer(argument)
        return state.withLock { state in
            let argument = memory.pointer
            let spec = ioctlSpecs[request]
            let name = spec?.name ?? "ioctl(0x\(String(request, radix: 16)))"
            var arguments = spec.map { $0.decode($0.inputs, argument) } ?? []
            if request == CIOMMUFD_IOMMU_TEST_CMD { arguments = selftestArguments(argument) }
            return state.perform(.ioctl, name, descriptor: descriptor, arguments: arguments) { kernel in
                kernel.ioctl(descriptor, request: request, argument: argument).map { value in
                    var outputs = spec.map { $0.decode($0.outputs, argument) } ?? []
                    if request == CIOMMUFD_IOMMU_TEST_CMD { outputs = selftestOutputs(argument) }
                    return (Int(value), outputs)
                }
            }.asCInt
        }
    }

    /// `pread(2)`: VFIO regions (the PCI config space is the device's image;
    /// BARs read as zeros) and regular files.
    public func pread(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Int {
        let memory = UserBuffer(buffer)
        return state.withLock { state in
            let buffer = memory.buffer
            let arguments = [TraceField("count", .number(UInt64(buffer.count))), TraceField("offset", .hex(UInt64(bitPattern: offset)))]
            let result = state.perform(.descriptor, "pread", descriptor: descriptor, arguments: arguments) {
                $0.pread(descriptor, into: buffer, offset: offset).map { ($0, []) }
            }
            switch result {
            case .success(let count): return count
            case .failure(let errno): return -Int(errno.rawValue)
            }
        }
    }

    /// `fstat(2)`.
    public func status(ofDescriptor descriptor: CInt) throws(Errno) -> FileStatus {
        let result: Result<FileStatus, Errno> = state.withLock { state in
            var status = FileStatus(kind: .unknown)
            let traced = state.perform(.descriptor, "fstat", descriptor: descriptor) { kernel in
                kernel.fileStatus(descriptor).map { found in
                    status = found
                    return (0, [TraceField("kind", .text(found.kind.description))])
                }
            }
            if let errno = traced.errno { return .failure(errno) }
            return .success(status)
        }
        return try result.get()
    }

    // MARK: - SyscallBackend: file system

    /// `stat(2)` (follows symbolic links).
    public func status(ofPath path: String) throws(Errno) -> FileStatus {
        let result: Result<FileStatus, Errno> = state.withLock { state in
            var status = FileStatus(kind: .unknown)
            let traced = state.perform(.fileSystem, "stat", path: path) { kernel in
                kernel.fs.status(path).map { found in
                    status = found.file.status
                    return (0, [TraceField("kind", .text(status.kind.description))])
                }
            }
            if let errno = traced.errno { return .failure(errno) }
            return .success(status)
        }
        return try result.get()
    }

    /// `realpath(3)`.
    public func canonicalPath(_ path: String) -> String? {
        state.withLock { state in
            var canonical: String?
            _ = state.perform(.fileSystem, "realpath", path: path) { kernel in
                kernel.fs.resolve(path).map { found in
                    canonical = found
                    return (0, [TraceField("path", .text(found))])
                }
            }
            return canonical
        }
    }

    /// Reads a whole regular file (sysfs attributes).
    public func readFile(_ path: String) -> [UInt8]? {
        state.withLock { state in
            var bytes: [UInt8]?
            _ = state.perform(.fileSystem, "read", path: path) { kernel in
                kernel.fs.status(path).flatMap { found in
                    switch found.file {
                    case .regular(let content):
                        bytes = content
                        return .success((content.count, []))
                    case .directory: return .failure(.EISDIR)
                    default: return .failure(.EINVAL)
                    }
                }
            }
            return bytes
        }
    }

    /// Lists a directory.
    public func directoryEntries(_ path: String) -> [String]? {
        state.withLock { state in
            var entries: [String]?
            _ = state.perform(.fileSystem, "readdir", path: path) { kernel in
                kernel.fs.status(path).flatMap { found in
                    guard case .directory = found.file, let names = kernel.fs.entries(path) else { return .failure(.ENOTDIR) }
                    entries = names
                    return .success((names.count, []))
                }
            }
            return entries
        }
    }

    /// The profile's ``KernelProfile/releaseString``.
    public func kernelRelease() -> String? {
        state.withLock { state in
            var release: String?
            _ = state.perform(.query, "uname") { kernel in
                release = kernel.profile.releaseString
                return .success((0, [TraceField("release", .text(kernel.profile.releaseString))]))
            }
            return release
        }
    }

    // MARK: - Trace and faults

    /// Every call made so far (or since ``clearTrace()``), in order.
    public var trace: [TraceEntry] { state.withLock { $0.trace } }

    /// The ioctls of ``trace``.
    public var ioctlTrace: [TraceEntry] { trace.filter(\.isIoctl) }

    /// Forgets the calls recorded so far (sequence numbers keep counting).
    public func clearTrace() { state.withLock { $0.trace.removeAll() } }

    /// Makes a future call fail with `errno` without reaching the model.
    ///
    /// - Parameters:
    ///   - errno: The errno the call returns (file-system calls report it as
    ///     a failure too: `stat` throws it, `realpath` returns `nil`).
    ///   - trigger: Which call.
    ///   - times: For ``FaultTrigger/nextCall(to:path:)``, how many matching
    ///     calls fail in a row.
    public func injectFault(_ errno: Errno, on trigger: FaultTrigger, times: Int = 1) {
        state.withLock { state in
            switch trigger {
            case .nthCall(let n):
                state.faults.append(PendingFault(errno: errno, match: .sequence(state.sequence + n), remaining: 1))
            case .callNumber(let n):
                state.faults.append(PendingFault(errno: errno, match: .sequence(n), remaining: 1))
            case .nextCall(let name, let path):
                state.faults.append(PendingFault(errno: errno, match: .operation(name, path), remaining: max(1, times)))
            }
        }
    }

    /// Removes every pending injected fault.
    public func clearFaults() { state.withLock { $0.faults.removeAll() } }

    /// The number of injected faults that have not fired yet.
    public var pendingFaultCount: Int { state.withLock { $0.faults.count } }

    // MARK: - Accounting

    /// Every object alive in every iommufd context, ordered by context and ID.
    /// Contexts outlive their descriptor while bound VFIO devices or event
    /// queue descriptors hold them, as in the kernel.
    public var liveObjects: [LiveObject] {
        state.withLock { state in
            state.kernel.contexts.values.sorted { $0.number < $1.number }.flatMap { context in
                context.objects.values.sorted { $0.id < $1.id }.map { LiveObject($0, context: context, kernel: state.kernel) }
            }
        }
    }

    /// Every open model descriptor, in numeric order.
    public var openDescriptors: [OpenDescriptor] {
        state.withLock { state in
            state.kernel.files.keys.sorted().map { OpenDescriptor(descriptor: $0, file: state.kernel.files[$0]!) }
        }
    }

    /// Whether nothing leaked: no live object and no open descriptor.
    public var isQuiescent: Bool { liveObjects.isEmpty && openDescriptors.isEmpty }

    /// The mappings of an IOAS, in IOVA order.
    ///
    /// - Parameters:
    ///   - ioas: The IOAS.
    ///   - iommufd: Its iommufd; may be omitted when only one context is alive.
    public func mappings(of ioas: IOASID, iommufd: FileDescriptor? = nil) throws(ModelError) -> [ModelMapping] {
        try state.withLock { (state) throws(ModelError) -> [ModelMapping] in
            let context = try state.context(iommufd)
            guard let object = context.objects[ioas.rawValue] as? IOASObject else { throw .noSuchObject(ioas.rawValue) }
            return object.areas.map(ModelMapping.init)
        }
    }

    /// Simulates device writes: marks the pages of `[iova, iova + length)`
    /// dirty in an HWPT, as the IOMMU would set the dirty bits. Only pages
    /// that are mapped are marked, and only while the HWPT tracks dirty pages
    /// (``IOMMUFD/setDirtyTracking(_:for:)``), like real hardware.
    ///
    /// - Returns: The number of 4 KiB pages marked.
    @discardableResult
    public func markDirty(hwpt: HWPTID, iova: UInt64, length: UInt64, iommufd: FileDescriptor? = nil) throws(ModelError) -> Int {
        try state.withLock { (state) throws(ModelError) -> Int in
            let context = try state.context(iommufd)
            guard let object = context.objects[hwpt.rawValue] as? HWPTObject, !object.nested else {
                throw .noSuchObject(hwpt.rawValue)
            }
            guard object.domain.dirtyOps else { throw .notDirtyTracking(hwpt.rawValue) }
            guard length > 0 else { return 0 }
            var marked = 0
            var page = iova - iova % pageSize
            while page <= iova + (length - 1) {
                if state.kernel.setDirty(object, iova: page, context) { marked += 1 }
                let (next, overflow) = page.addingReportingOverflow(pageSize)
                if overflow { break }
                page = next
            }
            return marked
        }
    }

    // MARK: - The fake host

    /// Places a file (or directory, link, device node, FIFO…) at `path`,
    /// creating parent directories.
    public func addFile(_ file: ModelFile, at path: String) {
        state.withLock { state in
            state.kernel.settings.files[path] = file
            state.kernel.fs.put(path, file)
        }
    }

    /// Removes a file or directory tree.
    public func removeFile(at path: String) {
        state.withLock { state in
            for key in state.kernel.settings.files.keys where key == path || key.hasPrefix(path + "/") {
                state.kernel.settings.files[key] = nil
            }
            state.kernel.fs.removeTree(path)
        }
    }

    /// Makes opening `path` fail with `EACCES`, as for a user without access.
    public func denyAccess(to path: String) {
        state.withLock { _ = $0.kernel.fs.denied.insert(path) }
    }

    /// Adds a device to the host (hot-plug, or binding it to vfio-pci):
    /// its node and sysfs entries appear.
    public func addDevice(_ device: HostDevice) {
        state.withLock { state in
            state.kernel.addHostDevice(device)
            state.kernel.rebuildFileSystem()
        }
    }

    /// Removes the device with cdev `vfioN` (unplug, or unbinding it from
    /// vfio-pci): its node and sysfs entries disappear. Descriptors already
    /// open keep working until closed (the kernel waits for them).
    public func removeDevice(vfioIndex: Int) throws(ModelError) {
        try state.withLock { (state) throws(ModelError) in
            guard let device = state.kernel.device(vfioIndex: vfioIndex) else {
                throw .noSuchDevice("vfio\(vfioIndex)")
            }
            device.present = false
            state.kernel.rebuildFileSystem()
        }
    }

    /// Changes who else uses the device with cdev `vfioN`.
    public func setUse(_ use: DeviceUse, ofDevice vfioIndex: Int) throws(ModelError) {
        try state.withLock { (state) throws(ModelError) in
            guard let device = state.kernel.device(vfioIndex: vfioIndex) else {
                throw .noSuchDevice("vfio\(vfioIndex)")
            }
            device.host?.use = use
        }
    }
}

/// A misuse of the model's own API (not a modelled errno).
public enum ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No iommufd context matches the descriptor (or none is open).
    case noSuchIOMMUFD
    /// Several iommufd contexts are alive: name the descriptor.
    case ambiguousIOMMUFD
    /// No object of the expected kind has this ID.
    case noSuchObject(UInt32)
    /// The HWPT was not allocated with dirty tracking.
    case notDirtyTracking(UInt32)
    /// No such device on the host.
    case noSuchDevice(String)

    /// A sentence.
    public var description: String {
        switch self {
        case .noSuchIOMMUFD: "no iommufd context matches"
        case .ambiguousIOMMUFD: "several iommufd contexts are alive; pass the descriptor"
        case .noSuchObject(let id): "no suitable object with ID \(id)"
        case .notDirtyTracking(let id): "HWPT \(id) was not allocated with dirty tracking"
        case .noSuchDevice(let name): "no device \(name)"
        }
    }
}

/// One mapping of an IOAS, as the model holds it.
public struct ModelMapping: Sendable, Hashable, CustomStringConvertible {
    /// The first IOVA.
    public var iova: UInt64
    /// The length in bytes.
    public var length: UInt64
    /// The user address the mapping starts at (`IOMMU_IOAS_MAP`, or the
    /// source of `IOMMU_IOAS_COPY`), or `nil` for a file mapping.
    public var userAddress: UInt64?
    /// Devices may write.
    public var writeable: Bool
    /// Devices may read.
    public var readable: Bool

    init(_ area: Area) {
        iova = area.iova
        length = area.length
        if case .user(let address) = area.source { userAddress = address }
        writeable = area.writeable
        readable = area.readable
    }

    /// `"0x1000000+0x4000 rw"`.
    public var description: String {
        "0x\(String(iova, radix: 16))+0x\(String(length, radix: 16)) \(readable ? "r" : "-")\(writeable ? "w" : "-")"
    }
}

/// The caller's memory, carried into the lock for the duration of one call.
private struct UserPointer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
}

/// The caller's buffer, carried into the lock for the duration of one call.
private struct UserBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableRawBufferPointer
    init(_ buffer: UnsafeMutableRawBufferPointer) { self.buffer = buffer }
}
