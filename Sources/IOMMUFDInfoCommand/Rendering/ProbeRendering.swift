import IOMMUFD

extension ProbeReport {
    /// The report as JSON (see `Docs/iommufd-info.md`, "probe").
    var json: JSONValue {
        .object([
            "device": device.json,
            "kernel_release": kernelRelease.map(JSONValue.string) ?? .null,
            "iommufd": .object(["path": .string(iommufdPath), "device_id": .uint(UInt64(boundID.rawValue))]),
            "hardware_info": hardwareInfoJSON,
            "ioas": .uint(UInt64(ioas.rawValue)),
            "hwpt_alloc": .array(attempts.map(\.json)),
            "fault_queue": Self.outcomeJSON(faultQueue, idKey: "id"),
            "hwpt_alloc_with_fault_queue": .array(faultAttempts.map(\.json)),
            "input_type": inputTypeJSON,
            "policy": .array(policy.map(\.json)),
            "cleanup": .object([
                "ioas_destroyed": .bool(ioasDestroyError == nil),
                "failures": .array(cleanupFailures.map(errorJSON)),
            ]),
        ])
    }

    /// Every destroy that failed.
    var cleanupFailures: [IOMMUFDError] {
        var failures: [IOMMUFDError] = []
        for attempt in attempts + faultAttempts {
            if case .accepted(_, let error?) = attempt.outcome { failures.append(error) }
        }
        if case .accepted(_, let error?) = faultQueue { failures.append(error) }
        failures += policy.flatMap(\.detachFailures)
        if let ioasDestroyError { failures.append(ioasDestroyError) }
        return failures
    }

    private var hardwareInfoJSON: JSONValue {
        switch hardwareInfo {
        case nil: .null
        case .success(let info)?: .object(["type": .string(info.type.identifier), "error": .null])
        case .failure(let error)?: .object(["type": .null, "error": errorJSON(error)])
        }
    }

    /// An outcome as JSON: `{"result", <idKey>, "destroyed", "error", "skip_reason"}`.
    static func outcomeJSON(_ outcome: Outcome, idKey: String) -> JSONValue {
        var members: [JSONValue.Member] = []
        switch outcome {
        case .accepted(let id, let destroyError):
            members = [.init("result", .string("accepted")), .init(idKey, .uint(UInt64(id))),
                       .init("destroyed", .bool(destroyError == nil)),
                       .init("error", destroyError.map(errorJSON) ?? .null), .init("skip_reason", .null)]
        case .refused(let error):
            members = [.init("result", .string("refused")), .init(idKey, .null), .init("destroyed", .null),
                       .init("error", errorJSON(error)), .init("skip_reason", .null)]
        case .skipped(let reason):
            members = [.init("result", .string("skipped")), .init(idKey, .null), .init("destroyed", .null),
                       .init("error", .null), .init("skip_reason", .string(reason))]
        }
        return .object(members)
    }

    private var inputTypeJSON: JSONValue {
        let requested: JSONValue
        if case .success(let info)? = hardwareInfo { requested = .string(info.type.identifier) } else { requested = .null }
        let (result, returned, error, skip): (String, HardwareInfoType?, IOMMUFDError?, String?) = switch inputType {
        case .honoured(let type): ("honoured", type, nil, nil)
        case .fellBack(let type): ("fell-back", type, nil, nil)
        case .otherType(let type): ("other-type", type, nil, nil)
        case .failed(let failure): ("failed", nil, failure, nil)
        case .skipped(let reason): ("skipped", nil, nil, reason)
        }
        return .object([
            "requested": requested,
            "result": .string(result),
            "returned": returned.map { .string($0.identifier) } ?? .null,
            "error": error.map(errorJSON) ?? .null,
            "skip_reason": skip.map(JSONValue.string) ?? .null,
        ])
    }

