import CBaseline
import IOMMUFD
import IOMMUFDTesting
import Synchronization
import struct SystemPackage.FileDescriptor
import struct SystemPackage.Errno

#if canImport(Glibc)
import Glibc
#endif

/// The number of ioctls needed to attach N devices over M IOMMU groups
/// whose domains are mutually incompatible: the library's autodomain policy
/// next to QEMU's algorithm.
///
/// QEMU's count is given three ways that must agree: the closed formula
/// derived from `hw/vfio/iommufd.c` (Docs/Benchmarks.md), the C
/// transliteration of that code (`cb_qemu_autodomains_get`) run on the same
/// devices, and — for the policy — its own `AttachDecision.ioctlCount`
/// cross-checked against the ioctls actually issued (the model's trace, or a
/// counting backend on the real kernel).
enum PolicyCounts {
    enum Order: String {
        case roundRobin = "round-robin"
        case grouped
    }

    struct Row {
        var source: String          // "model" or "kernel"
        var scenario: String
        var order: String
        var devices: Int
        var groups: Int?
        var policyIoctls: Int       // sum of AttachDecision.ioctlCount
        var policyTraced: Int       // ioctls actually issued by the policy
        var qemuIoctls: Int         // the C transliteration of QEMU's code
        var qemuFormula: Int?       // the closed formula, where it applies
        var hwpts: Int
        var qemuHWPTs: Int

        var consistent: Bool { policyIoctls == policyTraced && (qemuFormula.map { $0 == qemuIoctls } ?? true) }
        var meetsTarget: Bool { policyIoctls <= qemuIoctls && policyIoctls <= (qemuFormula ?? .max) }
    }

    /// QEMU's count, round-robin order (device k is in group k mod M), N a
    /// multiple of M: the first M devices find k incompatible HWPTs, then
    /// GET_HW_INFO + HWPT_ALLOC + attach (k + 3); every later device of
    /// group g walks the M HWPTs newest first (groups M-1 … g): M - g attaches.
    static func qemuRoundRobin(devices n: Int, groups m: Int) -> Int {
        m * (m + 5) / 2 + (n - m) * (m + 1) / 2
    }

    /// QEMU's count, grouped order (all devices of a group in a row): the
    /// first device of the g-th group costs g + 3, every other device 1
    /// (its group's HWPT is the newest).
    static func qemuGrouped(devices n: Int, groups m: Int) -> Int {
        m * (m + 5) / 2 + (n - m)
    }

    static func order(_ order: Order, devices n: Int, groups m: Int) -> [Int] {
        let perGroup = n / m
        switch order {
        case .roundRobin: return (0..<perGroup).flatMap { i in (0..<m).map { g in g * perGroup + i } }
        case .grouped: return Array(0..<n)
        }
    }

    // MARK: - On the model

    static let modelShapes: [(Int, Int)] = [(1, 1), (2, 1), (4, 2), (6, 3), (8, 4), (9, 3), (16, 4), (32, 8)]
    static let quickModelShapes: [(Int, Int)] = [(2, 1), (4, 2), (9, 3), (16, 4)]

    static func runModel(quick: Bool) throws -> [Row] {
        var rows: [Row] = []
        for (n, m) in quick ? quickModelShapes : modelShapes {
            for order in [Order.roundRobin, .grouped] {
                rows.append(try modelRow(devices: n, groups: m, order: order))
            }
        }
        return rows
    }

    static func modelRow(devices n: Int, groups m: Int, order: Order) throws -> Row {
        let sequence = Self.order(order, devices: n, groups: m)

        // The library's policy.
        let model = KernelModel(host: ModelHost.incompatibleIntelVTdUnits(m, devicesPerUnit: n / m))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let container = AutodomainContainer(ioas: ioas, iommufd: iommufd, logger: quietLogger())
        var policy = 0
        var opened: [FileDescriptor] = []
        var traced = 0
        for index in sequence {
            var device = try VFIODevice(opening: "vfio\(index)", backend: model)
            try device.bind(to: iommufd)
            model.clearTrace()
            policy += try container.attach(device, iommufd: iommufd, wants: []).ioctlCount
            traced += model.ioctlTrace.count
            opened.append(device.relinquish())
        }
        let hwpts = container.snapshot.hwpts.count
        for fd in opened { _ = model.close(fd.rawValue) }

        // QEMU's algorithm in C, on an identical fresh model.
        let qemuModel = KernelModel(host: ModelHost.incompatibleIntelVTdUnits(m, devicesPerUnit: n / m))
        let qemuFD = try IOMMUFD(backend: qemuModel)
        let qemuIOAS = try qemuFD.allocateIOAS()
        let (qemuCount, qemuHWPTs) = try withQEMU(iommufd: qemuFD.descriptor.rawValue, ioas: qemuIOAS,
                                                  model: qemuModel) { env, container in
            var closing: [FileDescriptor] = []
            defer { for fd in closing { _ = qemuModel.close(fd.rawValue) } }
            for index in sequence {
                try qemuAttach("vfio\(index)", backend: qemuModel, iommufd: qemuFD, env: &env, container: &container,
                               opened: &closing)
            }
        }
        let formula = order == .roundRobin ? qemuRoundRobin(devices: n, groups: m) : qemuGrouped(devices: n, groups: m)
        return Row(source: "model", scenario: "\(m) incompatible VT-d units", order: order.rawValue, devices: n,
                   groups: m, policyIoctls: policy, policyTraced: traced, qemuIoctls: qemuCount,
                   qemuFormula: formula, hwpts: hwpts, qemuHWPTs: qemuHWPTs)
    }

