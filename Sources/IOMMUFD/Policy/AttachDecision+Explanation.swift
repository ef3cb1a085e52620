/// The decision explained: sentences, one line, JSON — rendered from the
/// decision's facts when read, so deciding builds no text.
extension AttachDecision {
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
