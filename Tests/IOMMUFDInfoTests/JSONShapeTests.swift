import Foundation
import IOMMUFD
import IOMMUFDTesting
import Testing

/// The JSON of every command parses and has exactly the keys
/// `Docs/iommufd-info.md` documents.
@Suite struct JSONShapeTests {
    /// The documented keys, in order.
    enum Keys {
        static let list = ["kernel_release", "iommufd", "vfio_device_class_present", "iommus", "devices"]
        static let iommufdNode = ["path", "present", "device_number", "usable", "problem"]
        static let iommuUnit = ["name", "type", "sysfs_path", "registers", "device_count", "decode_command"]
        static let device = ["name", "node", "node_present", "device_number", "sysfs_path", "pci_address", "mediated",
                             "vendor_id", "device_id", "class", "driver", "iommu_group", "iommu"]
        static let show = ["device", "kernel_release", "iommufd", "vfio", "reserved_regions", "hardware_info",
                           "pci_capabilities", "policy"]
        static let bound = ["path", "device_id"]
        static let vfio = ["flags", "regions", "irqs", "error"]
        static let region = ["start", "last", "type"]
        static let hardwareInfo = ["type", "type_value", "type_name", "capabilities", "capabilities_value",
                                   "max_pasid_log2", "vendor_data_length", "vendor", "vendor_bytes"]
        static let pciCapabilities = ["source", "config_space_length", "extended_space_readable",
                                      "extended_capability_ids", "pasid", "ats", "pri"]
        static let pasid = ["offset", "max_width", "execute", "privileged", "enabled"]
        static let ats = ["offset", "invalidate_queue_depth", "page_aligned_request", "global_invalidate", "enabled",
                          "smallest_translation_unit"]
        static let pri = ["offset", "enabled", "outstanding_page_request_capacity",
                          "outstanding_page_request_allocation", "response_pasid_required"]
        static let showPolicy = ["viommu", "name", "wants", "plan", "summary", "warnings"]
        static let plan = ["action", "flags", "bypassReadOnly", "reasons"]
        static let probe = ["device", "kernel_release", "iommufd", "hardware_info", "ioas", "hwpt_alloc", "fault_queue",
                            "hwpt_alloc_with_fault_queue", "input_type", "policy", "cleanup"]
        static let probeHardwareInfo = ["type", "error"]
        static let attempt = ["flags", "flags_value", "result", "hwpt", "destroyed", "error", "skip_reason"]
        static let faultQueue = ["result", "id", "destroyed", "error", "skip_reason"]
        static let error = ["errno", "errno_value", "code", "message", "meaning"]
        static let inputType = ["requested", "result", "returned", "error", "skip_reason"]
        static let probePolicy = ["viommu", "name", "wants", "result", "decision", "error", "detach_failures"]
        static let decision = ["device", "outcome", "hwpt", "flags", "dirtyTracking", "rejected",
                               "droppedDirtyTracking", "reasons", "ioctls"]
        static let cleanup = ["ioas_destroyed", "failures"]
        static let vtd = ["type", "flags", "cap", "ecap", "raw", "reserved_bits_set", "facts"]
        static let amd = ["type", "efr", "efr2", "raw", "reserved_bits_set", "user_space_may_rely", "facts"]
        static let smmuv3 = ["type", "idr0", "idr1", "idr2", "idr3", "idr4", "idr5", "iidr", "aidr", "raw",
                             "reserved_bits_set", "user_space_may_rely", "facts"]
    }