    /// Runs `body` with a QEMU container on `ioas`; the ioctls go to the
    /// model when one is given, to the kernel otherwise. Returns the number
    /// of ioctls the body's QEMU calls issued and the HWPTs it made.
    static func withQEMU(
        iommufd: CInt, ioas: IOASID, model: KernelModel?,
        _ body: (inout cb_qemu_env, inout cb_qemu_container) throws -> Void
    ) throws -> (Int, Int) {
        var container = cb_qemu_container()
        container.iommufd = iommufd
        container.ioas_id = ioas.rawValue
        var env = cb_qemu_env(ioctl: nil, context: nil, ioctls: 0)
        if let model {
            env.ioctl = { context, fd, request, argument in
                let model = Unmanaged<KernelModel>.fromOpaque(context!).takeUnretainedValue()
                return model.ioctl(fd, request: request, argument: argument!)
            }
            env.context = Unmanaged.passUnretained(model).toOpaque()
        }
        try withExtendedLifetime(model) { try body(&env, &container) }
        return (env.ioctls, Int(container.count))
    }

    /// Opens and binds the VFIO device `name` (through `backend`, or the
    /// real system calls), appends its descriptor to `opened` for the caller
    /// to close, and attaches it with QEMU's algorithm in C.
    static func qemuAttach(
        _ name: String, backend: (any SyscallBackend)?, iommufd: borrowing IOMMUFD,
        env: inout cb_qemu_env, container: inout cb_qemu_container, opened: inout [FileDescriptor]
    ) throws {
        var device = try VFIODevice(opening: name, backend: backend)
        let id = try device.bind(to: iommufd)
        var qd = cb_qemu_device(device_fd: device.descriptor.rawValue, devid: id.rawValue, mock_stdev_id: 0,
                                hwpt_id: 0, iommu_dirty_tracking: 0)
        opened.append(device.relinquish())
        let rc = cb_qemu_autodomains_get(&env, &container, &qd)
        if rc != 0 { throw BenchError("QEMU transliteration failed on \(name): errno \(-rc)") }
    }

    // MARK: - On the real kernel

    /// Counts the ioctls of everything that goes through it, then forwards
    /// to the real system calls.
    final class CountingSyscalls: SyscallBackend {
        let count = Atomic<Int>(0)
        func open(_ path: String, flags: CInt) -> CInt { LinuxSyscalls.shared.open(path, flags: flags) }
        func close(_ descriptor: CInt) -> CInt { LinuxSyscalls.shared.close(descriptor) }
        func ioctl(_ descriptor: CInt, request: UInt, argument: UnsafeMutableRawPointer) -> CInt {
            count.add(1, ordering: .relaxed)
            return LinuxSyscalls.shared.ioctl(descriptor, request: request, argument: argument)
        }
        func pread(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Int {
            LinuxSyscalls.shared.pread(descriptor, into: buffer, offset: offset)
        }
        func status(ofPath path: String) throws(Errno) -> FileStatus { try LinuxSyscalls.shared.status(ofPath: path) }
        func status(ofDescriptor descriptor: CInt) throws(Errno) -> FileStatus {
            try LinuxSyscalls.shared.status(ofDescriptor: descriptor)
        }
        func canonicalPath(_ path: String) -> String? { LinuxSyscalls.shared.canonicalPath(path) }
        func readFile(_ path: String) -> [UInt8]? { LinuxSyscalls.shared.readFile(path) }
        func directoryEntries(_ path: String) -> [String]? { LinuxSyscalls.shared.directoryEntries(path) }
        func kernelRelease() -> String? { LinuxSyscalls.shared.kernelRelease() }
    }

    /// The edu devices (vfio0, vfio1: one VT-d unit, compatible) and mock
    /// devices whose flags make groups (a device without dirty tracking is
    /// refused, EINVAL, by a dirty-tracking HWPT; the reverse is accepted, so
    /// mock "groups" are asymmetric and QEMU's count comes from the C
    /// transliteration, not the formula).
    static func runKernel(quick: Bool, notes: inout [String]) throws -> [Row] {
        var rows: [Row] = []
        if access("/dev/vfio/devices/vfio0", F_OK) == 0 && access("/dev/vfio/devices/vfio1", F_OK) == 0 {
            rows.append(try kernelVFIORow(names: ["vfio0", "vfio1"]))
        }
        let shapes: [(String, [KernelMockDevice.Flags])] = [
            ("mock, all dirty-capable", [[], [], [], []]),
            ("mock, dirty / no-dirty alternating", [[], .noDirty, [], .noDirty, [], .noDirty]),
            ("mock, no-dirty / dirty alternating", [.noDirty, [], .noDirty, [], .noDirty, []]),
            ("mock, 2 dirty then 6 no-dirty", [[], [], .noDirty, .noDirty, .noDirty, .noDirty, .noDirty, .noDirty]),
        ]
        do {
            for (name, flags) in quick ? Array(shapes.prefix(2)) : shapes {
                rows.append(try kernelMockRow(name: name, flags: flags))
            }
        } catch let error as IOMMUFDError where error.code == .unsupportedByKernel {
            notes.append("mock-device policy counts skipped: the kernel has no CONFIG_IOMMUFD_TEST")
        }
        return rows
    }

