import ArgumentParser
import Logging
import Synchronization

/// The `iommufd-info` command line: parsing, dispatch, and the mapping of
/// failures to one line on standard error and an exit status.
///
/// ```swift
/// let status = IOMMUFDInfo.run(arguments: ["show", "vfio0", "--json"], environment: .system)
/// ```
public enum IOMMUFDInfo {
    /// Runs one invocation.
    ///
    /// - Parameters:
    ///   - arguments: The arguments after the program name.
    ///   - environment: The system calls and outputs to use.
    /// - Returns: The exit status: ``ExitStatus/success``,
    ///   ``ExitStatus/runtimeFailure`` or ``ExitStatus/usageError``.
    public static func run(arguments: [String], environment: InfoEnvironment) -> Int32 {
        var parsed: any ParsableCommand
        do {
            parsed = try RootCommand.parseAsRoot(arguments)
        } catch {
            return report(error, arguments: arguments, environment: environment)
        }
        guard let command = parsed as? any InfoCommand else {
            // `help`, or a command group without its subcommand: ArgumentParser's own `run`.
            do {
                try parsed.run()
                return ExitStatus.success
            } catch {
                return report(error, arguments: arguments, environment: environment)
            }
        }
        if command.common.verbose && environment.bootstrapsLoggingSystem { bootstrapLoggingOnce(environment) }
        let context = CommandContext(environment: environment, options: command.common)
        do throws(CommandFailure) {
            try command.execute(in: context)
            return ExitStatus.success
        } catch {
            context.logger.debug("failed: \(error.line)")
            environment.errorOutput.write(error.line + "\n")
            return error.exitStatus
        }
    }

    /// Runs `iommufd-info` as a process on the real system (``InfoEnvironment/system``).
    ///
    /// - Parameter arguments: The arguments after the program name.
    /// - Returns: The exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        run(arguments: arguments, environment: .system)
    }

    private static let loggingBootstrapped = Mutex(false)

    /// With `-v`, routes every swift-log logger of the process to standard
    /// error at debug level; swift-log allows this once per process.
    private static func bootstrapLoggingOnce(_ environment: InfoEnvironment) {
        let errorOutput = environment.errorOutput
        loggingBootstrapped.withLock { done in
            guard !done else { return }
            done = true
            LoggingSystem.bootstrap { label in TextLogHandler(label: label, output: errorOutput) }
        }
    }

    /// Prints ArgumentParser's help (exit 0) or its error as one line (exit 64).
    private static func report(_ error: any Error, arguments: [String], environment: InfoEnvironment) -> Int32 {
        if RootCommand.exitCode(for: error) == .success {
            let text = RootCommand.fullMessage(for: error)
            environment.output.write(text.hasSuffix("\n") ? text : text + "\n")
            return ExitStatus.success
        }
        var message = trimmed(RootCommand.message(for: error))
        if message.hasPrefix("Error: ") { message = String(message.dropFirst(7)) }
        let failure = CommandFailure.usage(
            "", CommandFailure.capitalized(message), "run `\(commandPath(arguments)) --help` for usage")
        environment.errorOutput.write(failure.line + "\n")
        return ExitStatus.usageError
    }

    /// `iommufd-info decode vtd`: the program and the subcommands named at
    /// the start of `arguments`.
    static func commandPath(_ arguments: [String]) -> String {
        var path = [RootCommand.configuration.commandName ?? "iommufd-info"]
        var level = RootCommand.configuration.subcommands
        for argument in arguments where !argument.hasPrefix("-") {
            guard let next = level.first(where: { $0.configuration.commandName == argument }) else { break }
            path.append(argument)
            level = next.configuration.subcommands
        }
        return path.joined(separator: " ")
    }
}
