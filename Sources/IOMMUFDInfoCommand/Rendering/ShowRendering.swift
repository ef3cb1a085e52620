import IOMMUFD

extension ShowReport {
    /// The report as JSON (see `Docs/iommufd-info.md`, "show").
    var json: JSONValue {
        .object([
            "device": device.json,
            "kernel_release": kernelRelease.map(JSONValue.string) ?? .null,
            "iommufd": .object(["path": .string(iommufdPath), "device_id": .uint(UInt64(boundID.rawValue))]),
            "vfio": vfioJSON,
            "reserved_regions": .array(reservedRegions.map {
                .object(["start": .string(hex($0.start, 16)), "last": .string(hex($0.last, 16)), "type": .string($0.type)])
            }),
            "hardware_info": hardwareInfo.map(Self.hardwareInfoJSON) ?? .null,
            "pci_capabilities": capabilitiesJSON,
            "policy": .array(plans.map { plan in
                .object([
                    "viommu": .string(plan.profile.identifier),
                    "name": .string(plan.profile.name),
                    "wants": plan.profile.wants.json,
                    "plan": plan.plan.json,
                    "summary": .string(plan.plan.description),
                    "warnings": .array(plan.warnings.map(JSONValue.string)),
                ])
            }),
        ])
    }

    private var vfioJSON: JSONValue {
        switch vfioInfo {
        case .success(let info):
            .object(["flags": info.flags.json, "regions": .uint(UInt64(info.regionCount)),
                     "irqs": .uint(UInt64(info.irqCount)), "error": .null])
        case .failure(let error):
            .object(["flags": .null, "regions": .null, "irqs": .null, "error": errorJSON(error)])
        }
    }

    /// GET_HW_INFO as JSON; the vendor registers in the decoders' own form.
    static func hardwareInfoJSON(_ info: HardwareInfo) -> JSONValue {
        var unknownBytes: JSONValue = .null
        if case .unknown(_, let bytes) = info.vendorData {
            unknownBytes = .string(bytes.map { hexDigits(UInt64($0), digits: 2) }.joined())
        }
        return .object([
            "type": .string(info.type.identifier),
            "type_value": .uint(UInt64(info.type.rawValue)),
            "type_name": .string(info.type.kernelName),
            "capabilities": info.capabilities.json,
            "capabilities_value": .string(hex(info.capabilities.rawValue, 16)),
            "max_pasid_log2": .uint(UInt64(info.maxPASIDLog2)),
            "vendor_data_length": .uint(UInt64(info.vendorDataLength)),
            "vendor": info.vendorData.decoded?.json ?? .null,
            "vendor_bytes": unknownBytes,
        ])
    }

    private var capabilitiesJSON: JSONValue {
        guard let configSpace, let capabilities else {
            return .object([
                "source": .null, "config_space_length": .null, "extended_space_readable": .bool(false),
                "extended_capability_ids": .array([]), "pasid": .null, "ats": .null, "pri": .null,
            ])
        }
        return .object([
            "source": .string(configSpace.source.rawValue),
            "config_space_length": .uint(UInt64(configSpace.length)),
            "extended_space_readable": .bool(capabilities.extendedSpaceReadable),
            "extended_capability_ids": .array(capabilities.extendedCapabilityIDs.map { .string(hex(UInt64($0), 4)) }),
            "pasid": capabilities.pasid.map { pasid in
                .object([
                    "offset": .string(hex(UInt64(pasid.offset), 3)), "max_width": .uint(UInt64(pasid.maxWidth)),
                    "execute": .bool(pasid.executePermission), "privileged": .bool(pasid.privilegedMode),
                    "enabled": .bool(pasid.enabled),
                ])
            } ?? .null,
            "ats": capabilities.ats.map { ats in
                .object([
                    "offset": .string(hex(UInt64(ats.offset), 3)),
                    "invalidate_queue_depth": .uint(UInt64(ats.invalidateQueueDepth)),
                    "page_aligned_request": .bool(ats.pageAlignedRequest),
                    "global_invalidate": .bool(ats.globalInvalidate), "enabled": .bool(ats.enabled),
                    "smallest_translation_unit": .uint(UInt64(ats.smallestTranslationUnit)),
                ])
            } ?? .null,
            "pri": capabilities.pri.map { pri in
                .object([
                    "offset": .string(hex(UInt64(pri.offset), 3)), "enabled": .bool(pri.enabled),
                    "outstanding_page_request_capacity": .uint(UInt64(pri.outstandingPageRequestCapacity)),
                    "outstanding_page_request_allocation": .uint(UInt64(pri.outstandingPageRequestAllocation)),
                    "response_pasid_required": .bool(pri.responsePASIDRequired),
                ])
            } ?? .null,
        ])
    }

