import IOMMUFD
import IOMMUFDTesting
import Testing

extension HardwareTests {
    /// The in-memory model's differential scenarios, run on the real kernel and on
    /// the model configured as the same host: the transcripts — results and
    /// errnos — must be equal. A difference is a bug in the model (or a finding
    /// to document in Docs/TestingModel.md).
    @Suite("model vs kernel", .serialized, .requiresIOMMUFD)
    struct DifferentialTests {
        /// The model host that mirrors the VM this runs in.
        static var mirroredHost: ModelHost? {
            switch HardwareEnvironment.vmModel {
            case "intel": .qemuIntelVTd(devices: 2)
            case "amd": .qemuAMD(devices: 2)
            case "virtio": .qemuVirtioIOMMU(devices: 2)
            default: nil
            }
        }

        static let vfioDevices = [HardwareEnvironment.device, HardwareEnvironment.secondDevice].compactMap { $0 }

        @Test("mock-device scenarios: kernel and model agree",
              .requiresMockDevice, arguments: DifferentialScenarios.all.filter { $0.requiredVFIODevices == 0 && $0.realKernelHazard == nil }.map(\.name))
        func mockScenario(_ name: String) throws {
            let scenario = try #require(DifferentialScenarios.named(name))
            let real = scenario.run(on: .linux(vfioDevices: [], mockDevices: true))
            let model = scenario.run(on: .model(KernelModel(host: .empty, kernel: .linux7_2), vfioDevices: []))
            #expect(real == model, "\(real.firstDifference(from: model) ?? "")\nkernel:\n\(real)")
        }

        @Test("VFIO scenarios in the project's VM: kernel and model agree",
              .enabled(if: mirroredHost != nil && vfioDevices.count == 2,
                       "needs the project's VM (IOMMUFD_VM_MODEL) with two VFIO devices: the model mirrors that host"),
              .requiresMockDevice,
              arguments: DifferentialScenarios.all.filter { $0.requiredVFIODevices > 0 && $0.realKernelHazard == nil }.map(\.name))
        func vfioScenario(_ name: String) throws {
            let scenario = try #require(DifferentialScenarios.named(name))
            let host = try #require(Self.mirroredHost)
            let real = scenario.run(on: .linux(vfioDevices: Self.vfioDevices, mockDevices: true))
            let model = scenario.run(on: .model(KernelModel(host: host, kernel: .linux7_2), vfioDevices: Self.vfioDevices))
            #expect(real == model, "\(real.firstDifference(from: model) ?? "")\nkernel:\n\(real)")
        }

        @Test("scenarios that crash the real kernel are refused on it, never run")
        func hazardsRefused() {
            for scenario in DifferentialScenarios.all where scenario.realKernelHazard != nil {
                let transcript = scenario.run(on: .linux(vfioDevices: Self.vfioDevices, mockDevices: true))
                #expect(transcript.steps.count == 1 && transcript.steps[0].name == "requirements", "\(transcript)")
            }
        }
    }
}
