import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The run's environment, as the report states it.
struct Environment {
    var kernel: String
    var machine: String
    var cpu: String
    var cpus: Int
    var inVM: Bool
    var loadBefore: String
    var loadAfter: String
    var startedAt: String
    var build: String

    static func read() -> Environment {
        var names = utsname()
        uname(&names)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let cpu = readText("/proc/cpuinfo")?.split(separator: "\n")
            .first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingWhitespace() } ?? "" } ?? "unknown"
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        #if DEBUG
        let build = "debug (numbers are not meaningful: use -c release)"
        #else
        let build = "release"
        #endif
        return Environment(
            kernel: field(names.release), machine: field(names.machine), cpu: cpu,
            cpus: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), inVM: getenv("IOMMUFD_IN_VM") != nil,
            loadBefore: loadAverage(), loadAfter: "", startedAt: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
            build: build)
    }

    static func loadAverage() -> String {
        (readText("/proc/loadavg") ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }

    var json: JSON {
        .object([
            ("kernel", .string(kernel)), ("machine", .string(machine)), ("cpu", .string(cpu)), ("cpus", .int(cpus)),
            ("in_vm", .bool(inVM)), ("load_average_before", .string(loadBefore)),
            ("load_average_after", .string(loadAfter)), ("started_at", .string(startedAt)), ("build", .string(build)),
        ])
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// A logger for the policy that prints errors only: the benchmarks make
/// devices without dirty tracking join containers on purpose.
func quietLogger() -> Logger {
    var logger = Logger(label: "iommufd-bench")
    logger.logLevel = .error
    return logger
}

func readText(_ path: String) -> String? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n <= 0 { break }
        bytes += chunk[..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

func format(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "n/a" }
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(decimals)f", $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let count = text.unicodeScalars.count
    guard count < width else { return text }
    let fill = String(repeating: " ", count: width - count)
    return right ? fill + text : text + fill
}

enum Report {
    static func table(_ comparisons: [Comparison], title: String) -> String {
        var lines: [String] = [title]
        let header = [pad("operation", 31), pad("ioctls", 6, right: true), pad("Swift ns", 11, right: true),
                      pad("C ns", 11, right: true), pad("ratio", 6, right: true), pad("spread (min–max)", 17, right: true),
                      pad("allocs", 7, right: true), pad("C allocs", 8, right: true), "  targets"]
        lines.append(header.joined(separator: " "))
        for c in comparisons {
            var verdict: [String] = []
            if c.ratioTarget { verdict.append(c.meetsRatio ? "ratio ok" : "RATIO > \(format(Comparison.ratioLimit, 2))") }
            if c.allocationTarget { verdict.append(c.meetsAllocations ? "0 allocs ok" : "ALLOCATES") }
            if verdict.isEmpty { verdict.append("(informational)") }
            let row = [pad(c.name, 31), pad("\(c.ioctlsPerCall)", 6, right: true),
                       pad(format(c.swiftMedian, 1), 11, right: true), pad(format(c.cMedian, 1), 11, right: true),
                       pad(format(c.ratioMedian, 3), 6, right: true),
                       pad("\(format(c.ratioMin, 3))–\(format(c.ratioMax, 3))", 17, right: true),
                       pad(format(c.swiftAllocations, 2), 7, right: true), pad(format(c.cAllocations, 2), 8, right: true),
                       "  " + verdict.joined(separator: ", ")]
            lines.append(row.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    static func policyTable(_ rows: [PolicyCounts.Row], title: String) -> String {
        var lines: [String] = [title]
        lines.append([pad("source", 6), pad("scenario", 36), pad("order", 11), pad("N", 3, right: true),
                      pad("M", 3, right: true), pad("policy", 7, right: true), pad("traced", 7, right: true),
                      pad("QEMU (C)", 9, right: true), pad("formula", 8, right: true), pad("HWPTs", 6, right: true),
                      "  ≤ QEMU"].joined(separator: " "))
        for r in rows {
            lines.append([pad(r.source, 6), pad(r.scenario, 36), pad(r.order, 11), pad("\(r.devices)", 3, right: true),
                          pad(r.groups.map { "\($0)" } ?? "-", 3, right: true), pad("\(r.policyIoctls)", 7, right: true),
                          pad("\(r.policyTraced)", 7, right: true), pad("\(r.qemuIoctls)", 9, right: true),
                          pad(r.qemuFormula.map { "\($0)" } ?? "-", 8, right: true),
                          pad("\(r.hwpts)/\(r.qemuHWPTs)", 6, right: true),
                          "  " + (r.meetsTarget ? "yes" : "NO") + (r.consistent ? "" : " (counts disagree!)")].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ c: Comparison) -> JSON {
        let (q1, q3) = c.ratioQuartiles
        return .object([
            ("name", .string(c.name)),
            ("group", .string(c.group)),
            ("description", .string(c.summary)),
            ("ioctls_per_call", .int(c.ioctlsPerCall)),
            ("swift_ns_per_call", .num(c.swiftMedian, 1)),
            ("c_ns_per_call", .num(c.cMedian, 1)),
            ("ratio", .num(c.ratioMedian, 4)),
            ("ratio_min", .num(c.ratioMin, 4)),
            ("ratio_max", .num(c.ratioMax, 4)),
            ("ratio_q1", .num(q1, 4)),
            ("ratio_q3", .num(q3, 4)),
            ("swift_ns_min", .num(c.swiftNanoseconds.min() ?? .nan, 1)),
            ("swift_ns_max", .num(c.swiftNanoseconds.max() ?? .nan, 1)),
            ("c_ns_min", .num(c.cNanoseconds.min() ?? .nan, 1)),
            ("c_ns_max", .num(c.cNanoseconds.max() ?? .nan, 1)),
            ("swift_wall_ns_per_call", .num(median(c.swiftWallNanoseconds), 1)),
            ("c_wall_ns_per_call", .num(median(c.cWallNanoseconds), 1)),
            ("allocations_per_call", .num(c.swiftAllocations, 3)),
            ("c_allocations_per_call", .num(c.cAllocations, 3)),
            ("frees_per_call", .num(c.swiftFrees, 3)),
            ("rounds", .int(c.ratios.count)),
            ("calls_per_block", .int(c.iterations)),
            ("ratio_target", c.ratioTarget ? .num(Comparison.ratioLimit, 2) : .null),
            ("allocation_target", c.allocationTarget ? .int(0) : .null),
            ("meets_ratio_target", c.ratioTarget ? .bool(c.meetsRatio) : .null),
            ("meets_allocation_target", c.allocationTarget ? .bool(c.meetsAllocations) : .null),
        ])
    }

    static func json(_ r: PolicyCounts.Row) -> JSON {
        .object([
            ("source", .string(r.source)),
            ("scenario", .string(r.scenario)),
            ("order", .string(r.order)),
            ("devices", .int(r.devices)),
            ("groups", r.groups.map { .int($0) } ?? .null),
            ("policy_ioctls", .int(r.policyIoctls)),
            ("policy_ioctls_traced", .int(r.policyTraced)),
            ("qemu_ioctls_c", .int(r.qemuIoctls)),
            ("qemu_ioctls_formula", r.qemuFormula.map { .int($0) } ?? .null),
            ("policy_hwpts", .int(r.hwpts)),
            ("qemu_hwpts", .int(r.qemuHWPTs)),
            ("meets_target", .bool(r.meetsTarget)),
            ("counts_consistent", .bool(r.consistent)),
        ])
    }
}
