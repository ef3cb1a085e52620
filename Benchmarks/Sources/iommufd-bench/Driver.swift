import CBaseline
import MallocCounter

#if canImport(Glibc)
import Glibc
#endif

/// Command line: `iommufd-bench [--quick] [--json FILE] [--suites LIST] [--rounds N]`.
///
/// Suites: `micro` (any machine), `kernel` (needs /dev/iommu and vfio0/vfio1;
/// mock rows need CONFIG_IOMMUFD_TEST), `policy-model` (any machine),
/// `policy-kernel` (the real kernel). The default is every suite this
/// machine can run.
enum Driver {
    static let usage = """
        usage: iommufd-bench [--quick] [--json FILE] [--suites micro,kernel,policy-model,policy-kernel] [--rounds N]
          --quick        fewer, shorter rounds (CI)
          --json FILE    write the results there (default: $IOMMUFD_VM_RESULTS/bench.json in the VM,
                         else Benchmarks/results/bench.json under the current directory)
          --suites LIST  which suites to run (default: every one this machine can run)
          --only A,B     measure only these operations (names as in the table)
          --rounds N     rounds per operation, each one Swift/C ratio (default 21, quick 9)
          --clock cpu|wall
                         what to compare: this thread's CPU time (default on a host) or wall-clock
                         time (default in the VM, where CPU time is tick-based under TCG)
          --profile NAME:swift|c:CALLS
                         run only one side of one operation CALLS times, untimed (for callgrind)
        """

    static func main() {
        do {
            exit(try run(Array(CommandLine.arguments.dropFirst())))
        } catch {
            say("iommufd-bench: \(error)")
            exit(1)
        }
    }

    /// Progress and errors go to standard error.
    static func say(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
    }

