/// SMMU_IDR1 (SMMUv3 specification 6.3.2), decoded.
public struct ARMSMMUv3IDR1: Sendable, Hashable, RegisterValue {
    /// The raw register value.
    public let rawValue: UInt32

    /// Decodes `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The register's field table. The UAPI lets user space rely on SIDSIZE
    /// and SSIDSIZE.
    public static let layout = RegisterLayout(
        name: "idr1", title: "SMMU_IDR1", width: 32,
        fields: [
            F.sidsize, F.ssidsize, F.priqs, F.evtqs, F.cmdqs, F.attrPermsOvr, F.attrTypesOvr, F.rel,
            F.queuesPreset, F.tablesPreset, F.ecmdq,
        ],
        reserved: [])

    enum F {
        static let sidsize = RegisterFieldSpec.raw(
            "sidsize", "SIDSIZE", bits: 0...5, display: .bits, "StreamID width")
        static let ssidsize = RegisterFieldSpec.raw(
            "ssidsize", "SSIDSIZE", bits: 6...10, display: .bits, "SubstreamID (PASID) width")
        static let priqs = RegisterFieldSpec.raw(
            "priqs", "PRIQS", bits: 11...15, display: .log2("entries"), uapi: false, "PRI queue size (log2)")
        static let evtqs = RegisterFieldSpec.raw(
            "evtqs", "EVENTQS", bits: 16...20, display: .log2("entries"), uapi: false, "Event queue size (log2)")
        static let cmdqs = RegisterFieldSpec.raw(
            "cmdqs", "CMDQS", bits: 21...25, display: .log2("entries"), uapi: false, "Command queue size (log2)")
        static let attrPermsOvr = RegisterFieldSpec.flag(
            "attr_perms_ovr", "ATTR_PERMS_OVR", bit: 26, uapi: false, "Incoming permission attributes can be overridden")
        static let attrTypesOvr = RegisterFieldSpec.flag(
            "attr_types_ovr", "ATTR_TYPES_OVR", bit: 27, uapi: false, "Incoming memory attributes can be overridden")
        static let rel = RegisterFieldSpec.flag(
            "rel", "REL", bit: 28, uapi: false, "Preset table/queue bases are relative to the SMMU")
        static let queuesPreset = RegisterFieldSpec.flag(
            "queues_preset", "QUEUES_PRESET", bit: 29, uapi: false, "Queue bases are fixed")
        static let tablesPreset = RegisterFieldSpec.flag(
            "tables_preset", "TABLES_PRESET", bit: 30, uapi: false, "Table bases are fixed")
        static let ecmdq = RegisterFieldSpec.flag("ecmdq", "ECMDQ", bit: 31, uapi: false, "Enhanced command queues")
    }

    /// SIDSIZE: StreamID width in bits.
    public var sidsize: Int { int(F.sidsize) }
    /// SSIDSIZE: SubstreamID (PASID) width in bits; 0 without substreams.
    public var ssidsize: Int { int(F.ssidsize) }
    /// PRIQS: log2 of the largest PRI queue.
    public var priqs: Int { int(F.priqs) }
    /// EVENTQS (Linux `IDR1_EVTQS`): log2 of the largest event queue.
    public var evtqs: Int { int(F.evtqs) }
    /// CMDQS: log2 of the largest command queue.
    public var cmdqs: Int { int(F.cmdqs) }
    /// ATTR_PERMS_OVR: permission attributes can be overridden.
    public var attrPermsOvr: Bool { flag(F.attrPermsOvr) }
    /// ATTR_TYPES_OVR: memory type attributes can be overridden.
    public var attrTypesOvr: Bool { flag(F.attrTypesOvr) }
    /// REL: preset bases are relative.
    public var rel: Bool { flag(F.rel) }
    /// QUEUES_PRESET: queue bases are fixed.
    public var queuesPreset: Bool { flag(F.queuesPreset) }
    /// TABLES_PRESET: table bases are fixed.
    public var tablesPreset: Bool { flag(F.tablesPreset) }
    /// ECMDQ: enhanced command queues.
    public var ecmdq: Bool { flag(F.ecmdq) }
}
