public import IOMMUFD

/// One named value of a transcript step, already normalised (object IDs as
/// labels, numbers in a fixed notation) so that equal behaviour gives equal text.
public struct TranscriptValue: Sendable, Hashable, CustomStringConvertible {
    /// The value's name.
    public var name: String
    /// The value.
    public var value: String

    /// Creates a value.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// `"hwpt=#3"`.
    public var description: String { "\(name)=\(value)" }
}

/// One step of a scenario and how it ended.
public struct TranscriptStep: Sendable, Hashable, CustomStringConvertible {
    /// How a step ended.
    public enum Outcome: Sendable, Hashable, CustomStringConvertible {
        /// It succeeded, with these values.
        case succeeded([TranscriptValue])
        /// The kernel failed it with this errno (its symbolic name, `EINVAL`).
        case failed(String)
        /// The library refused it before any system call (its error code).
        case refused(String)

        /// `"ok hwpt=#3"`, `"EINVAL"`, `"refused invalid-argument"`.
        public var description: String {
            switch self {
            case .succeeded(let values): (["ok"] + values.map(\.description)).joined(separator: " ")
            case .failed(let errno): errno
            case .refused(let code): "refused \(code)"
            }
        }
    }

    /// What the step did, e.g. `attach vfio0 to IOAS`.
    public var name: String
    /// How it ended.
    public var outcome: Outcome

    /// Creates a step.
    public init(_ name: String, _ outcome: Outcome) {
        self.name = name
        self.outcome = outcome
    }

    /// `"attach vfio0 to IOAS: ok hwpt=#3"`.
    public var description: String { "\(name): \(outcome)" }
}

/// The comparable record of one scenario run: equal transcripts mean the
/// two targets behaved the same.
///
/// Object IDs never appear as numbers: each distinct ID is shown as a label
/// (`#1`, `#2`, …) in order of first appearance, so transcripts compare
/// structure (which object is which, which are reused), not numbering.
/// IOVAs, lengths, sizes, flags, capabilities and vendor data are exact.
public struct Transcript: Sendable, Hashable, CustomStringConvertible {
    /// The scenario's name.
    public var scenario: String
    /// The steps, in order.
    public var steps: [TranscriptStep]

    /// Creates a transcript.
    public init(scenario: String, steps: [TranscriptStep]) {
        self.scenario = scenario
        self.steps = steps
    }

    /// One line per step, headed by the scenario's name.
    public var description: String {
        ([scenario + ":"] + steps.enumerated().map { "  \($0.offset + 1). \($0.element)" }).joined(separator: "\n")
    }

    /// The first step where `other` differs, as a readable line; `nil` when equal.
    public func firstDifference(from other: Transcript) -> String? {
        for index in 0..<max(steps.count, other.steps.count) {
            let mine = index < steps.count ? steps[index].description : "(none)"
            let theirs = index < other.steps.count ? other.steps[index].description : "(none)"
            if mine != theirs { return "step \(index + 1): \(mine)  ≠  \(theirs)" }
        }
        return scenario == other.scenario ? nil : "scenario \(scenario) ≠ \(other.scenario)"
    }
}

/// Where a differential scenario runs: a system-call backend with its
/// iommufd node and devices.
///
/// ```swift
/// // Inside the test VM (Linux 7.2, VT-d, two edu devices on vfio-pci):
/// let real = scenario.run(on: .linux())
/// // The model configured as that VM:
/// let model = scenario.run(on: .model(KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux7_2)))
/// #expect(real == model)
/// ```
public struct ScenarioTarget: Sendable {
    /// A name for messages (`linux`, `model`).
    public var name: String
    /// The backend every call goes through.
    public var backend: any SyscallBackend
    /// The iommufd node.
    public var iommufdPath: String
    /// The VFIO devices scenarios may use, by path or name, in order.
    public var vfioDevices: [String]
    /// Whether the kernel has `CONFIG_IOMMUFD_TEST` (mock devices).
    public var supportsMockDevices: Bool

    /// Creates a target.
    public init(name: String, backend: any SyscallBackend, iommufdPath: String = IOMMUFD.defaultPath,
                vfioDevices: [String], supportsMockDevices: Bool) {
        self.name = name
        self.backend = backend
        self.iommufdPath = iommufdPath
        self.vfioDevices = vfioDevices
        self.supportsMockDevices = supportsMockDevices
    }

    /// The running kernel, with the hardware-test VM's devices by default.
    public static func linux(
        vfioDevices: [String] = ["/dev/vfio/devices/vfio0", "/dev/vfio/devices/vfio1"], mockDevices: Bool = true
    ) -> ScenarioTarget {
        ScenarioTarget(name: "linux", backend: LinuxSyscalls.shared, vfioDevices: vfioDevices, supportsMockDevices: mockDevices)
    }

    /// A model; by default its first two VFIO devices, and mock devices when
    /// its kernel profile has `CONFIG_IOMMUFD_TEST`.
    public static func model(_ model: KernelModel, vfioDevices: [String] = ["/dev/vfio/devices/vfio0", "/dev/vfio/devices/vfio1"]) -> ScenarioTarget {
        ScenarioTarget(name: "model", backend: model, vfioDevices: vfioDevices, supportsMockDevices: model.kernel.hasIOMMUFDTest)
    }
}

/// A scenario that runs unchanged on the real kernel and on the model and
/// returns a ``Transcript``.
public struct DifferentialScenario: Sendable, CustomStringConvertible {
    /// A short kebab-case name, e.g. `vfio-pasid-rules`.
    public var name: String
    /// What it checks.
    public var summary: String
    /// How many VFIO devices it needs.
    public var requiredVFIODevices: Int
    /// Whether it needs mock devices.
    public var requiresMockDevices: Bool
    /// Why the scenario must not run on a real kernel, if it must not: it
    /// then runs on models only (``run(on:)`` refuses a real-kernel target).
    public var realKernelHazard: String? = nil
    let body: @Sendable (ScenarioRun) -> Void

    /// Whether the target has what the scenario needs.
    public func isRunnable(on target: ScenarioTarget) -> Bool {
        target.vfioDevices.count >= requiredVFIODevices && (!requiresMockDevices || target.supportsMockDevices)
    }

    /// Runs the scenario. Every object it makes is destroyed and every
    /// descriptor closed before it returns, so targets are reusable.
    /// A target lacking what the scenario needs gives a one-step transcript
    /// saying so.
    public func run(on target: ScenarioTarget) -> Transcript {
        guard isRunnable(on: target) else {
            return Transcript(scenario: name, steps: [TranscriptStep("requirements", .refused("not runnable on \(target.name)"))])
        }
        if let realKernelHazard, target.backend === LinuxSyscalls.shared {
            return Transcript(scenario: name, steps: [TranscriptStep("requirements", .refused(realKernelHazard))])
        }
        let run = ScenarioRun(target: target)
        body(run)
        return Transcript(scenario: name, steps: run.steps)
    }

    /// The name and summary.
    public var description: String { "\(name): \(summary)" }
}
