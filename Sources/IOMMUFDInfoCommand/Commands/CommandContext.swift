import IOMMUFD
import Logging

/// What a command runs with: the environment, its common options, and the
/// loggers `-v` turns on.
struct CommandContext {
    /// The injected environment.
    let environment: InfoEnvironment
    /// `--json`.
    let json: Bool
    /// The iommufd node: `--iommufd PATH` or the environment's.
    let iommufdPath: String
    /// The command's own steps (`iommufd-info`).
    let logger: Logger
    /// The autodomain policy's decisions (`iommufd.autodomain`).
    let policyLogger: Logger

    /// Creates the context of one run.
    init(environment: InfoEnvironment, options: CommonOptions) {
        self.environment = environment
        json = options.json
        iommufdPath = options.iommufdPath ?? environment.iommufdPath
        logger = environment.logger("iommufd-info", verbose: options.verbose)
        policyLogger = environment.logger("iommufd.autodomain", verbose: options.verbose)
    }

    /// The system calls.
    var backend: any SyscallBackend { environment.backend }

    /// A sysfs reader over the backend.
    var sysfs: SysfsReader { SysfsReader(backend: environment.backend) }

    /// Writes a report: its JSON (pretty, with a final newline) with
    /// `--json`, else its text.
    func emit(text: @autoclosure () -> String, json value: @autoclosure () -> JSONValue) {
        if json {
            environment.output.write(value().encoded(pretty: true) + "\n")
        } else {
            let body = text()
            environment.output.write(body.hasSuffix("\n") ? body : body + "\n")
        }
    }
}

/// A leaf command of `iommufd-info`: runs in a ``CommandContext``.
protocol InfoCommand {
    /// The common options.
    var common: CommonOptions { get }

    /// Runs the command; a failure becomes one line on standard error and
    /// a non-zero exit status.
    func execute(in context: CommandContext) throws(CommandFailure)
}
