import IOMMUFD
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a command stopped: a usage error (exit 64) or a runtime failure
/// (exit 1), with the one line printed on standard error.
struct CommandFailure: Error {
    /// The two kinds of failure, which have distinct exit statuses.
    enum Kind {
        /// The arguments are malformed; nothing was opened.
        case usage
        /// The arguments were fine but the system refused.
        case runtime
    }

    /// The kind.
    var kind: Kind
    /// What the user typed that the message is about (a device, a path, an option with its value).
    var input: String
    /// What happened, without a final period.
    var problem: String
    /// What to do about it, without a final period; may be empty.
    var remedy: String

    /// The exit status of the kind.
    var exitStatus: Int32 {
        kind == .usage ? ExitStatus.usageError : ExitStatus.runtimeFailure
    }

    /// `iommufd-info: <input>: <problem>. <Remedy>.` on one line.
    var line: String {
        var text = "iommufd-info: "
        if !input.isEmpty { text += "\(input): " }
        text += Self.sentence(problem)
        if !remedy.isEmpty { text += " " + Self.sentence(Self.capitalized(remedy)) }
        return Self.singleLine(text)
    }

    /// A usage error about `input`.
    static func usage(_ input: String, _ problem: String, _ remedy: String) -> CommandFailure {
        CommandFailure(kind: .usage, input: input, problem: problem, remedy: remedy)
    }

    /// A runtime failure about `input`.
    static func runtime(_ input: String, _ problem: String, _ remedy: String) -> CommandFailure {
        CommandFailure(kind: .runtime, input: input, problem: problem, remedy: remedy)
    }

    /// A runtime failure from a library error about `input`: the operation
    /// and errno say what happened, the error's hint what to do.
    static func runtime(_ input: String, _ error: IOMMUFDError) -> CommandFailure {
        var remedy = error.hint
        if error.code == .notAVFIODevice, remedy.hasSuffix("no ioctl was issued") {
            remedy += "; `iommufd-info list` shows the VFIO devices of this system"
        }
        // The summary already says the file is missing.
        if error.errno?.rawValue == ENOENT, remedy.hasPrefix("no such file; ") {
            remedy = String(remedy.dropFirst("no such file; ".count))
        }
        // "it is a FIFO; give the iommufd character device …": the first clause says what happened.
        var problem = summary(of: error)
        if error.code == .notAnIOMMUFD, let split = remedy.firstRange(of: "; ") {
            problem += ": " + remedy[..<split.lowerBound]
            remedy = String(remedy[split.upperBound...])
        }
        var subject = input
        if let path = error.path, path.hasPrefix("/"), path != input, quotedArgument(path) != input {
            subject += " (\(quotedArgument(path)))"
        }
        return CommandFailure(kind: .runtime, input: subject, problem: problem, remedy: remedy)
    }

    /// What happened, in a few words: `VFIO_DEVICE_BIND_IOMMUFD failed: EBUSY (Device or resource busy)`
    /// for an ioctl, `no such file or directory (ENOENT)` for the steps around them.
    static func summary(of error: IOMMUFDError) -> String {
        if let errno = error.errno {
            if error.operation == .openIOMMUFD, error.code == .iommufdUnavailable {
                return "no iommufd node (\(errno.symbolicName))"
            }
            guard error.operation.isIoctl else {
                let text = errno.description
                let lowered = (text.first.map { $0.lowercased() } ?? "") + text.dropFirst()
                return "\(error.operation.name): \(lowered) (\(errno.symbolicName))"
            }
            return "\(error.operation.name) failed: \(errno.symbolicName) (\(errno.description))"
        }
        switch error.code {
        case .notAVFIODevice: return "not a VFIO device"
        case .notAnIOMMUFD: return "not an iommufd node"
        case .deviceNotFound: return "no such device"
        default: return "\(error.operation.name) failed"
        }
    }

    /// `text` with a final period unless it already ends a sentence.
    static func sentence(_ text: String) -> String {
        guard let last = text.last else { return text }
        return ".!?".contains(last) ? text : text + "."
    }

    /// `text` with its first letter in upper case.
    static func capitalized(_ text: String) -> String {
        guard let first = text.first, first.isLowercase else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// `text` on one line: line breaks and tabs become spaces.
    static func singleLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
    }
}

/// How an argument is shown in messages: as typed, quoted when it is empty
/// or contains characters a shell would treat specially.
func quotedArgument(_ text: String) -> String {
    let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
        ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5a)
            || ($0.value >= 0x61 && $0.value <= 0x7a) || "/.:,_+-@%=".unicodeScalars.contains($0)
    }
    if plain { return text }
    var escaped = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "'": escaped += "'\\''"
        case _ where scalar.value < 0x20 || scalar.value == 0x7f:
            escaped += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return "'" + escaped + "'"
}
