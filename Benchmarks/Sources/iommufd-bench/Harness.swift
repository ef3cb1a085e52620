import CBaseline
import MallocCounter

#if canImport(Glibc)
import Glibc
#endif

/// How long and how often to measure.
struct Settings {
    /// Rounds per operation; each gives one Swift/C ratio.
    var rounds: Int
    /// Block pairs per round: a block of Swift calls and a block of C calls,
    /// alternating (Swift first in even pairs), so both sides see the same
    /// conditions within milliseconds of each other.
    var blocksPerRound: Int
    /// Target duration of one block, in nanoseconds.
    var blockNanoseconds: UInt64
    /// Upper bound of calls per block.
    var maxIterations: Int
    /// Calls over which allocations are counted.
    var allocationIterations: Int
    /// Profiling mode (`--profile NAME:swift|c:CALLS`): run only that side
    /// of that operation, that many times, untimed (for callgrind or perf).
    var profile: (name: String, side: String, calls: Int)? = nil
    /// Which clock the comparison uses: this thread's CPU time on a shared
    /// host (other processes' time is not counted), wall-clock time in the
    /// VM (the guest is otherwise idle, and under TCG its CPU-time
    /// accounting is tick-based, far too coarse).
    var useCPUTime = true
    /// Only these operations (`--only`), or all.
    var only: Set<String>? = nil

    static let full = Settings(rounds: 21, blocksPerRound: 9, blockNanoseconds: 2_000_000, maxIterations: 1 << 22,
                               allocationIterations: 1000)
    static let quick = Settings(rounds: 9, blocksPerRound: 5, blockNanoseconds: 1_000_000, maxIterations: 1 << 20,
                                allocationIterations: 200)
}

/// One operation measured side by side: Swift (through the library) and C.
struct Comparison {
    var name: String
    var group: String
    var summary: String
    /// System calls per iteration, identical on both sides.
    var ioctlsPerCall: Int
    /// Whether the 0-allocation target applies to this operation.
    var allocationTarget: Bool
    /// Whether the ratio target applies (informational rows: no).
    var ratioTarget: Bool
    var iterations: Int
    var swiftNanoseconds: [Double]
    var cNanoseconds: [Double]
    /// Per round, Swift / C of the same round.
    var ratios: [Double]
    /// Wall-clock nanoseconds per call, per round (for reference).
    var swiftWallNanoseconds: [Double]
    var cWallNanoseconds: [Double]
    var swiftAllocations: Double
    var cAllocations: Double
    var swiftFrees: Double

    var swiftMedian: Double { median(swiftNanoseconds) }
    var cMedian: Double { median(cNanoseconds) }
    var ratioMedian: Double { median(ratios) }
    var ratioMin: Double { ratios.min() ?? .nan }
    var ratioMax: Double { ratios.max() ?? .nan }
    var ratioQuartiles: (Double, Double) { (quantile(ratios, 0.25), quantile(ratios, 0.75)) }

    static let ratioLimit = 1.03

    var meetsRatio: Bool { !ratioTarget || ratioMedian <= Self.ratioLimit }
    var meetsAllocations: Bool { !allocationTarget || swiftAllocations == 0 }
}

/// A failure of the C side or of set-up, with a message.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func median(_ values: [Double]) -> Double { quantile(values, 0.5) }

func quantile(_ values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
    let fraction = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
}

@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// The time one measurement took.
struct Elapsed {
    /// Wall-clock nanoseconds (CLOCK_MONOTONIC).
    var wall: UInt64
    /// This thread's CPU nanoseconds (CLOCK_THREAD_CPUTIME_ID): what the
    /// comparison uses, since it does not count time other processes had
    /// the CPU (the machine is shared).
    var cpu: UInt64
}

/// Runs `body(iterations)` and returns how long it took.
@inline(__always)
func timed(_ iterations: Int, _ body: (Int) throws -> Void) rethrows -> Elapsed {
    let wall0 = cb_now_ns(), cpu0 = cb_thread_cpu_ns()
    try body(iterations)
    let cpu1 = cb_thread_cpu_ns(), wall1 = cb_now_ns()
    return Elapsed(wall: wall1 &- wall0, cpu: cpu1 &- cpu0)
}

