#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import SystemPackage
import Synchronization

/// A syscall backend for unit tests of the typed layer: it records every call
/// with a copy of the structure the kernel would read, and answers ioctls with
/// a script. File-system calls go to a small in-memory table, or to the real
/// system for paths under `realPrefixes`.
final class ScriptedBackend: SyscallBackend {
    /// One recorded ioctl.
    struct Call: Sendable {
        var descriptor: CInt
        var request: UInt
        /// The argument's bytes as the library passed them (before the reply).
        var bytes: [UInt8]

        /// Loads the argument as a C structure.
        func load<T>(_: T.Type) -> T {
            precondition(bytes.count >= MemoryLayout<T>.size, "argument shorter than \(T.self)")
            return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
        }
    }

    /// Answers an ioctl: may write the reply into the argument; returns 0, a
    /// positive result, or -errno.
    typealias Responder = @Sendable (_ request: UInt, _ argument: UnsafeMutableRawPointer, _ callIndex: Int) -> CInt

    private struct State {
        var calls: [Call] = []
        var opens: [String] = []
        var closes: [CInt] = []
        var nextDescriptor: CInt = 100
        var responder: Responder = { _, _, _ in 0 }
        var openResult: [String: CInt] = [:]
        var files: [String: FileStatus] = [:]
        var canonical: [String: String] = [:]
        var directories: [String: [String]] = [:]
        var descriptorStatus: [CInt: FileStatus] = [:]
        var release: String? = "7.2.13"
        var realPrefixes: [String] = []
    }

    private let state = Mutex(State())

    init(responder: @escaping Responder = { _, _, _ in 0 }) {
        state.withLock { $0.responder = responder }
    }

    var calls: [Call] { state.withLock { $0.calls } }
    var closes: [CInt] { state.withLock { $0.closes } }
    var opens: [String] { state.withLock { $0.opens } }

    func respond(_ responder: @escaping Responder) { state.withLock { $0.responder = responder } }
    func setKernelRelease(_ release: String?) { state.withLock { $0.release = release } }
    func failOpen(_ path: String, errno: CInt) { state.withLock { $0.openResult[path] = -errno } }
    func useRealFileSystem(under prefix: String) { state.withLock { $0.realPrefixes.append(prefix) } }

    /// Adds a file; char devices get their status both by path and, once
    /// opened, by descriptor.
    func addFile(_ path: String, _ status: FileStatus) { state.withLock { $0.files[path] = status } }
    func addLink(_ path: String, to target: String) { state.withLock { $0.canonical[path] = target } }
    func addDirectory(_ path: String, entries: [String]) { state.withLock { $0.directories[path] = entries } }

    /// The iommufd node `/dev/iommu` (misc 10:257).
    func addIOMMUNode() {
        addFile("/dev/iommu", FileStatus(kind: .characterDevice, deviceMajor: 10, deviceMinor: 257))
        addLink("/sys/dev/char/10:257", to: "/sys/devices/virtual/misc/iommu")
    }

    /// Adds the iommufd node and opens an iommufd through this backend.
    func openIOMMUFD() throws(IOMMUFDError) -> IOMMUFD {
        addIOMMUNode()
        return try IOMMUFD(backend: self)
    }

    /// A fake PCI VFIO device: node, sysfs class link and PCI directory.
    func addVFIODevice(name: String, pci: String, major: UInt32 = 511, minor: UInt32 = 0) {
        let node = "/dev/vfio/devices/\(name)"
        let sysfs = "/sys/devices/pci0000:00/\(pci)/vfio-dev/\(name)"
        addFile(node, FileStatus(kind: .characterDevice, deviceMajor: major, deviceMinor: minor))
        addLink("/sys/dev/char/\(major):\(minor)", to: sysfs)
        addLink("/sys/dev/char/\(major):\(minor)/subsystem", to: "/sys/class/vfio-dev")
        addDirectory("/sys/bus/pci/devices/\(pci)", entries: ["vfio-dev", "vendor", "device"])
        addDirectory("/sys/bus/pci/devices/\(pci)/vfio-dev", entries: [name])
        addLink("/sys/bus/pci/devices/\(pci)/driver", to: "/sys/bus/pci/drivers/vfio-pci")
    }

