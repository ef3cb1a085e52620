public import IOMMUFD
import Logging

/// Everything `iommufd-info` touches outside its own code, injected so tests
/// run the real command code against `IOMMUFDTesting`'s `KernelModel` and
/// read back its output.
public struct InfoEnvironment: Sendable {
    /// The system calls: ``IOMMUFD/LinuxSyscalls/shared`` for the real
    /// kernel, a model in tests. Every file, sysfs read and ioctl goes through it.
    public var backend: any SyscallBackend
    /// Where reports go (standard output).
    public var output: any TextOutput
    /// Where errors and, with `-v`, log lines go (standard error).
    public var errorOutput: any TextOutput
    /// The iommufd node used unless `--iommufd PATH` names another.
    public var iommufdPath: String
    /// Whether `-v` also bootstraps swift-log's global `LoggingSystem` (once
    /// per process) so that any logger of the process prints to
    /// ``errorOutput``. ``system`` sets it; tests leave it off.
    public var bootstrapsLoggingSystem: Bool = false

    /// Creates an environment.
    ///
    /// - Parameters:
    ///   - backend: The system calls.
    ///   - output: Standard output.
    ///   - errorOutput: Standard error.
    ///   - iommufdPath: The default iommufd node.
    public init(
        backend: any SyscallBackend, output: any TextOutput, errorOutput: any TextOutput,
        iommufdPath: String = IOMMUFD.defaultPath
    ) {
        self.backend = backend
        self.output = output
        self.errorOutput = errorOutput
        self.iommufdPath = iommufdPath
    }

    /// The real system: the Linux system calls, standard output and error,
    /// `/dev/iommu`.
    public static var system: InfoEnvironment {
        var environment = InfoEnvironment(
            backend: LinuxSyscalls.shared, output: FileDescriptorOutput.standardOutput,
            errorOutput: FileDescriptorOutput.standardError)
        environment.bootstrapsLoggingSystem = true
        return environment
    }

    /// A logger called `label`: quiet unless `verbose`, then at debug level
    /// into ``errorOutput`` through ``TextLogHandler``.
    func logger(_ label: String, verbose: Bool) -> Logger {
        guard verbose else { return Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() }) }
        let errorOutput = self.errorOutput
        var logger = Logger(label: label, factory: { label in TextLogHandler(label: label, output: errorOutput) })
        logger.logLevel = .debug
        return logger
    }
}