/// Measures an operation side by side.
///
/// - `swift(n)` runs the operation `n` times through the library, `c(n)` runs
///   the same system calls `n` times in C and returns 0 or `-errno`.
/// - A block is `n` calls, `n` calibrated on the Swift side to
///   `settings.blockNanoseconds`. One block of each side is run first and
///   discarded (warm-up).
/// - Each round runs `settings.blocksPerRound` pairs of blocks, Swift and C
///   alternating (Swift first in even pairs, C first in odd ones), and takes
///   the median block of each side: a block in which the process lost the
///   CPU, or the host preempted the VM, does not move the median. The
///   round's ratio is Swift's median over C's.
/// - The result is the median of the rounds' ratios, with their spread.
/// - Allocations are counted in a separate pass after the warm-up, over
///   `settings.allocationIterations` calls, on this thread only.
func compare(
    _ name: String, group: String, summary: String, ioctls: Int, allocationTarget: Bool = true,
    ratioTarget: Bool = true, settings: Settings,
    swift: (Int) throws -> Void, c: (Int) -> CInt
) throws -> Comparison {
    func runC(_ n: Int) throws -> Elapsed {
        var rc: CInt = 0
        let ns = timed(n) { rc = c($0) }
        if rc != 0 { throw BenchError("\(name): the C baseline failed with errno \(-rc) (\(String(cString: strerror(-rc))))") }
        return ns
    }
    let limit = settings.maxIterations
    let skipped = Comparison(
        name: name, group: group, summary: summary, ioctlsPerCall: ioctls, allocationTarget: allocationTarget,
        ratioTarget: ratioTarget, iterations: 0, swiftNanoseconds: [], cNanoseconds: [], ratios: [],
        swiftWallNanoseconds: [], cWallNanoseconds: [], swiftAllocations: 0, cAllocations: 0, swiftFrees: 0)
    if let only = settings.only, !only.contains(name) { return skipped }
    if let profile = settings.profile {
        guard profile.name == name else { return skipped }
        if profile.side == "c" { _ = try runC(profile.calls) } else { try swift(profile.calls) }
        return skipped
    }
    func pick(_ e: Elapsed) -> UInt64 { settings.useCPUTime ? e.cpu : e.wall }

    // Warm up both sides (first calls fault pages in and, under TCG,
    // translate code), then calibrate on the Swift side: the smallest power
    // of two of calls taking at least half a block, scaled to a block.
    _ = try timed(2, swift)
    _ = try runC(2)
    var n = 1
    while true {
        let ns = max(pick(try timed(n, swift)), 1)
        if ns >= settings.blockNanoseconds / 2 || n >= limit {
            let perCall = Double(ns) / Double(n)
            n = max(1, min(limit, Int((Double(settings.blockNanoseconds) / perCall).rounded())))
            break
        }
        n = min(limit, n * 2)
    }
    _ = try timed(n, swift)
    _ = try runC(n)

    var swiftNs: [Double] = [], cNs: [Double] = [], ratios: [Double] = []
    var swiftWall: [Double] = [], cWall: [Double] = []
    for _ in 0..<settings.rounds {
        var sBlocks: [Double] = [], cBlocks: [Double] = [], sWall: [Double] = [], cWallBlocks: [Double] = []
        for pair in 0..<settings.blocksPerRound {
            let s: Elapsed, k: Elapsed
            if pair % 2 == 0 {
                s = try timed(n, swift)
                k = try runC(n)
            } else {
                k = try runC(n)
                s = try timed(n, swift)
            }
            sBlocks.append(Double(pick(s)) / Double(n))
            cBlocks.append(Double(pick(k)) / Double(n))
            sWall.append(Double(s.wall) / Double(n))
            cWallBlocks.append(Double(k.wall) / Double(n))
        }
        let sp = median(sBlocks), cp = median(cBlocks)
        swiftNs.append(sp)
        cNs.append(cp)
        ratios.append(sp / cp)
        swiftWall.append(median(sWall))
        cWall.append(median(cWallBlocks))
    }

    let counted = max(1, min(settings.allocationIterations, n))
    let a0 = malloc_counter_allocations(), f0 = malloc_counter_frees()
    try swift(counted)
    let a1 = malloc_counter_allocations(), f1 = malloc_counter_frees()
    let rc = c(counted)
    let a2 = malloc_counter_allocations()
    if rc != 0 { throw BenchError("\(name): the C baseline failed with errno \(-rc)") }

    return Comparison(
        name: name, group: group, summary: summary, ioctlsPerCall: ioctls, allocationTarget: allocationTarget,
        ratioTarget: ratioTarget, iterations: n, swiftNanoseconds: swiftNs, cNanoseconds: cNs, ratios: ratios,
        swiftWallNanoseconds: swiftWall, cWallNanoseconds: cWall,
        swiftAllocations: Double(a1 &- a0) / Double(counted), cAllocations: Double(a2 &- a1) / Double(counted),
        swiftFrees: Double(f1 &- f0) / Double(counted))
}
