public import Logging

/// A swift-log handler that writes one line per message to a ``TextOutput``:
/// `debug iommufd.autodomain: vfio0 (0000:00:01.0): allocated HWPT 3 … [device=1]`.
///
/// `-v` routes the policy's log (and the command's own steps) through it to
/// standard error. No timestamps, so output stays comparable between runs.
public struct TextLogHandler: LogHandler {
    /// The logger's label, printed on every line.
    public let label: String
    /// Where the lines go.
    public let output: any TextOutput
    /// The lowest level printed.
    public var logLevel: Logger.Level = .debug
    /// Metadata added to every message of the logger.
    public var metadata: Logger.Metadata = [:]

    /// Creates a handler for the logger `label`, writing to `output`.
    public init(label: String, output: any TextOutput) {
        self.label = label
        self.output = output
    }

    /// Looks up or sets one metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `level label: message [key=value …]`.
    public func log(event: LogEvent) {
        var line = "\(event.level) \(label): \(event.message)"
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if !all.isEmpty {
            line += " [" + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "]"
        }
        output.write(line + "\n")
    }
}
