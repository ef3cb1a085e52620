/// What the autodomain policy did for one device, and why.
public struct AttachDecision: Sendable, Hashable, CustomStringConvertible {
    /// How the device ended up attached.
    public enum Outcome: Sendable, Hashable {
        /// A mediated device, attached to the container's IOAS directly.
        case attachedToIOAS(IOASID)
        /// An existing HWPT of the container accepted the device.
        case reused(HWPTID)
        /// A new HWPT was allocated and attached.
        case allocated(HWPTID)
        /// Live update (CPR, incoming): the device is already attached to the
        /// saved HWPT, which the container already knew. No ioctl.
        case resumed(HWPTID)
        /// Live update (CPR, incoming): the saved HWPT was recorded as a new
        /// HWPT of the container without allocating or attaching.
        case recordedSaved(HWPTID)

        /// The HWPT the device is attached to, if any.
        public var hwpt: HWPTID? {
            switch self {
            case .attachedToIOAS: nil
            case .reused(let id), .allocated(let id), .resumed(let id), .recordedSaved(let id): id
            }
        }
    }

    /// An existing HWPT that refused the device.
    public struct Rejection: Sendable, Hashable, CustomStringConvertible {
        /// The HWPT.
        public var hwpt: HWPTID
        /// The kernel's answer (EINVAL: incompatible).
        public var error: IOMMUFDError

        /// `"HWPT 9 incompatible: EINVAL"`.
        public var description: String {
            "\(hwpt) incompatible: \(error.errno?.symbolicName ?? error.code.rawValue)"
        }
    }

    /// The device.
    public var device: BoundDeviceID
    /// The outcome.
    public var outcome: Outcome
    /// The flags of the HWPT the device is attached to (empty for the IOAS).
    public var flags: HWPTAllocFlags
    /// Whether the device's DMA is dirty-tracked by its HWPT.
    public var dirtyTracking: Bool
    /// Existing HWPTs tried first that refused the device, newest first.
    public var rejections: [Rejection]
    /// The hardware information read for a new HWPT (`nil` when reused).
    public var hardwareInfo: HardwareInfo?
    /// Whether `dirtyTracking` was dropped after the kernel refused it (an
    /// opt-in retry, see ``AutodomainContainer/Options/retryWithoutDirtyTracking``).
    public var droppedDirtyTracking: Bool
    /// The rules that fired, in order, as sentences.
    public var reasons: [String]
    /// The number of ioctls the decision took.
    public var ioctlCount: Int

    /// One line, e.g. `reused HWPT 7 (HWPT 9 incompatible: EINVAL)` or
    /// `allocated HWPT 12 with [dirtyTracking, pasid]: …`.
    public var description: String {
        let tried = rejections.isEmpty ? "" : " (" + rejections.map(\.description).joined(separator: ", ") + ")"
        switch outcome {
        case .attachedToIOAS(let ioas):
            return "attached to \(ioas) directly: mediated device"
        case .reused(let id):
            return "reused \(id)\(tried)"
        case .resumed(let id):
            return "resumed on saved \(id) (live update)"
        case .allocated(let id), .recordedSaved(let id):
            let verb = if case .allocated = outcome { "allocated" } else { "recorded saved" }
            let why = reasons.filter { !$0.hasPrefix("no ") && !$0.hasPrefix("tried ") }
            return "\(verb) \(id) with \(flags)\(tried)" + (why.isEmpty ? "" : ": " + why.joined(separator: "; "))
        }
    }

    /// The decision as JSON.
    public var json: JSONValue {
        let outcomeName: String = switch outcome {
        case .attachedToIOAS: "attached-to-ioas"
        case .reused: "reused"
        case .allocated: "allocated"
        case .resumed: "resumed"
        case .recordedSaved: "recorded-saved"
        }
        return .object([
            "device": .uint(UInt64(device.rawValue)),
            "outcome": .string(outcomeName),
            "hwpt": outcome.hwpt.map { .uint(UInt64($0.rawValue)) } ?? .null,
            "flags": flags.json,
            "dirtyTracking": .bool(dirtyTracking),
            "rejected": .array(rejections.map {
                .object(["hwpt": .uint(UInt64($0.hwpt.rawValue)),
                         "errno": .string($0.error.errno?.symbolicName ?? "")])
            }),
            "droppedDirtyTracking": .bool(droppedDirtyTracking),
            "reasons": .array(reasons.map { .string($0) }),
            "ioctls": .uint(UInt64(ioctlCount)),
        ])
    }
}
