import IOMMUFD
import SystemPackage

/// An injected fault waiting for its call.
struct PendingFault {
    enum Match {
        case sequence(Int)
        case operation(String, String?)
    }
    let errno: Errno
    let match: Match
    var remaining: Int
}

/// Everything behind the model's lock: the kernel, the trace, the faults.
final class ModelState {
    let kernel: Kernel
    var trace: [TraceEntry] = []
    var sequence = 0
    var faults: [PendingFault] = []

    init(kernel: Kernel) { self.kernel = kernel }

    /// Runs one call: numbers it, applies an injected fault or the model,
    /// and records it.
    func perform(
        _ kind: TraceEntry.Kind, _ operation: String, descriptor: CInt? = nil, path: String? = nil,
        arguments: [TraceField] = [], _ body: (Kernel) -> KResult<(Int, [TraceField])>
    ) -> TraceResult {
        sequence += 1
        var entry = TraceEntry(sequence: sequence, kind: kind, operation: operation, descriptor: descriptor, path: path,
                               arguments: arguments, outputs: [], result: .success(0), injected: false)
        if let index = faults.firstIndex(where: { matches($0, entry) }) {
            entry.result = .failure(faults[index].errno)
            entry.injected = true
            faults[index].remaining -= 1
            if faults[index].remaining <= 0 { faults.remove(at: index) }
        } else {
            switch body(kernel) {
            case .success(let (value, outputs)):
                entry.result = .success(value)
                entry.outputs = outputs
            case .failure(let errno):
                entry.result = .failure(errno.errno)
            }
        }
        trace.append(entry)
        return entry.result
    }

    private func matches(_ fault: PendingFault, _ entry: TraceEntry) -> Bool {
        switch fault.match {
        case .sequence(let number): number == entry.sequence
        case .operation(let name, let path): name == entry.operation && (path == nil || path == entry.path)
        }
    }

    /// The context of an iommufd descriptor, or the only live one.
    func context(_ descriptor: FileDescriptor?) throws(ModelError) -> Context {
        if let descriptor {
            guard case .iommufd(let context, _, _)? = kernel.files[descriptor.rawValue] else { throw .noSuchIOMMUFD }
            return context
        }
        let all = kernel.contexts.values
        guard let first = all.first else { throw .noSuchIOMMUFD }
        guard all.count == 1 else { throw .ambiguousIOMMUFD }
        return first
    }
}

extension TraceResult {
    var asCInt: CInt {
        switch self {
        case .success(let value): CInt(truncatingIfNeeded: value)
        case .failure(let errno): -errno.rawValue
        }
    }
}

/// The decoded arguments of `IOMMU_TEST_CMD` (the union member of its op).
func selftestArguments(_ arg: UnsafeMutableRawPointer) -> [TraceField] {
    let op = arg.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
    let id = arg.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
    func u32(_ offset: Int) -> UInt64 { UInt64(arg.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    func u64(_ offset: Int) -> UInt64 { arg.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
    var fields = [TraceField("op", .text(selftestOperationName(op))), TraceField("id", .number(UInt64(id)))]
    switch selftestOperationName(op) {
    case "ADD_RESERVED": fields += [TraceField("start", .hex(u64(16))), TraceField("length", .hex(u64(24)))]
    case "MOCK_DOMAIN_FLAGS": fields.append(TraceField("dev_flags", .hex(u32(28))))
    case "MOCK_DOMAIN_REPLACE": fields.append(TraceField("pt_id", .number(u32(16))))
    case "PASID_ATTACH", "PASID_REPLACE": fields += [TraceField("pasid", .number(u32(16))), TraceField("pt_id", .number(u32(20)))]
    case "PASID_DETACH": fields.append(TraceField("pasid", .number(u32(16))))
    case "PASID_CHECK_HWPT": fields += [TraceField("pasid", .number(u32(16))), TraceField("hwpt_id", .number(u32(20)))]
    case "DIRTY":
        fields += [TraceField("iova", .hex(u64(24))), TraceField("length", .hex(u64(32))), TraceField("page_size", .hex(u64(40)))]
    default: break
    }
    return fields
}

/// The decoded outputs of `IOMMU_TEST_CMD`.
func selftestOutputs(_ arg: UnsafeMutableRawPointer) -> [TraceField] {
    let op = arg.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
    func u32(_ offset: Int) -> UInt64 { UInt64(arg.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    switch selftestOperationName(op) {
    case "MOCK_DOMAIN", "MOCK_DOMAIN_FLAGS":
        return [TraceField("out_stdev_id", .number(u32(16))), TraceField("out_hwpt_id", .number(u32(20))),
                TraceField("out_idev_id", .number(u32(24)))]
    case "MOCK_DOMAIN_REPLACE": return [TraceField("pt_id", .number(u32(16)))]
    case "PASID_ATTACH", "PASID_REPLACE": return [TraceField("pt_id", .number(u32(20)))]
    case "DIRTY": return [TraceField("out_nr_dirty", .number(arg.loadUnaligned(fromByteOffset: 56, as: UInt64.self)))]
    default: return []
    }
}