    /// The report as text.
    var text: String {
        var lines = [device.displayName]
        lines += device.identityLines
        lines.append(field("Kernel:", kernelRelease.map { "Linux \($0)" } ?? "unknown"))
        lines.append(field("iommufd:", "\(iommufdPath), bound as \(boundID)"))
        switch hardwareInfo {
        case nil: lines.append(field("Info type:", "none asked (mediated device)"))
        case .success(let info)?: lines.append(field("Info type:", "\(info.type) (\(info.type.identifier))"))
        case .failure(let error)?: lines.append(field("Info type:", "GET_HW_INFO failed: \(errnoText(error))"))
        }

        lines.append("IOMMU_HWPT_ALLOC on \(ioas) (each accepted HWPT is destroyed at once):")
        lines += Self.attemptLines(attempts, allAttempts: attempts + faultAttempts)

        switch faultQueue {
        case .accepted(let id, let destroyError):
            lines.append("IOMMU_HWPT_ALLOC with IOMMU_HWPT_FAULT_ID_VALID and fault queue \(id) "
                         + "(IOMMU_FAULT_QUEUE_ALLOC accepted; the queue is destroyed afterwards"
                         + (destroyError.map { ", which failed: \(errnoText($0))" } ?? "") + "):")
            lines += Self.attemptLines(faultAttempts, allAttempts: attempts + faultAttempts)
        case .refused(let error):
            lines.append("IOMMU_HWPT_ALLOC with IOMMU_HWPT_FAULT_ID_VALID: not tried, IOMMU_FAULT_QUEUE_ALLOC "
                         + "refused: \(errnoText(error))")
            lines.append(hintLine(error))
        case .skipped(let reason):
            lines.append("IOMMU_HWPT_ALLOC with IOMMU_HWPT_FAULT_ID_VALID: not tried: \(reason)")
        }

        lines.append(Self.summaryLine(attempts + faultAttempts))

        lines.append("IOMMU_GET_HW_INFO with IOMMU_HW_INFO_FLAG_INPUT_TYPE:")
        switch (inputType, hardwareInfo) {
        case (.honoured(let type), _):
            lines.append("\trequested \(type.identifier): honoured")
        case (.fellBack(let type), .success(let info)?):
            lines.append("\trequested \(info.type.identifier): refused by this kernel (the flag needs Linux 6.17); "
                         + "the default type \(type.identifier) was returned instead")
        case (.fellBack(let type), _):
            lines.append("\trefused by this kernel; the default type \(type.identifier) was returned instead")
        case (.otherType(let type), .success(let info)?):
            lines.append("\trequested \(info.type.identifier): the kernel returned \(type.identifier) instead")
        case (.otherType(let type), _):
            lines.append("\tthe kernel returned \(type.identifier)")
        case (.failed(let error), _):
            lines.append("\tfailed: \(errnoText(error))")
            lines.append(hintLine(error))
        case (.skipped(let reason), _):
            lines.append("\tnot tried: \(reason)")
        }

        lines.append("Autodomain policy, attached for real and detached again:")
        let width = (policy.map { $0.profile.name.count }.max() ?? 0) + 2
        for attempt in policy {
            let head = "\t" + (attempt.profile.name + ":").padded(width)
            switch attempt.result {
            case .success(let decision):
                lines.append(head + Self.decisionSummary(decision))
            case .failure(let error):
                lines.append(head + "attach failed: " + CommandFailure.summary(of: error))
                lines.append(hintLine(error))
            }
            for failure in attempt.detachFailures {
                lines.append("\t\tdetach: " + CommandFailure.summary(of: failure))
            }
        }

        let failures = cleanupFailures
        if failures.isEmpty {
            lines.append("Cleanup: every HWPT" + (faultQueueWasAllocated ? ", the fault queue" : "")
                         + " and \(ioas) destroyed.")
        } else {
            lines.append("Cleanup: \(failures.count) destroy(s) failed (closing the iommufd frees the rest):")
            lines += failures.map { "\t" + CommandFailure.summary(of: $0) }
        }
        return lines.joined(separator: "\n")
    }

    private var faultQueueWasAllocated: Bool {
        if case .accepted = faultQueue { return true }
        return false
    }

    /// `allocated HWPT 9 with [pasid]` for the policy's decisions.
    static func decisionSummary(_ decision: AttachDecision) -> String {
        switch decision.outcome {
        case .attachedToIOAS(let ioas): "attached to \(ioas) directly (mediated device)"
        case .allocated(let hwpt): "allocated \(hwpt) with \(decision.flags), attached, detached, destroyed"
        case .reused(let hwpt): "reused \(hwpt)"
        case .resumed(let hwpt): "resumed on \(hwpt)"
        case .recordedSaved(let hwpt): "recorded \(hwpt)"
        }
    }

