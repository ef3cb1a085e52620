/// Facts derived from a vendor's registers: what people usually want to know
/// about an IOMMU without reading its specification.
///
/// Every property is optional: `nil` means the registers cannot say (the
/// fact lives elsewhere, for example in an ACPI table or a per-device
/// capability), not that the feature is absent.
public struct IOMMUFacts: Sendable, Hashable, CustomStringConvertible {
    /// What one translation stage supports.
    public struct Stage: Sendable, Hashable {
        /// Whether the hardware implements the stage.
        public var supported: Bool?
        /// The page-table depths the stage can walk.
        public var pageTableLevels: [Int]?
        /// The input address widths, in bits, of the stage's paging modes.
        public var addressWidths: [Int]?
        /// The widest input address the stage accepts, in bits.
        public var maxAddressWidth: Int?
        /// The page and block sizes the stage can map, in bytes.
        public var pageSizes: [UInt64]?

        /// Creates a stage description; everything defaults to unknown. When
        /// `supported` is `false` the other facts are dropped (set to `nil`):
        /// an absent stage has no levels, widths or page sizes.
        public init(supported: Bool? = nil, pageTableLevels: [Int]? = nil, addressWidths: [Int]? = nil,
                    maxAddressWidth: Int? = nil, pageSizes: [UInt64]? = nil) {
            let present = supported != false
            self.supported = supported
            self.pageTableLevels = present ? pageTableLevels : nil
            self.addressWidths = present ? addressWidths : nil
            self.maxAddressWidth = present ? maxAddressWidth : nil
            self.pageSizes = present ? pageSizes : nil
        }

        /// The page sizes above 4 KiB.
        public var largePageSizes: [UInt64]? {
            pageSizes.map { $0.filter { $0 > 4096 } }
        }

        /// The stage as a JSON object; unknown facts are `null`.
        public var json: JSONValue {
            .object([
                "supported": supported.map(JSONValue.bool) ?? .null,
                "page_table_levels": pageTableLevels.map { .array($0.map { .int(Int64($0)) }) } ?? .null,
                "address_widths": addressWidths.map { .array($0.map { .int(Int64($0)) }) } ?? .null,
                "max_address_width": maxAddressWidth.map { .int(Int64($0)) } ?? .null,
                "page_sizes": pageSizes.map { .array($0.map(JSONValue.uint)) } ?? .null,
            ])
        }

        /// One line of text: "yes, levels 3, 4; widths 39, 48 bits (max 48); pages 4K 2M 1G".
        public var summary: String {
            guard let supported else { return "unknown" }
            guard supported else { return "no" }
            var parts: [String] = ["yes"]
            if let levels = pageTableLevels, !levels.isEmpty {
                parts.append("levels \(DecodedTextFormat.list(levels))")
            }
            var widths = ""
            if let list = addressWidths, !list.isEmpty { widths = "widths \(DecodedTextFormat.list(list)) bits" }
            if let max = maxAddressWidth { widths += widths.isEmpty ? "max width \(max) bits" : " (max \(max))" }
            if !widths.isEmpty { parts.append(widths) }
            if let sizes = pageSizes, !sizes.isEmpty { parts.append("pages \(DecodedTextFormat.sizes(sizes))") }
            return parts.joined(separator: "; ")
        }
    }

    /// The first (stage-1, guest, process) translation stage.
    public var firstStage: Stage
    /// The second (stage-2, host, nested-parent) translation stage.
    public var secondStage: Stage
    /// The widest output (physical) address, in bits.
    public var outputAddressWidth: Int?
    /// The number of PASID (SubstreamID) bits; 0 when PASIDs are unsupported.
    public var pasidBits: Int?
    /// Whether nested (two-stage) translation is supported.
    public var nesting: Bool?
    /// Whether hardware dirty-page tracking usable by iommufd is supported.
    public var dirtyTracking: Bool?
    /// Whether PCIe ATS (device TLBs) is supported.
    public var ats: Bool?
    /// Whether PCIe PRI (page requests) is supported.
    public var pri: Bool?

    /// Creates a set of facts; everything defaults to unknown.
    public init(firstStage: Stage = Stage(), secondStage: Stage = Stage(), outputAddressWidth: Int? = nil,
                pasidBits: Int? = nil, nesting: Bool? = nil, dirtyTracking: Bool? = nil,
                ats: Bool? = nil, pri: Bool? = nil) {
        self.firstStage = firstStage
        self.secondStage = secondStage
        self.outputAddressWidth = outputAddressWidth
        self.pasidBits = pasidBits
        self.nesting = nesting
        self.dirtyTracking = dirtyTracking
        self.ats = ats
        self.pri = pri
    }

    /// The large (above 4 KiB) page sizes of either stage.
    public var largePageSizes: [UInt64] {
        let all = (firstStage.largePageSizes ?? []) + (secondStage.largePageSizes ?? [])
        return Array(Set(all)).sorted()
    }

    /// The facts as a JSON object; unknown facts are `null`.
    public var json: JSONValue {
        .object([
            "first_stage": firstStage.json,
            "second_stage": secondStage.json,
            "output_address_width": outputAddressWidth.map { .int(Int64($0)) } ?? .null,
            "pasid_bits": pasidBits.map { .int(Int64($0)) } ?? .null,
            "nesting": nesting.map(JSONValue.bool) ?? .null,
            "dirty_tracking": dirtyTracking.map(JSONValue.bool) ?? .null,
            "ats": ats.map(JSONValue.bool) ?? .null,
            "pri": pri.map(JSONValue.bool) ?? .null,
        ])
    }

    /// The facts as aligned lines of text, one per fact, without indentation.
    public var lines: [String] {
        func yesNo(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "unknown" }
        var lines: [(String, String)] = [
            ("First stage", firstStage.summary),
            ("Second stage", secondStage.summary),
        ]
        if let width = outputAddressWidth { lines.append(("Output address", "\(width) bits")) }
        lines.append(("PASID", pasidBits.map { $0 == 0 ? "no" : $0 == 1 ? "1 bit" : "\($0) bits" } ?? "unknown"))
        lines.append(("Nesting", yesNo(nesting)))
        lines.append(("Dirty tracking", yesNo(dirtyTracking)))
        lines.append(("ATS", yesNo(ats)))
        lines.append(("PRI", yesNo(pri)))
        return lines.map { DecodedTextFormat.pad($0.0 + ":", 16) + $0.1 }
    }

    /// The facts as text, one per line.
    public var description: String { lines.joined(separator: "\n") }
}