    static func run(_ arguments: [String]) throws -> Int32 {
        var quick = false
        var jsonPath: String?
        var suites: Set<String>?
        var rounds: Int?
        var profile: (name: String, side: String, calls: Int)?
        var clock: String?
        var only: Set<String>?
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw BenchError("\(arguments[index - 1]) needs a value\n\(usage)") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--quick": quick = true
            case "--json": jsonPath = try value()
            case "--suites": suites = Set(try value().split(separator: ",").map(String.init))
            case "--profile":
                let parts = try value().split(separator: ":").map(String.init)
                guard parts.count == 3, ["swift", "c"].contains(parts[1]), let calls = Int(parts[2]) else {
                    throw BenchError("--profile needs NAME:swift|c:CALLS")
                }
                profile = (parts[0], parts[1], calls)
            case "--only":
                only = Set(try value().split(separator: ",").map(String.init))
            case "--clock":
                let name = try value()
                guard ["cpu", "wall"].contains(name) else { throw BenchError("--clock is cpu or wall") }
                clock = name
            case "--rounds":
                guard let n = Int(try value()), n > 0 else { throw BenchError("--rounds needs a positive number") }
                rounds = n
            case "-h", "--help":
                print(usage)
                return 0
            default: throw BenchError("unknown argument \(arguments[index])\n\(usage)")
            }
            index += 1
        }

        var settings = quick ? Settings.quick : Settings.full
        settings.profile = profile
        settings.only = only
        let inVM = getenv("IOMMUFD_IN_VM") != nil
        settings.useCPUTime = (clock ?? (inVM ? "wall" : "cpu")) == "cpu"
        if inVM && !quick {
            // Wall-clock under TCG, with the host's other load on the QEMU
            // threads: longer blocks and more rounds.
            settings.blockNanoseconds = 5_000_000
            settings.rounds = 31
        }
        if let rounds { settings.rounds = rounds }
        var environment = Environment.read()
        var notes: [String] = []
        if environment.build != "release" { notes.append("WARNING: \(environment.build)") }
        guard malloc_counter_is_active() == 1 else {
            throw BenchError("the counting allocator is not interposed: allocation counts would be wrong")
        }

        let kernelMissing = KernelSuite.available()
        let selected = suites ?? (kernelMissing == nil
            ? ["micro", "kernel", "policy-model", "policy-kernel"] : ["micro", "policy-model"])
        if let kernelMissing, suites == nil { notes.append("kernel suites skipped: \(kernelMissing)") }
        for suite in selected where !["micro", "kernel", "policy-model", "policy-kernel"].contains(suite) {
            throw BenchError("unknown suite \(suite)")
        }

        var micro: [Comparison] = [], kernel: [Comparison] = []
        var policy: [PolicyCounts.Row] = []
        // The kernel suite first: the micro suite leaves a seccomp filter on
        // this thread, which would tax every later system call.
        if selected.contains("kernel") {
            if let kernelMissing { throw BenchError("kernel suite: \(kernelMissing)") }
            let (results, more) = try KernelSuite.run(settings: settings, log: say)
            kernel = results
            notes += more
        }
        if selected.contains("policy-kernel") {
            say("policy: counting on the real kernel")
            policy += try PolicyCounts.runKernel(quick: quick, notes: &notes)
        }
        if selected.contains("policy-model") {
            say("policy: counting on the model")
            policy += try PolicyCounts.runModel(quick: quick)
        }
        if selected.contains("micro") {
            let (results, more) = try MicroSuite.run(settings: settings, log: say)
            micro = results
            notes += more
        }
        environment.loadAfter = Environment.loadAverage()
        if profile != nil { return 0 }
        micro.removeAll { $0.iterations == 0 }   // left out by --only
        kernel.removeAll { $0.iterations == 0 }

        // The report.
        let place = environment.inVM ? "in the test VM (QEMU TCG: absolute times are emulated; ratios hold)" : "on this host"
        print("swift-iommufd benchmarks \(place)")
        print("kernel \(environment.kernel), \(environment.cpus) CPUs (\(environment.cpu)), load \(environment.loadBefore) → \(environment.loadAfter), \(environment.build) build, \(settings.rounds) rounds\(quick ? " (quick)" : "")")
        print("ns = \(settings.useCPUTime ? "thread CPU" : "wall-clock") ns per call (median of the rounds); ratio = Swift / C, median of the rounds' ratios; spread = their min–max")
        if !micro.isEmpty {
            print("")
            print(Report.table(micro, title: "ioctl overhead (micro: /dev/null + seccomp, any machine)"))
        }
        if !kernel.isEmpty {
            print("")
            print(Report.table(kernel, title: "real kernel (iommufd, VFIO cdev, VT-d; mock devices)"))
        }
        if !policy.isEmpty {
            print("")
            print(Report.policyTable(policy, title: "policy: ioctls to attach N devices over M incompatible groups (QEMU = hw/vfio/iommufd.c)"))
        }
        for note in notes { print("note: \(note)") }

        let all = micro + kernel
        let failures = all.filter { !$0.meetsRatio || !$0.meetsAllocations }.map(\.name)
            + policy.filter { !$0.meetsTarget || !$0.consistent }.map { "policy \($0.scenario) \($0.order) N=\($0.devices)" }
        print("")
        print(failures.isEmpty ? "targets: all met" : "targets missed: \(failures.joined(separator: ", "))")

        let document = JSON.object([
            ("schema", .int(1)),
            ("tool", .string("iommufd-bench")),
            ("where", .string(environment.inVM ? "vm" : "host")),
            ("quick", .bool(quick)),
            ("environment", environment.json),
            ("settings", .object([
                ("rounds", .int(settings.rounds)),
                ("block_pairs_per_round", .int(settings.blocksPerRound)),
                ("block_ns", .int(Int(settings.blockNanoseconds))),
                ("allocation_calls", .int(settings.allocationIterations)),
                ("clock", .string(settings.useCPUTime ? "thread-cpu" : "wall")),
            ])),
            ("operations", .array(all.map(Report.json))),
            ("policy", .array(policy.map(Report.json))),
            ("notes", .array(notes.map { .string($0) })),
            ("targets_met", .bool(failures.isEmpty)),
            ("targets_missed", .array(failures.map { .string($0) })),
        ])
        let path = jsonPath ?? defaultJSONPath()
        try write(document.encoded() + "\n", to: path)
        say("wrote \(path)")
        return 0
    }

    static func defaultJSONPath() -> String {
        if let results = getenv("IOMMUFD_VM_RESULTS") { return String(cString: results) + "/bench.json" }
        mkdir("Benchmarks", 0o755)
        mkdir("Benchmarks/results", 0o755)
        return "Benchmarks/results/bench.json"
    }

    static func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw BenchError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(file) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw BenchError("short write to \(path)") }
    }
}