    private func isReal(_ path: String) -> Bool {
        state.withLock { s in s.realPrefixes.contains { path.hasPrefix($0) } }
    }

    func open(_ path: String, flags: CInt) -> CInt {
        if isReal(path) {
            state.withLock { $0.opens.append(path) }
            return LinuxSyscalls.shared.open(path, flags: flags)
        }
        return state.withLock { s in
            s.opens.append(path)
            if let result = s.openResult[path] { return result }
            guard let status = s.files[path] else { return -ENOENT }
            let fd = s.nextDescriptor
            s.nextDescriptor += 1
            s.descriptorStatus[fd] = status
            return fd
        }
    }

    func close(_ descriptor: CInt) -> CInt {
        if descriptor < 100 { return LinuxSyscalls.shared.close(descriptor) }
        return state.withLock { s in
            s.closes.append(descriptor)
            s.descriptorStatus[descriptor] = nil
            return 0
        }
    }

    func ioctl(_ descriptor: CInt, request: UInt, argument: UnsafeMutableRawPointer) -> CInt {
        let (responder, index) = state.withLock { s in
            let size = ScriptedBackend.argumentSize(request: request, argument: argument)
            s.calls.append(Call(descriptor: descriptor, request: request,
                                bytes: Array(UnsafeRawBufferPointer(start: argument, count: size))))
            return (s.responder, s.calls.count - 1)
        }
        return responder(request, argument, index)
    }

    /// The size the kernel reads: iommufd and VFIO structures start with it.
    static func argumentSize(request: UInt, argument: UnsafeMutableRawPointer) -> Int {
        Int(argument.loadUnaligned(as: UInt32.self))
    }

    func pread(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Int { -Int(EIO) }

    func status(ofPath path: String) throws(Errno) -> FileStatus {
        if isReal(path) { return try LinuxSyscalls.shared.status(ofPath: path) }
        guard let status = state.withLock({ $0.files[path] }) else { throw .noSuchFileOrDirectory }
        return status
    }

    func status(ofDescriptor descriptor: CInt) throws(Errno) -> FileStatus {
        if descriptor < 100 { return try LinuxSyscalls.shared.status(ofDescriptor: descriptor) }
        guard let status = state.withLock({ $0.descriptorStatus[descriptor] }) else { throw .badFileDescriptor }
        return status
    }

    func canonicalPath(_ path: String) -> String? {
        if isReal(path) { return LinuxSyscalls.shared.canonicalPath(path) }
        if path.hasPrefix("/sys/dev/char/"), let real = LinuxSyscalls.shared.canonicalPath(path),
           state.withLock({ $0.canonical[path] }) == nil {
            return real
        }
        return state.withLock { $0.canonical[path] }
    }

    func readFile(_ path: String) -> [UInt8]? { isReal(path) ? LinuxSyscalls.shared.readFile(path) : nil }

    func directoryEntries(_ path: String) -> [String]? {
        if isReal(path) { return LinuxSyscalls.shared.directoryEntries(path) }
        return state.withLock { $0.directories[path] }
    }

    func kernelRelease() -> String? { state.withLock { $0.release } }
}

/// Writes `value` as the kernel's reply into an ioctl argument.
func reply<T>(_ argument: UnsafeMutableRawPointer, _ value: T) {
    argument.storeBytes(of: value, as: T.self)
}

/// Loads an ioctl argument as a C structure.
func load<T>(_ argument: UnsafeMutableRawPointer, as type: T.Type) -> T {
    argument.loadUnaligned(as: T.self)
}
