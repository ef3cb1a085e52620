import IOMMUFD

extension VFIODeviceEntry {
    /// The entry as JSON (see `Docs/iommufd-info.md`, "device objects").
    var json: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func hexID(_ value: UInt64?, _ digits: Int) -> JSONValue { value.map { .string(hex($0, digits)) } ?? .null }
        var mediated: JSONValue = .null
        if let mediatedUUID {
            mediated = .object([.init("uuid", .string(mediatedUUID)), .init("type", text(mediatedType))])
        }
        var group: JSONValue = .null
        if let number = iommuGroup.flatMap({ UInt64($0) }) { group = .uint(number) }
        let members: [JSONValue.Member] = [
            .init("name", .string(name)),
            .init("node", .string(nodePath)),
            .init("node_present", .bool(nodePresent)),
            .init("device_number", text(deviceNumber)),
            .init("sysfs_path", text(sysfsDevicePath)),
            .init("pci_address", text(pciAddress?.description)),
            .init("mediated", mediated),
            .init("vendor_id", hexID(vendorID.map(UInt64.init), 4)),
            .init("device_id", hexID(deviceID.map(UInt64.init), 4)),
            .init("class", hexID(classCode.map(UInt64.init), 6)),
            .init("driver", text(driver)),
            .init("iommu_group", group),
            .init("iommu", text(iommu)),
        ]
        return .object(members)
    }

    /// The identity lines of `show` and `probe`.
    var identityLines: [String] {
        var lines: [String] = []
        lines.append(field("Node:", nodePath + (deviceNumber.map { " (\($0))" } ?? "")))
        if let uuid = mediatedUUID {
            lines.append(field("Mediated:", uuid + (mediatedType.map { " (type \($0))" } ?? "")
                               + (pciAddress.map { " on \($0)" } ?? "")))
        } else if let pciAddress {
            var text = pciAddress.description
            if let id = vendorDevice { text += " [\(id)]" }
            if let classCode { text += " class \(hexDigits(UInt64(classCode), digits: 6))" }
            lines.append(field("PCI device:", text))
        }
        lines.append(field("Driver:", driver ?? "none"))
        lines.append(field("IOMMU group:", iommuGroup ?? "none"))
        lines.append(field("IOMMU:", iommu ?? "none (sysfs names no IOMMU unit)"))
        return lines
    }
}
