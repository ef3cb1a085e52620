#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import IOMMUFDTesting
import Testing

@Suite("Differential scenarios on the model")
struct DifferentialScenarioTests {
    static func vm() -> KernelModel { KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux7_2) }

    @Test(arguments: DifferentialScenarios.all.map(\.name))
    func scenarioIsCleanAndDeterministic(_ name: String) throws {
        let scenario = try #require(DifferentialScenarios.named(name))
        let model = Self.vm()
        let first = scenario.run(on: .model(model))
        #expect(model.isQuiescent, "\(model.liveObjects) \(model.openDescriptors)")
        // Reusing the same model (as the VM is reused) gives the same transcript.
        let second = scenario.run(on: .model(model))
        #expect(first == second, "\(first.firstDifference(from: second) ?? "")")
        #expect(first.steps.count > 5)
        #expect(!first.steps.contains { if case .refused = $0.outcome { true } else { false } }, "\(first)")
        #expect(first.steps.first?.description == "open iommufd: ok")
    }

    @Test func transcriptsDoNotDependOnPCIAddressesOrDescriptors() {
        let addresses = [PCIAddress(bus: 0, device: 2, function: 0)!, PCIAddress(bus: 0, device: 3, function: 0)!]
        for scenario in DifferentialScenarios.all {
            let a = scenario.run(on: .model(Self.vm()))
            let other = KernelModel(host: .qemuIntelVTd(devices: 2, addresses: addresses), kernel: .linux7_2)
            _ = other.open("/dev/null", flags: O_RDONLY)          // shifts every descriptor number
            let b = scenario.run(on: .model(other))
            #expect(a == b, "\(scenario.name): \(a.firstDifference(from: b) ?? "")")
        }
    }

    @Test func transcriptsTellHostsApart() throws {
        let scenario = try #require(DifferentialScenarios.named("vfio-bind-and-info"))
        let intel = scenario.run(on: .model(Self.vm()))
        let amd = scenario.run(on: .model(KernelModel(host: .qemuAMD(devices: 2), kernel: .linux7_2)))
        #expect(intel != amd)
        #expect(intel.firstDifference(from: amd)?.contains("hardware info") == true)
        let older = scenario.run(on: .model(KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux6_13)))
        #expect(intel.firstDifference(from: older) != nil)
    }

    @Test func expectedStepsOnTheVMModel() throws {
        func transcript(_ name: String) throws -> [String] {
            try #require(DifferentialScenarios.named(name)).run(on: .model(Self.vm())).steps.map(\.description)
        }
        let info = try transcript("vfio-bind-and-info")
        #expect(info.contains("hardware info: ok type=intel-vtd data_len=24 capabilities=0x8 max_pasid_log2=0 flags=0x1 cap=0xd2008c222f0606 ecap=0x490080f00f4a"))
        #expect(info.contains("device info: ok flags=0x2 regions=9 irqs=5"))
        let flags = try transcript("vfio-hwpt-flags")
        #expect(flags.contains("alloc [pasid]: ok hwpt=#3"))
        #expect(flags.contains("alloc [nestParent]: EOPNOTSUPP"))
        #expect(flags.contains("alloc [dirtyTracking]: EOPNOTSUPP"))
        let sharing = try transcript("vfio-auto-domain-sharing")
        #expect(sharing.contains("attach device 0 to the IOAS: ok hwpt=#4"))
        #expect(sharing.contains("attach device 1 to the IOAS: ok hwpt=#4"))
        #expect(sharing.contains("iova ranges: ok ranges=0x0-0xfedfffff,0xfef00000-0xffffffffffff alignment=0x1000"))
        let pasid = try transcript("vfio-pasid-rules")
        #expect(pasid.contains("attach PASID 1 to PASID HWPT while the RID's is plain: EINVAL"))
        #expect(pasid.contains("replace RID with plain while PASID 1 is attached: EINVAL"))
        #expect(pasid.contains("attach PASID 1 to PASID HWPT: ok hwpt=#4"))
        let mock = try transcript("mock-basics")
        #expect(mock.contains("create mock device: ok stdev=#2 device=#3 hwpt=#4"))
        #expect(mock.contains("iova ranges: ok ranges=0x1000000-0x7fffffff alignment=0x800"))
        let dirty = try transcript("mock-dirty-tracking")
        #expect(dirty.contains("read without clearing: ok iovas=0x1001000,0x1003000"))
        #expect(dirty.contains("read again: ok iovas="))
        let raw = try transcript("raw-size-rules")
        #expect(raw.contains("IOAS_ALLOC size 16, non-zero tail: E2BIG"))
        #expect(raw.contains("VFIO_IOAS get before set: ENODEV"))
        let errnos = try transcript("vfio-errno-basics")
        #expect(errnos.contains("bind to a descriptor that is not an iommufd: EBADFD"))
    }

    @Test func scenariosSayWhenATargetLacksWhatTheyNeed() throws {
        let scenario = try #require(DifferentialScenarios.named("vfio-auto-domain-sharing"))
        let oneDevice = ScenarioTarget.model(KernelModel(host: .qemuIntelVTd(devices: 1)), vfioDevices: ["vfio0"])
        #expect(!scenario.isRunnable(on: oneDevice))
        #expect(scenario.run(on: oneDevice).steps == [TranscriptStep("requirements", .refused("not runnable on model"))])
        let mock = try #require(DifferentialScenarios.named("mock-basics"))
        let noTest = ScenarioTarget.model(KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux7_2.withoutIOMMUFDTest))
        #expect(!noTest.supportsMockDevices && !mock.isRunnable(on: noTest))
        #expect(ScenarioTarget.linux().vfioDevices == ["/dev/vfio/devices/vfio0", "/dev/vfio/devices/vfio1"])
    }

    @Test func scenarioCatalogue() {
        let names = DifferentialScenarios.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.count == 16)
        #expect(DifferentialScenarios.all.allSatisfy { !$0.summary.isEmpty })
        #expect(DifferentialScenarios.named("no-such-scenario") == nil)
    }
}
