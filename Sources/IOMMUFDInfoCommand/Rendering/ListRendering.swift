import IOMMUFD

extension ListReport {
    /// The report as JSON (see `Docs/iommufd-info.md`, "list").
    var json: JSONValue {
        .object([
            "kernel_release": kernelRelease.map(JSONValue.string) ?? .null,
            "iommufd": iommufd.json,
            "vfio_device_class_present": .bool(vfioDeviceClassPresent),
            "iommus": .array(iommus.map(\.json)),
            "devices": .array(devices.map(\.json)),
        ])
    }

    /// The report as text.
    var text: String {
        var lines: [String] = []
        lines.append("Kernel:".padded(10) + (kernelRelease.map { "Linux \($0)" } ?? "unknown"))
        lines.append("iommufd:".padded(10) + iommufd.summary)

        if iommus.isEmpty {
            lines.append("IOMMU units: none (/sys/class/iommu is empty: no IOMMU driver is active; VFIO needs one)")
        } else {
            lines.append("IOMMU units (\(iommus.count)):")
            var table = TextTable()
            for unit in iommus {
                var row = [unit.name, unit.kind.displayName]
                let registers = unit.registers.map { "\($0.name) \(hex($0.value, 16))" }.joined(separator: "  ")
                row.append(registers.isEmpty ? "-" : registers)
                row.append(unit.deviceCount.map { "\($0) device\($0 == 1 ? "" : "s")" } ?? "")
                table.append(row)
            }
            lines += table.lines()
            for unit in iommus {
                if let command = unit.decodeCommand { lines.append("\t\(unit.name) decoded: \(command)") }
            }
        }

        if devices.isEmpty {
            lines.append("VFIO devices: none")
            if !vfioDeviceClassPresent {
                lines.append("\t/sys/class/vfio-dev is missing: load vfio-pci (`modprobe vfio-pci`) on a kernel with "
                             + "CONFIG_VFIO_DEVICE_CDEV (Linux 6.6 or later).")
            }
            lines.append("\tTo hand a PCI device to VFIO, bind it to vfio-pci as root (`lspci -Dnn` lists the addresses):")
            lines.append("\t\techo vfio-pci > /sys/bus/pci/devices/DDDD:BB:DD.F/driver_override")
            lines.append("\t\techo DDDD:BB:DD.F > /sys/bus/pci/devices/DDDD:BB:DD.F/driver/unbind   (if it has a driver)")
            lines.append("\t\techo DDDD:BB:DD.F > /sys/bus/pci/drivers_probe")
            lines.append("\tIt then appears as /dev/vfio/devices/vfioN.")
        } else {
            lines.append("VFIO devices (\(devices.count)):")
            var table = TextTable()
            table.append(["NAME", "NODE", "PCI ADDRESS", "ID", "CLASS", "DRIVER", "GROUP", "IOMMU"])
            for device in devices {
                table.append([
                    device.name, device.nodePresent ? device.nodePath : "(no node)",
                    device.pciAddress?.description ?? "-", device.isMediated ? "mdev" : device.vendorDevice ?? "-",
                    device.classCode.map { hexDigits(UInt64($0), digits: 6) } ?? "-", device.driver ?? "-",
                    device.iommuGroup ?? "-", device.iommu ?? "-",
                ])
            }
            lines += table.lines()
            for device in devices {
                if let uuid = device.mediatedUUID {
                    lines.append("\t\(device.name) is mediated device \(uuid)"
                                 + (device.mediatedType.map { " (type \($0))" } ?? "") + "; it has no IOMMU of its own")
                }
                if !device.nodePresent {
                    lines.append("\t\(device.name): \(device.nodePath) is missing although sysfs lists the cdev "
                                 + "(is devtmpfs mounted on /dev?)")
                }
            }
            if let first = devices.first {
                lines.append("Next: `iommufd-info show \(first.name)` (hardware info, decoded registers, policy), "
                             + "`iommufd-info probe \(first.name)` (what HWPT_ALLOC accepts)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension IOMMUFDNode.Status {
    /// The node as JSON.
    var json: JSONValue {
        .object([
            "path": .string(path),
            "present": .bool(present),
            "device_number": deviceNumber.map(JSONValue.string) ?? .null,
            "usable": .bool(usable),
            "problem": problem.map(JSONValue.string) ?? .null,
        ])
    }

    /// `/dev/iommu (10:257): usable`, or why not.
    var summary: String {
        let name = path + (deviceNumber.map { " (\($0))" } ?? "")
        if usable { return name + ": usable" }
        return name + ": " + (present ? "not usable: " : "missing. ") + (problem ?? "unknown reason")
    }
}

extension IOMMUUnitEntry {
    /// The unit as JSON.
    var json: JSONValue {
        .object([
            "name": .string(name),
            "type": .string(kind.rawValue),
            "sysfs_path": sysfsPath.map(JSONValue.string) ?? .null,
            "registers": .object(registers.map { JSONValue.Member($0.name, .string(hex($0.value, 16))) }),
            "device_count": deviceCount.map { .uint(UInt64($0)) } ?? .null,
            "decode_command": decodeCommand.map(JSONValue.string) ?? .null,
        ])
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
