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

        /// The cases' numbers in a packed decision.
        @usableFromInline
        enum Case {
            @usableFromInline static var attachedToIOAS: UInt8 { 0 }
            @usableFromInline static var reused: UInt8 { 1 }
            @usableFromInline static var allocated: UInt8 { 2 }
            @usableFromInline static var resumed: UInt8 { 3 }
            @usableFromInline static var recordedSaved: UInt8 { 4 }
        }

        /// This case's number.
        var caseNumber: UInt8 {
            switch self {
            case .attachedToIOAS: Case.attachedToIOAS
            case .reused: Case.reused
            case .allocated: Case.allocated
            case .resumed: Case.resumed
            case .recordedSaved: Case.recordedSaved
            }
        }

        /// The ID of the IOAS or HWPT.
        var objectNumber: UInt32 {
            switch self {
            case .attachedToIOAS(let ioas): ioas.rawValue
            case .reused(let id), .allocated(let id), .resumed(let id), .recordedSaved(let id): id.rawValue
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

    // The decision is stored in four words — two packed, the vIOMMU's wants
    // and the optional details — so that Swift passes and returns it in
    // registers and drops it with one release: a wider struct lives in
    // memory and is dropped through an outlined function, one call more on
    // every attach (Docs/Benchmarks.md, fix 18). The accessors below unpack.
    //
    // `identity`: the device ID (bits 0–31), the HWPT's flags (32–63).
    // `result`: the outcome's object ID (bits 0–31) and case (32–39), the
    // `Bit` flags (40–47), the ioctl count (48–63).
    @usableFromInline let identity: UInt64
    @usableFromInline let result: UInt64

    /// The one-bit facts packed into `result`.
    @usableFromInline
    enum Bit {
        @usableFromInline static var liveUpdate: UInt64 { 1 << 40 }
        @usableFromInline static var bypassReadOnly: UInt64 { 1 << 41 }
        @usableFromInline static var droppedDirtyTracking: UInt64 { 1 << 42 }
        @usableFromInline static var lacksContainerDirtyTracking: UInt64 { 1 << 43 }
    }

    /// The device.
    @inlinable public var device: BoundDeviceID { BoundDeviceID(rawValue: UInt32(truncatingIfNeeded: identity)) }
    /// The outcome.
    @inlinable public var outcome: Outcome {
        let id = UInt32(truncatingIfNeeded: result)
        switch UInt8(truncatingIfNeeded: result >> 32) {
        case Outcome.Case.attachedToIOAS: return .attachedToIOAS(IOASID(rawValue: id))
        case Outcome.Case.reused: return .reused(HWPTID(rawValue: id))
        case Outcome.Case.allocated: return .allocated(HWPTID(rawValue: id))
        case Outcome.Case.resumed: return .resumed(HWPTID(rawValue: id))
        default: return .recordedSaved(HWPTID(rawValue: id))
        }
    }
    /// The flags of the HWPT the device is attached to (empty for the IOAS).
    @inlinable public var flags: HWPTAllocFlags { HWPTAllocFlags(rawValue: UInt32(truncatingIfNeeded: identity >> 32)) }
    /// Whether the device's DMA is dirty-tracked by its HWPT.
    @inlinable public var dirtyTracking: Bool { flags.contains(.dirtyTracking) }
    /// What the vIOMMU wanted.
    public let wants: VIOMMUWants
    /// Whether this was an incoming live update (CPR).
    @inlinable public var liveUpdate: Bool { result & Bit.liveUpdate != 0 }
    /// Existing HWPTs tried first that refused the device, newest first.
    public var rejections: [Rejection] { details?.rejections ?? [] }
    /// The hardware information read for a new HWPT (`nil` when reused).
    public var hardwareInfo: HardwareInfo? { details?.hardwareInfo }
    /// Whether the new HWPT gave the container the bypass-read-only quirk
    /// (a VT-d nesting parent with erratum 772415).
    @inlinable public var bypassReadOnly: Bool { result & Bit.bypassReadOnly != 0 }
    /// Whether `dirtyTracking` was dropped after the kernel refused it (an
    /// opt-in retry, see ``AutodomainContainer/Options/retryWithoutDirtyTracking``).
    @inlinable public var droppedDirtyTracking: Bool { result & Bit.droppedDirtyTracking != 0 }
    /// Whether the container tracks dirty pages but this device's new HWPT
    /// cannot (logged as a warning).
    @inlinable public var lacksContainerDirtyTracking: Bool { result & Bit.lacksContainerDirtyTracking != 0 }
    /// The number of ioctls the decision took.
    @inlinable public var ioctlCount: Int { Int(result >> 48) }

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

    /// Packs the facts (the one initializer every other calls).
    @inlinable @inline(__always)
    init(device: BoundDeviceID, outcomeCase: UInt8, object: UInt32, flags: HWPTAllocFlags, wants: VIOMMUWants,
         bits: UInt64, ioctls: Int, details: Details?) {
        precondition(ioctls >= 0 && ioctls < 1 << 16, "an attach decision counts at most 65535 ioctls")
        self.identity = UInt64(device.rawValue) | UInt64(flags.rawValue) << 32
        self.result = UInt64(object) | UInt64(outcomeCase) << 32 | bits | UInt64(ioctls) << 48
        self.wants = wants
        self.details = details
    }

    /// The common decision: the newest HWPT accepted the device on the first
    /// try (one ioctl).
    @inlinable @inline(__always)
    init(device: BoundDeviceID, reused hwpt: HWPTID, flags: HWPTAllocFlags, wants: VIOMMUWants) {
        self.init(device: device, outcomeCase: Outcome.Case.reused, object: hwpt.rawValue, flags: flags,
                  wants: wants, bits: 0, ioctls: 1, details: nil)
    }

    /// A decision on an existing HWPT or the IOAS: no hardware information.
    init(_ attempt: AutodomainPolicy.Attempt, outcome: Outcome, flags: HWPTAllocFlags) {
        self.init(device: attempt.device, outcomeCase: outcome.caseNumber, object: outcome.objectNumber,
                  flags: flags, wants: attempt.wants, bits: attempt.liveUpdate ? Bit.liveUpdate : 0,
                  ioctls: attempt.ioctls,
                  details: attempt.rejections.isEmpty ? nil : Details(rejections: attempt.rejections, hardwareInfo: nil))
    }

    /// A decision for a new HWPT, whose flags came from `hardwareInfo`.
    init(_ attempt: AutodomainPolicy.Attempt, outcome: Outcome, flags: HWPTAllocFlags,
         hardwareInfo: HardwareInfo, bypassReadOnly: Bool, droppedDirtyTracking: Bool,
         lacksContainerDirtyTracking: Bool) {
        var bits: UInt64 = 0
        if attempt.liveUpdate { bits |= Bit.liveUpdate }
        if bypassReadOnly { bits |= Bit.bypassReadOnly }
        if droppedDirtyTracking { bits |= Bit.droppedDirtyTracking }
        if lacksContainerDirtyTracking { bits |= Bit.lacksContainerDirtyTracking }
        self.init(device: attempt.device, outcomeCase: outcome.caseNumber, object: outcome.objectNumber,
                  flags: flags, wants: attempt.wants, bits: bits, ioctls: attempt.ioctls,
                  details: Details(rejections: attempt.rejections, hardwareInfo: hardwareInfo))
    }
}
