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

        @usableFromInline
        init(hwpt: HWPTID, error: IOMMUFDError) {
            self.hwpt = hwpt
            self.error = error
        }

        /// `"HWPT 9 incompatible: EINVAL"`.
        public var description: String {
            "\(hwpt) incompatible: \(error.errno?.symbolicName ?? error.code.rawValue)"
        }
    }

    /// The device.
    public let device: BoundDeviceID
    /// The outcome.
    public let outcome: Outcome
    /// The flags of the HWPT the device is attached to (empty for the IOAS).
    public let flags: HWPTAllocFlags
    /// Whether the device's DMA is dirty-tracked by its HWPT.
    public var dirtyTracking: Bool { flags.contains(.dirtyTracking) }
    /// What the vIOMMU wanted.
    public let wants: VIOMMUWants
    /// Whether this was an incoming live update (CPR).
    public let liveUpdate: Bool
    /// Existing HWPTs tried first that refused the device, newest first.
    public var rejections: [Rejection] { details?.rejections ?? [] }
    /// The hardware information read for a new HWPT (`nil` when reused).
    public var hardwareInfo: HardwareInfo? { details?.hardwareInfo }
    /// Whether the new HWPT gave the container the bypass-read-only quirk
    /// (a VT-d nesting parent with erratum 772415).
    public let bypassReadOnly: Bool
    /// Whether `dirtyTracking` was dropped after the kernel refused it (an
    /// opt-in retry, see ``AutodomainContainer/Options/retryWithoutDirtyTracking``).
    public let droppedDirtyTracking: Bool
    /// Whether the container tracks dirty pages but this device's new HWPT
    /// cannot (logged as a warning).
    public let lacksContainerDirtyTracking: Bool
    /// The number of ioctls the decision took.
    public let ioctlCount: Int

    /// The parts only some decisions have, kept out of line so that the
    /// common one (a reuse on the first try) is a few words, copied without
    /// reference counting.
    @usableFromInline let details: Details?

    @usableFromInline
    final class Details: Sendable, Hashable {
        let rejections: [Rejection]
        let hardwareInfo: HardwareInfo?

        init(rejections: [Rejection], hardwareInfo: HardwareInfo?) {
            self.rejections = rejections
            self.hardwareInfo = hardwareInfo
        }

        @usableFromInline static func == (lhs: Details, rhs: Details) -> Bool {
            lhs.rejections == rhs.rejections && lhs.hardwareInfo == rhs.hardwareInfo
        }

        @usableFromInline func hash(into hasher: inout Hasher) {
            hasher.combine(rejections)
            hasher.combine(hardwareInfo)
        }
    }

    /// The common decision: the newest HWPT accepted the device on the first
    /// try (one ioctl).
    @inlinable @inline(__always)
    init(device: BoundDeviceID, reused hwpt: HWPTID, flags: HWPTAllocFlags, wants: VIOMMUWants) {
        self.device = device
        self.outcome = .reused(hwpt)
        self.flags = flags
        self.wants = wants
        self.liveUpdate = false
        self.details = nil
        self.bypassReadOnly = false
        self.droppedDirtyTracking = false
        self.lacksContainerDirtyTracking = false
        self.ioctlCount = 1
    }

    /// A decision on an existing HWPT or the IOAS: no hardware information.
    @inline(__always)
    init(_ attempt: AutodomainPolicy.Attempt, outcome: Outcome, flags: HWPTAllocFlags) {
        self.device = attempt.device
        self.outcome = outcome
        self.flags = flags
        self.wants = attempt.wants
        self.liveUpdate = attempt.liveUpdate
        self.details = attempt.rejections.isEmpty ? nil : Details(rejections: attempt.rejections, hardwareInfo: nil)
        self.bypassReadOnly = false
        self.droppedDirtyTracking = false
        self.lacksContainerDirtyTracking = false
        self.ioctlCount = attempt.ioctls
    }

    /// A decision for a new HWPT, whose flags came from `hardwareInfo`.
    init(_ attempt: AutodomainPolicy.Attempt, outcome: Outcome, flags: HWPTAllocFlags,
         hardwareInfo: HardwareInfo, bypassReadOnly: Bool, droppedDirtyTracking: Bool,
         lacksContainerDirtyTracking: Bool) {
        self.device = attempt.device
        self.outcome = outcome
        self.flags = flags
        self.wants = attempt.wants
        self.liveUpdate = attempt.liveUpdate
        self.details = Details(rejections: attempt.rejections, hardwareInfo: hardwareInfo)
        self.bypassReadOnly = bypassReadOnly
        self.droppedDirtyTracking = droppedDirtyTracking
        self.lacksContainerDirtyTracking = lacksContainerDirtyTracking
        self.ioctlCount = attempt.ioctls
    }

    /// The rules that fired, in order, as sentences. Rendered from the
    /// decision's facts when read, so deciding builds no text.
    public var reasons: [String] {
        rejections.map { "tried \($0.hwpt): incompatible (EINVAL)" } + ruleLines
    }

    /// ``reasons`` after the rejected HWPTs.
    private var ruleLines: [String] {
        switch outcome {
        case .attachedToIOAS(let ioas):
            return [liveUpdate ? "mediated device on live update: already attached to \(ioas)"
                               : "mediated device: attached to \(ioas) directly"]
        case .resumed(let hwpt):
            return ["live update: \(hwpt) is the saved HWPT"]
        case .reused(let hwpt):
            return ["reused \(hwpt): the kernel accepted the device" + (dirtyTracking ? "; dirty tracking from the HWPT" : "")]
        case .allocated(let hwpt), .recordedSaved(let hwpt):
            var lines: [String] = []
            if let hardwareInfo {
                lines += AutodomainRules.allocationFlags(for: hardwareInfo, wants: wants).1
            }
            if bypassReadOnly {
                lines.append("nesting parent on VT-d with erratum 772415: read-only mappings bypassed")
            }
            if droppedDirtyTracking {
                lines.append("HWPT_ALLOC with dirtyTracking refused (EOPNOTSUPP): retried without it")
            }
            if case .recordedSaved = outcome {
                lines.append("live update: recorded saved \(hwpt) without allocating")
            } else {
                lines.append("allocated \(hwpt) with \(flags) and attached")
            }
            if lacksContainerDirtyTracking {
                lines.append("warning: the container tracks dirty pages but this device's IOMMU cannot")
            }
            return lines
        }
    }

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
            let why = ruleLines.filter { !$0.hasPrefix("no ") }
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
