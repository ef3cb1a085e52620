public import SystemPackage
public import IOMMUFD

/// A value in a trace entry.
public enum TraceValue: Sendable, Hashable, CustomStringConvertible {
    /// A number shown in decimal (IDs, counts, descriptors).
    case number(UInt64)
    /// A number shown in hexadecimal (flags, addresses, lengths).
    case hex(UInt64)
    /// Text (paths, names of sub-operations, lists).
    case text(String)

    /// The number, for `.number` and `.hex`.
    public var number: UInt64? {
        switch self {
        case .number(let value), .hex(let value): value
        case .text: nil
        }
    }

    /// `"3"`, `"0x1000"` or the text.
    public var description: String {
        switch self {
        case .number(let value): String(value)
        case .hex(let value): "0x" + String(value, radix: 16)
        case .text(let text): text
        }
    }
}

/// One named argument or result of a traced call.
public struct TraceField: Sendable, Hashable, CustomStringConvertible {
    /// The field's name: the kernel structure's field name for ioctls.
    public var name: String
    /// Its value.
    public var value: TraceValue

    /// Creates a field.
    public init(_ name: String, _ value: TraceValue) {
        self.name = name
        self.value = value
    }

    /// `"flags=0x8"`.
    public var description: String { "\(name)=\(value)" }
}

/// How a traced call ended.
public enum TraceResult: Sendable, Hashable, CustomStringConvertible {
    /// The call succeeded with this return value (a descriptor, a byte count, 0).
    case success(Int)
    /// The call failed with this errno.
    case failure(Errno)

    /// The errno of a failure.
    public var errno: Errno? {
        if case .failure(let errno) = self { return errno }
        return nil
    }

    /// Whether the call succeeded.
    public var succeeded: Bool { errno == nil }

    /// `"0"` or `"EBUSY"`.
    public var description: String {
        switch self {
        case .success(let value): String(value)
        case .failure(let errno): errno.symbolicName
        }
    }
}

/// One call the library made through the seam, as the model saw it.
///
/// Ioctls are decoded: ``operation`` is the kernel's request name
/// (`IOMMU_HWPT_ALLOC`, `VFIO_DEVICE_BIND_IOMMUFD`, `IOMMU_TEST_CMD`),
/// ``arguments`` are the input fields of the structure and ``outputs`` the
/// fields the model wrote back (only on success).
public struct TraceEntry: Sendable, Hashable, CustomStringConvertible {
    /// What kind of call it was.
    public enum Kind: String, Sendable, Hashable {
        /// `stat`, `realpath`, reading files and directories.
        case fileSystem
        /// `open`, `close`, `fstat`, `pread`.
        case descriptor
        /// `ioctl`.
        case ioctl
        /// `uname` (``KernelModel/kernelRelease()``).
        case query
    }

    /// The call's number, counting from 1 over the model's lifetime.
    public var sequence: Int
    /// The kind of call.
    public var kind: Kind
    /// `open`, `close`, `stat`, `fstat`, `realpath`, `read`, `readdir`,
    /// `pread`, `uname`, or the ioctl's kernel name.
    public var operation: String
    /// The descriptor the call was made on, if any.
    public var descriptor: CInt?
    /// The path the call named, if any.
    public var path: String?
    /// The decoded inputs.
    public var arguments: [TraceField]
    /// The decoded outputs (empty on failure).
    public var outputs: [TraceField]
    /// The result.
    public var result: TraceResult
    /// Whether the result came from ``KernelModel/injectFault(_:on:times:)``
    /// rather than the model.
    public var injected: Bool

    /// Whether the call was an ioctl.
    public var isIoctl: Bool { kind == .ioctl }

    /// The numeric value of an argument, or else of an output, by name.
    public subscript(_ name: String) -> UInt64? {
        (arguments.first { $0.name == name } ?? outputs.first { $0.name == name })?.value.number
    }

    /// The text value of an argument or output, by name.
    public func text(_ name: String) -> String? {
        (arguments.first { $0.name == name } ?? outputs.first { $0.name == name })?.value.description
    }

    /// `"#12 IOMMU_HWPT_ALLOC(fd=3, flags=0x8, dev_id=2, pt_id=1) = 0 {out_hwpt_id=4}"`.
    public var description: String {
        var parts: [String] = []
        if let descriptor { parts.append("fd=\(descriptor)") }
        if let path { parts.append(path) }
        parts += arguments.map(\.description)
        var text = "#\(sequence) \(operation)(\(parts.joined(separator: ", "))) = \(result)"
        if !outputs.isEmpty { text += " {" + outputs.map(\.description).joined(separator: ", ") + "}" }
        if injected { text += " [injected]" }
        return text
    }
}

/// Which call ``KernelModel/injectFault(_:on:times:)`` fails.
public enum FaultTrigger: Sendable, Hashable {
    /// The call with this ``TraceEntry/sequence`` number.
    case callNumber(Int)
    /// The Nth call after the injection (1 is the very next call).
    case nthCall(Int)
    /// The next call whose ``TraceEntry/operation`` is this name (an ioctl's
    /// kernel name such as `IOMMU_IOAS_MAP`, or `open`, `close`, `stat`, …),
    /// optionally only on this path.
    case nextCall(to: String, path: String? = nil)

    /// The next call of an ioctl, by the library's operation (`.ioasMap`).
    public static func nextIoctl(_ operation: IOMMUFDError.Operation) -> FaultTrigger {
        .nextCall(to: operation.name)
    }
}