    /// The report as text, in the manner of `lspci -vv`.
    var text: String {
        var lines = [device.displayName]
        lines += device.identityLines
        lines.append(field("Kernel:", kernelRelease.map { "Linux \($0)" } ?? "unknown"))
        lines.append(field("iommufd:", "\(iommufdPath), bound as \(boundID)"))
        switch vfioInfo {
        case .success(let info):
            lines.append(field("VFIO device:", "\(info.flags), \(info.regionCount) regions, \(info.irqCount) IRQ types"))
        case .failure(let error):
            lines.append(field("VFIO device:", "VFIO_DEVICE_GET_INFO failed: \(errnoText(error))"))
        }
        if reservedRegions.isEmpty {
            lines.append(field("Reserved IOVA:", "none"))
        }
        for (index, region) in reservedRegions.enumerated() {
            lines.append(field(index == 0 ? "Reserved IOVA:" : "",
                               "\(hex(region.start, 16))-\(hex(region.last, 16)) \(region.type)"))
        }

        lines.append("IOMMU_GET_HW_INFO:")
        if let info = hardwareInfo {
            lines += Self.hardwareInfoLines(info)
        } else {
            lines.append("\tnot asked: a mediated device has no IOMMU of its own (iommufd binds it as an access object)")
        }

        lines += capabilityLines

        lines.append("Autodomain policy (a fresh container; what it would allocate for this device):")
        let width = (plans.map { $0.profile.name.count }.max() ?? 0) + 2
        for plan in plans {
            let head = plan.plan.action == .allocate ? "allocate an HWPT with \(plan.plan.flags)" : "attach to the IOAS"
            lines.append("\t" + (plan.profile.name + ":").padded(width) + head)
            lines += plan.plan.reasons.map { "\t\t" + $0 }
            lines += plan.warnings.map { "\t\twarning: " + $0 }
        }
        lines.append("\t`iommufd-info probe \(device.name)` shows which flags the kernel accepts.")
        return lines.joined(separator: "\n")
    }

    /// GET_HW_INFO as text, with the decoder's listing.
    static func hardwareInfoLines(_ info: HardwareInfo) -> [String] {
        var lines: [String] = []
        if case .unknown(let raw) = info.type {
            lines.append(field("Info type:", "\(hex(UInt64(raw), 8)), unknown to the library's Linux "
                               + "\(KernelRelease.pinned) UAPI (a newer kernel's type, or a test driver's)"))
        } else {
            lines.append(field("Info type:", "\(info.type) (\(info.type.kernelName) = \(info.type.rawValue))"))
        }
        lines.append(field("Capabilities:", "\(info.capabilities) (\(hex(info.capabilities.rawValue)))"))
        let pasid = info.maxPASIDLog2 == 0
            ? "0 (no PASID: the device or the IOMMU driver has no usable PASID support)"
            : "\(info.maxPASIDLog2) bits"
        lines.append(field("PASID width:", pasid))
        lines.append(field("Vendor data:", "\(info.vendorDataLength) bytes"))
        if let decoded = info.vendorData.decoded {
            lines += decoded.description.split(separator: "\n", omittingEmptySubsequences: false).map { "\t" + $0 }
        } else if case .unknown(let type, let bytes) = info.vendorData {
            let shown = Int(info.vendorDataLength) > bytes.count ? " (the first \(bytes.count))" : ""
            lines.append("\tunknown type \(hex(UInt64(type), 8)), not decoded\(shown): "
                         + bytes.map { hexDigits(UInt64($0), digits: 2) }.joined(separator: " "))
        }
        return lines
    }

    private var capabilityLines: [String] {
        guard let configSpace, let capabilities else {
            var lines = ["PCI Express capabilities: not read (the config space is readable neither through VFIO nor sysfs)"]
            if let error = configSpaceVFIOError { lines.append("\tVFIO: \(CommandFailure.summary(of: error))") }
            return lines
        }
        let through = configSpace.source == .vfio ? "through VFIO" : "from sysfs"
        var lines = ["PCI Express capabilities (config space \(through), \(configSpace.length) bytes):"]
        if !capabilities.extendedSpaceReadable {
            lines.append("\tno extended config space (offset 0x100 on): a conventional PCI device, "
                         + (configSpace.source == .sysfs ? "or sysfs without root shows only the header: "
                            + "no PASID, ATS or PRI can be seen" : "so no PASID, ATS or PRI"))
        }
        if let pasid = capabilities.pasid {
            lines.append(field("PASID:", "at \(hex(UInt64(pasid.offset), 3)): width \(pasid.maxWidth) bits, "
                               + "execute\(pasid.executePermission ? "+" : "-") privileged\(pasid.privilegedMode ? "+" : "-") "
                               + "enabled\(pasid.enabled ? "+" : "-")"))
        } else {
            lines.append(field("PASID:", "not present"))
        }
        if let ats = capabilities.ats {
            lines.append(field("ATS:", "at \(hex(UInt64(ats.offset), 3)): invalidate queue depth "
                               + "\(ats.invalidateQueueDepth == 0 ? 32 : Int(ats.invalidateQueueDepth)), "
                               + "page-aligned\(ats.pageAlignedRequest ? "+" : "-") "
                               + "global-invalidate\(ats.globalInvalidate ? "+" : "-") enabled\(ats.enabled ? "+" : "-") "
                               + "STU \(4 << Int(ats.smallestTranslationUnit & 0x1f))K"))
        } else {
            lines.append(field("ATS:", "not present"))
        }
        if let pri = capabilities.pri {
            lines.append(field("PRI:", "at \(hex(UInt64(pri.offset), 3)): outstanding page requests "
                               + "\(pri.outstandingPageRequestAllocation)/\(pri.outstandingPageRequestCapacity), "
                               + "PASID-in-response\(pri.responsePASIDRequired ? "+" : "-") enabled\(pri.enabled ? "+" : "-")"))
        } else {
            lines.append(field("PRI:", "not present"))
        }
        if !capabilities.extendedCapabilityIDs.isEmpty {
            lines.append(field("Extended caps:", capabilities.extendedCapabilityIDs.map { hex(UInt64($0), 4) }
                                .joined(separator: " ")))
        }
        return lines
    }
}