    /// `Accepted: [], [pasid]. Refused on their own: nestParent, dirtyTracking.`
    static func summaryLine(_ attempts: [HWPTAttempt]) -> String {
        var accepted: [String] = []
        var refusedAlone: [String] = []
        for attempt in attempts {
            switch attempt.outcome {
            case .accepted: accepted.append(attempt.flags.description)
            case .refused where attempt.flags.elements.count == 1: refusedAlone.append(attempt.flags.description)
            default: break
            }
        }
        let refused = refusedAlone.map { String($0.dropFirst().dropLast()) }
        return "HWPT_ALLOC summary: accepted " + (accepted.isEmpty ? "none" : accepted.joined(separator: ", ")) + ". "
            + "refused on their own: " + (refused.isEmpty ? "none" : refused.joined(separator: ", ")) + "."
    }

    /// One line per attempt: the flags, then the answer; a refusal's meaning
    /// on the next line, or, for a combination, which of its flags the
    /// kernel refused on their own with the same errno (their meaning is
    /// above; the JSON has every meaning in full).
    static func attemptLines(_ attempts: [HWPTAttempt], allAttempts: [HWPTAttempt]) -> [String] {
        let width = (attempts.map { $0.flags.description.count }.max() ?? 0) + 2
        let refusedAlone: [(flag: HWPTAllocFlags, errno: String)] = allAttempts.compactMap { attempt in
            guard attempt.flags.elements.count == 1, case .refused(let error) = attempt.outcome else { return nil }
            return (attempt.flags, errnoText(error))
        }
        var lines: [String] = []
        for attempt in attempts {
            let head = "\t" + attempt.flags.description.padded(width)
            switch attempt.outcome {
            case .accepted(let id, nil):
                lines.append(head + "accepted (HWPT \(id))")
            case .accepted(let id, let error?):
                lines.append(head + "accepted (HWPT \(id)), but destroying it failed: \(errnoText(error))")
            case .refused(let error):
                lines.append(head + "refused: " + errnoText(error))
                let errno = errnoText(error)
                let known = refusedAlone.filter { attempt.flags.contains($0.flag) && $0.errno == errno }
                if attempt.flags.elements.count > 1, !known.isEmpty {
                    let names = known.map { String($0.flag.description.dropFirst().dropLast()) }
                    lines.append("\t\t(" + names.joined(separator: ", ") + " refused on "
                                 + (names.count == 1 ? "its" : "their") + " own, above)")
                } else {
                    lines.append(hintLine(error))
                }
            case .skipped(let reason):
                lines.append(head + "not tried: " + reason)
            }
        }
        return lines
    }
}

extension ProbeReport.HWPTAttempt {
    /// The attempt as JSON: `{"flags", "flags_value", "result", "hwpt", "destroyed", "error", "skip_reason"}`.
    var json: JSONValue {
        guard case .object(let members) = ProbeReport.outcomeJSON(outcome, idKey: "hwpt") else { return .null }
        return .object([.init("flags", flags.json), .init("flags_value", .string(hex(UInt64(flags.rawValue), 8)))]
                       + members)
    }
}

extension ProbeReport.PolicyAttempt {
    /// The attempt as JSON: `{"viommu", "name", "wants", "result", "decision", "error", "detach_failures"}`.
    var json: JSONValue {
        let decision: JSONValue, error: JSONValue
        switch result {
        case .success(let value): (decision, error) = (value.json, .null)
        case .failure(let failure): (decision, error) = (.null, errorJSON(failure))
        }
        return .object([
            "viommu": .string(profile.identifier),
            "name": .string(profile.name),
            "wants": profile.wants.json,
            "result": .string(decision == .null ? "failed" : "attached"),
            "decision": decision,
            "error": error,
            "detach_failures": .array(detachFailures.map(errorJSON)),
        ])
    }
}

/// The indented sentence of an error's hint under a refused probe step.
private func hintLine(_ error: IOMMUFDError) -> String {
    "\t\t" + CommandFailure.sentence(CommandFailure.capitalized(error.hint))
}
