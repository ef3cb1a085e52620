import IOMMUFD
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The iommufd node (`/dev/iommu` or `--iommufd PATH`), opened through the
/// library, which refuses anything but the iommufd misc device.
enum IOMMUFDNode {
    /// What `list` reports about the node.
    struct Status: Sendable, Equatable {
        /// The path checked.
        var path: String
        /// Whether a file exists there.
        var present: Bool
        /// The device number, for a character device.
        var deviceNumber: String?
        /// Whether it is the iommufd node and opens read-write.
        var usable: Bool
        /// Why it is not usable: one line with what to do.
        var problem: String?
    }

    /// Opens the iommufd node. The library checks, before opening, that it
    /// is the iommufd misc device (so no iommufd ioctl reaches another file)
    /// and checks the descriptor again after the open.
    static func open(_ path: String, backend: any SyscallBackend) throws(CommandFailure) -> IOMMUFD {
        do throws(IOMMUFDError) {
            return try IOMMUFD(path: path, backend: backend)
        } catch {
            throw .runtime(quotedArgument(path), error)
        }
    }

    /// Whether the node exists and is usable: checked, opened read-write and
    /// closed again. No ioctl.
    static func status(_ path: String, backend: any SyscallBackend) -> Status {
        var result = Status(path: path, present: false, usable: false)
        if let status = try? backend.status(ofPath: path) {
            result.present = true
            if status.kind == .characterDevice { result.deviceNumber = "\(status.deviceMajor):\(status.deviceMinor)" }
        }
        do throws(CommandFailure) {
            let iommufd = try open(path, backend: backend)
            try? iommufd.close()
            result.usable = true
        } catch {
            // A missing node is said by the summary; the remedy is all that is left to say.
            var problem = result.present ? CommandFailure.sentence(error.problem) + " " : ""
            if !error.remedy.isEmpty { problem += CommandFailure.sentence(CommandFailure.capitalized(error.remedy)) }
            result.problem = CommandFailure.singleLine(problem)
        }
        return result
    }
}