    /// Parses `text` as one JSON object.
    func object(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [String: Any])
    }

    /// The keys of an object in the order the text lists them (JSONSerialization loses the order).
    func orderedKeys(_ text: String) -> [String] {
        // Top-level keys only: lines indented by exactly two spaces.
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  \""), !line.hasPrefix("   ") else { return nil }
            return line.dropFirst(3).split(separator: "\"", maxSplits: 1).first.map(String.init)
        }
    }

    func keys(_ value: Any?) throws -> Set<String> {
        Set(try #require(value as? [String: Any]).keys)
    }

    @Test(arguments: ["vm", "noIOMMUFD", "noDevices"])
    func list(host: String) throws {
        let model = host == "vm" ? Hosts.vm() : host == "noIOMMUFD" ? Hosts.noIOMMUFD() : Hosts.noDevices()
        let run = runInfo(["list", "--json"], on: model)
        let json = try object(run.output)
        #expect(orderedKeys(run.output) == Keys.list)
        #expect(try keys(json["iommufd"]) == Set(Keys.iommufdNode))
        for unit in try #require(json["iommus"] as? [Any]) { #expect(try keys(unit) == Set(Keys.iommuUnit)) }
        for device in try #require(json["devices"] as? [Any]) { #expect(try keys(device) == Set(Keys.device)) }
    }

    @Test(arguments: ["vm", "smmuv3", "amd"])
    func show(host: String) throws {
        let model = host == "vm" ? Hosts.vm() : host == "amd" ? Hosts.amd() : Hosts.smmuv3()
        let run = runInfo(["show", "vfio0", "--json"], on: model)
        let json = try object(run.output)
        #expect(orderedKeys(run.output) == Keys.show)
        #expect(try keys(json["device"]) == Set(Keys.device))
        #expect(try keys(json["iommufd"]) == Set(Keys.bound))
        #expect(try keys(json["vfio"]) == Set(Keys.vfio))
        for region in try #require(json["reserved_regions"] as? [Any]) { #expect(try keys(region) == Set(Keys.region)) }
        let info = try #require(json["hardware_info"] as? [String: Any])
        #expect(Set(info.keys) == Set(Keys.hardwareInfo))
        let vendor = try keys(info["vendor"])
        #expect(vendor == Set(host == "vm" ? Keys.vtd : host == "amd" ? Keys.amd : Keys.smmuv3))
        let capabilities = try #require(json["pci_capabilities"] as? [String: Any])
        #expect(Set(capabilities.keys) == Set(Keys.pciCapabilities))
        if host == "smmuv3" {
            #expect(try keys(capabilities["pasid"]) == Set(Keys.pasid))
            #expect(try keys(capabilities["ats"]) == Set(Keys.ats))
            #expect(try keys(capabilities["pri"]) == Set(Keys.pri))
        }
        let policy = try #require(json["policy"] as? [[String: Any]])
        #expect(policy.map { $0["viommu"] as? String } == VIOMMUProfile.standard.map(\.identifier))
        for entry in policy {
            #expect(Set(entry.keys) == Set(Keys.showPolicy))
            #expect(try keys(entry["plan"]) == Set(Keys.plan))
        }
    }

    @Test(arguments: ["vm", "smmuv3", "linux6.6"])
    func probe(host: String) throws {
        let model = host == "vm" ? Hosts.vm() : host == "smmuv3" ? Hosts.smmuv3()
            : KernelModel(host: .qemuIntelVTd(devices: 1), kernel: .linux6_6)
        let run = runInfo(["probe", "vfio0", "--json"], on: model)
        let json = try object(run.output)
        #expect(orderedKeys(run.output) == Keys.probe)
        #expect(try keys(json["hardware_info"]) == Set(Keys.probeHardwareInfo))
        let attempts = try #require(json["hwpt_alloc"] as? [[String: Any]])
        #expect(attempts.count == 8)
        for attempt in attempts {
            #expect(Set(attempt.keys) == Set(Keys.attempt))
            if attempt["result"] as? String == "refused" { #expect(try keys(attempt["error"]) == Set(Keys.error)) }
        }
        #expect(try keys(json["fault_queue"]) == Set(Keys.faultQueue))
        let withFault = try #require(json["hwpt_alloc_with_fault_queue"] as? [[String: Any]])
        #expect(withFault.count == (host == "linux6.6" ? 0 : 8))
        #expect(try keys(json["input_type"]) == Set(Keys.inputType))
        for entry in try #require(json["policy"] as? [[String: Any]]) {
            #expect(Set(entry.keys) == Set(Keys.probePolicy))
            if entry["result"] as? String == "attached" { #expect(try keys(entry["decision"]) == Set(Keys.decision)) }
        }
        #expect(try keys(json["cleanup"]) == Set(Keys.cleanup))
        #expect((json["cleanup"] as? [String: Any])?["ioas_destroyed"] as? Bool == true)
    }

    @Test func decodeKeys() throws {
        let cases: [([String], [String])] = [
            (["vtd", "--cap", "0x00d2008c222f0606", "--ecap", "0x0000490080f00f4a"], Keys.vtd),
            (["amd", "--efr", "0x29d3"], Keys.amd),
            (["smmuv3", "--idr", "0x080F7E3F,0x0E739D18,0,0x3C,0,0x00400075"], Keys.smmuv3),
        ]
        for (arguments, expected) in cases {
            let (run, _) = runOffline(["decode"] + arguments + ["--json"])
            _ = try object(run.output)
            #expect(orderedKeys(run.output) == expected, "\(arguments)")
        }
    }

    @Test func vtdDecodeShapeIsTheDecoderIssuesShape() throws {
        let (run, _) = runOffline(["decode", "vtd", "--cap", "0x00d2008c222f0606", "--ecap", "0x0000490080f00f4a",
                                   "--json"])
        let json = try object(run.output)
        #expect(json["type"] as? String == "intel-vtd")
        let cap = try #require(json["cap"] as? [String: Any])
        #expect(cap["mgaw"] as? Int == 48)
        #expect(cap["sagaw"] as? Int == 6)
        let ecap = try #require(json["ecap"] as? [String: Any])
        #expect(ecap["smts"] as? Bool == true)
        #expect(ecap["nest"] as? Bool == false)
        let raw = try #require(json["raw"] as? [String: Any])
        #expect(raw["cap"] as? String == "0x00d2008c222f0606")
    }
}
