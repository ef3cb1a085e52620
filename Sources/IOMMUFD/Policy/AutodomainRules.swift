/// The pure part of the autodomain policy: which flags a new HWPT gets for a
/// device, and why. No system calls; used by ``AutodomainContainer`` and by
/// dry runs such as `iommufd-info show`.
public enum AutodomainRules {
    /// The flags of a new HWPT for a device with `info`, under a vIOMMU that
    /// `wants` something:
    ///
    /// - `dirtyTracking` when the IOMMU reports dirty tracking for the device;
    /// - `nestParent` when the vIOMMU wants a nesting parent;
    /// - `pasid` when the device has a PASID width and the vIOMMU wants PASID
    ///   attach (the kernel refuses PASID attach while the device's RID page
    ///   table lacks the flag).
    ///
    /// Builds no text; ``allocationFlags(for:wants:)`` adds the reasons.
    public static func flags(for info: HardwareInfo, wants: VIOMMUWants) -> HWPTAllocFlags {
        var flags: HWPTAllocFlags = []
        if info.capabilities.contains(.dirtyTracking) { flags.insert(.dirtyTracking) }
        if wants.contains(.nestingParent) { flags.insert(.nestParent) }
        if info.maxPASIDLog2 > 0 && wants.contains(.pasidAttach) { flags.insert(.pasid) }
        return flags
    }

    /// ``flags(for:wants:)`` with one reason per flag decision.
    public static func allocationFlags(for info: HardwareInfo, wants: VIOMMUWants) -> (HWPTAllocFlags, [String]) {
        let flags = flags(for: info, wants: wants)
        var reasons: [String] = []
        if flags.contains(.dirtyTracking) {
            reasons.append("dirtyTracking: the IOMMU tracks dirty pages for this device")
        } else {
            reasons.append("no dirtyTracking: the IOMMU does not report dirty tracking for this device")
        }
        if flags.contains(.nestParent) {
            reasons.append("nestParent: the vIOMMU wants a nesting parent")
        }
        switch (info.maxPASIDLog2 > 0, wants.contains(.pasidAttach)) {
        case (true, true):
            reasons.append("pasid: device PASID width \(info.maxPASIDLog2), vIOMMU wants PASID attach")
        case (true, false):
            reasons.append("no pasid: device PASID width \(info.maxPASIDLog2), but the vIOMMU does not want PASID attach")
        case (false, true):
            reasons.append("no pasid: the vIOMMU wants PASID attach, but the device reports no PASID width")
        case (false, false):
            break
        }
        return (flags, reasons)
    }

    /// Whether the container must avoid read-only mappings on its nesting
    /// parent: Intel erratum 772415 (SPR17) makes VT-d ignore read-only
    /// permissions of stage-2 mappings used as a nesting parent.
    public static func bypassesReadOnly(info: HardwareInfo, flags: HWPTAllocFlags) -> Bool {
        guard flags.contains(.nestParent), case .intelVTd(let vtd) = info.vendorData else { return false }
        return vtd.flags.contains(.errata772415SPR17)
    }

    /// What the policy would do for a device that finds no compatible HWPT
    /// in its container (always the case in a fresh container): a dry run
    /// that makes no system call.
    public static func plan(hardwareInfo info: HardwareInfo?, wants: VIOMMUWants, isMediated: Bool) -> AutodomainPlan {
        if isMediated {
            return AutodomainPlan(action: .attachIOASDirectly, flags: [], bypassReadOnly: false,
                                  reasons: ["mediated device: attach to the IOAS directly; no HWPT, no GET_HW_INFO"])
        }
        guard let info else {
            return AutodomainPlan(action: .allocate, flags: [], bypassReadOnly: false,
                                  reasons: ["no hardware information: flags cannot be decided"])
        }
        let (flags, reasons) = allocationFlags(for: info, wants: wants)
        let bypass = bypassesReadOnly(info: info, flags: flags)
        var all = reasons
        if bypass { all.append("nesting parent on VT-d with erratum 772415: read-only mappings are bypassed") }
        return AutodomainPlan(action: .allocate, flags: flags, bypassReadOnly: bypass, reasons: all)
    }
}

/// A dry-run decision of the autodomain policy.
public struct AutodomainPlan: Sendable, Hashable, CustomStringConvertible {
    /// What the policy would do.
    public enum Action: String, Sendable, Hashable {
        /// Mediated device: attach to the IOAS.
        case attachIOASDirectly = "attach-ioas"
        /// Allocate an HWPT with ``AutodomainPlan/flags`` and attach to it.
        case allocate
    }

    /// The action.
    public var action: Action
    /// The flags of the HWPT it would allocate.
    public var flags: HWPTAllocFlags
    /// Whether the container would get the bypass-read-only quirk.
    public var bypassReadOnly: Bool
    /// The rules that fired, in order.
    public var reasons: [String]

    /// `allocate HWPT with [dirtyTracking, pasid]: …`.
    public var description: String {
        switch action {
        case .attachIOASDirectly: reasons.joined(separator: "; ")
        case .allocate: "allocate an HWPT with \(flags): " + reasons.joined(separator: "; ")
        }
    }

    /// The plan as JSON: `{"action", "flags", "bypassReadOnly", "reasons"}`.
    public var json: JSONValue {
        .object([
            "action": .string(action.rawValue), "flags": flags.json, "bypassReadOnly": .bool(bypassReadOnly),
            "reasons": .array(reasons.map { .string($0) }),
        ])
    }
}
