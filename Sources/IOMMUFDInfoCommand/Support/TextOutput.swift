#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Where `iommufd-info` writes text: standard output, standard error, or a
/// buffer a test reads back.
public protocol TextOutput: AnyObject, Sendable {
    /// Writes `text` as is (no newline is added).
    func write(_ text: String)
}

/// A text output that writes to an open file descriptor with `write(2)`,
/// retrying short writes and `EINTR`.
public final class FileDescriptorOutput: TextOutput {
    /// The descriptor written to; not closed by this object.
    public let descriptor: CInt

    /// Standard output (descriptor 1).
    public static let standardOutput = FileDescriptorOutput(descriptor: 1)
    /// Standard error (descriptor 2).
    public static let standardError = FileDescriptorOutput(descriptor: 2)

    /// Writes to `descriptor`.
    public init(descriptor: CInt) {
        self.descriptor = descriptor
    }

    /// Writes all of `text`'s UTF-8 bytes; gives up silently when the
    /// descriptor refuses them (a closed pipe), as `printf` would.
    public func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// A text output that keeps what was written, for tests.
public final class CapturedOutput: TextOutput {
    private let buffer = Mutex("")

    /// Creates an empty buffer.
    public init() {}

    /// Appends `text`.
    public func write(_ text: String) {
        buffer.withLock { $0 += text }
    }

    /// Everything written so far.
    public var text: String {
        buffer.withLock { $0 }
    }
}