    static func kernelVFIORow(names: [String]) throws -> Row {
        // The policy, with every ioctl counted.
        let counting = CountingSyscalls()
        var policy = 0, hwpts = 0, traced = 0
        do {
            let iommufd = try IOMMUFD(backend: counting)
            let ioas = try iommufd.allocateIOAS()
            let container = AutodomainContainer(ioas: ioas, iommufd: iommufd, logger: quietLogger())
            var devices: [FileDescriptor] = []
            defer { for fd in devices { _ = LinuxSyscalls.shared.close(fd.rawValue) } }
            for name in names {
                var device = try VFIODevice(opening: name, backend: counting)
                try device.bind(to: iommufd)
                let before = counting.count.load(ordering: .relaxed)
                policy += try container.attach(device, iommufd: iommufd, wants: []).ioctlCount
                traced += counting.count.load(ordering: .relaxed) - before
                devices.append(device.relinquish())
            }
            hwpts = container.snapshot.hwpts.count
        }

        // QEMU's algorithm on fresh opens of the same devices.
        let iommufd = try IOMMUFD()
        let ioas = try iommufd.allocateIOAS()
        var opened: [FileDescriptor] = []
        defer { for fd in opened { _ = LinuxSyscalls.shared.close(fd.rawValue) } }
        let (qemu, qemuHWPTs) = try withQEMU(iommufd: iommufd.descriptor.rawValue, ioas: ioas, model: nil) { env, container in
            for name in names {
                try qemuAttach(name, backend: nil, iommufd: iommufd, env: &env, container: &container, opened: &opened)
            }
        }
        return Row(source: "kernel", scenario: "edu devices (\(names.joined(separator: ", "))), one VT-d unit",
                   order: "in order", devices: names.count, groups: 1, policyIoctls: policy, policyTraced: traced,
                   qemuIoctls: qemu, qemuFormula: qemuGrouped(devices: names.count, groups: 1), hwpts: hwpts,
                   qemuHWPTs: qemuHWPTs)
    }

    static func kernelMockRow(name: String, flags: [KernelMockDevice.Flags]) throws -> Row {
        let counting = CountingSyscalls()
        let iommufd = try IOMMUFD(backend: counting)

        // The policy. Each mock device is created attached to the IOAS (the
        // kernel's automatic domain); the policy then attaches (replaces) it,
        // and only that is counted. Devices stay alive until all are attached.
        let ioas = try iommufd.allocateIOAS()
        let container = AutodomainContainer(ioas: ioas, iommufd: iommufd, logger: quietLogger())
        var policy = 0, traced = 0
        func attachPolicy(from index: Int) throws {
            guard index < flags.count else { return }
            let device = try KernelMockDevice(in: iommufd, attachingTo: ioas, flags: flags[index])
            let before = counting.count.load(ordering: .relaxed)
            policy += try container.attach(device, iommufd: iommufd, wants: []).ioctlCount
            traced += counting.count.load(ordering: .relaxed) - before
            try attachPolicy(from: index + 1)
        }
        try attachPolicy(from: 0)
        let hwpts = container.snapshot.hwpts.count

        // QEMU's algorithm in C, on new mock devices in a new IOAS.
        let qemuIOAS = try iommufd.allocateIOAS()
        let (qemu, qemuHWPTs) = try withQEMU(iommufd: iommufd.descriptor.rawValue, ioas: qemuIOAS, model: nil) { env, qc in
            func attachQEMU(from index: Int) throws {
                guard index < flags.count else { return }
                let device = try KernelMockDevice(in: iommufd, attachingTo: qemuIOAS, flags: flags[index])
                var qd = cb_qemu_device(device_fd: -1, devid: device.deviceID.rawValue,
                                        mock_stdev_id: device.stdevID, hwpt_id: 0, iommu_dirty_tracking: 0)
                let rc = cb_qemu_autodomains_get(&env, &qc, &qd)
                if rc != 0 { throw BenchError("QEMU transliteration failed on a mock device: errno \(-rc)") }
                try attachQEMU(from: index + 1)
            }
            try attachQEMU(from: 0)
        }
        let groups = Set(flags.map(\.rawValue)).count
        return Row(source: "kernel", scenario: name, order: "as listed", devices: flags.count, groups: groups,
                   policyIoctls: policy, policyTraced: traced, qemuIoctls: qemu, qemuFormula: nil, hwpts: hwpts,
                   qemuHWPTs: qemuHWPTs)
    }
}
