import IOMMUFD
import IOMMUFDTesting
import Logging
import Synchronization

/// Collects the log lines of one logger, for asserting the policy's reasons.
final class LogCapture: Sendable {
    struct Line: Sendable, Equatable {
        var level: Logger.Level
        var message: String
    }

    private let lines = Mutex<[Line]>([])

    var all: [Line] { lines.withLock { $0 } }
    var messages: [String] { all.map(\.message) }
    var warnings: [String] { all.filter { $0.level == .warning }.map(\.message) }

    /// A logger at debug level that writes here.
    var logger: Logger {
        var logger = Logger(label: "test.autodomain") { _ in Handler(capture: self) }
        logger.logLevel = .debug
        return logger
    }

    fileprivate func append(_ line: Line) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append(Line(level: event.level, message: event.message.description))
        }
    }
}

extension KernelModel {
    /// The names of the ioctls traced since the last `clearTrace()`; for
    /// `IOMMU_TEST_CMD` the mock operation is appended.
    var ioctlNames: [String] {
        ioctlTrace.map { entry in
            if entry.operation == "IOMMU_TEST_CMD", let op = entry.text("op") { return "IOMMU_TEST_CMD.\(op)" }
            return entry.operation
        }
    }

    /// The live objects of a kind.
    func live(_ kind: LiveObject.Kind) -> [LiveObject] { liveObjects.filter { $0.kind == kind } }
}

/// A two-device model host with both VFIO devices opened and bound to a
/// fresh iommufd, an IOAS, and a container over it that logs to `log`.
struct PolicyFixture: ~Copyable {
    let model: KernelModel
    let iommufd: IOMMUFD
    let ioas: IOASID
    let log = LogCapture()
    let container: AutodomainContainer
    var first: VFIODevice
    var second: VFIODevice

    init(host: ModelHost = .qemuIntelVTd(devices: 2)) throws {
        let model = KernelModel(host: host)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var first = try VFIODevice(opening: "vfio0", backend: model)
        var second = try VFIODevice(opening: "vfio1", backend: model)
        try first.bind(to: iommufd)
        try second.bind(to: iommufd)
        self.container = AutodomainContainer(ioas: ioas, iommufd: iommufd, logger: log.logger)
        self.model = model
        self.ioas = ioas
        self.iommufd = iommufd
        self.first = first
        self.second = second
    }

    /// The bound IDs of the first and second device.
    var ids: (first: BoundDeviceID, second: BoundDeviceID) { (first.deviceID!, second.deviceID!) }
}

/// The setup of the policy tests on kernel mock devices: a model kernel, an
/// iommufd on it and an IOAS; mock devices and containers on that IOAS.
struct MockPolicyFixture: ~Copyable {
    let model: KernelModel
    let iommufd: IOMMUFD
    let ioas: IOASID

    init(host: ModelHost = .empty, kernel: KernelProfile = .linux7_2) throws {
        let model = KernelModel(host: host, kernel: kernel)
        let iommufd = try IOMMUFD(backend: model)
        self.ioas = try iommufd.allocateIOAS()
        self.model = model
        self.iommufd = iommufd
    }

    /// A new mock device, attached to the IOAS.
    func mock(_ flags: KernelMockDevice.Flags = []) throws -> KernelMockDevice {
        try KernelMockDevice(in: iommufd, attachingTo: ioas, flags: flags)
    }

    /// A new container on the IOAS.
    func container(
        options: AutodomainContainer.Options = .init(), logger: Logger = Logger(label: "iommufd.autodomain")
    ) -> AutodomainContainer {
        AutodomainContainer(ioas: ioas, iommufd: iommufd, options: options, logger: logger)
    }
}
