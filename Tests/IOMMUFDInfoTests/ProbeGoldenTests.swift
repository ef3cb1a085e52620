import IOMMUFD
import SystemPackage
import IOMMUFDTesting
import Testing

/// `iommufd-info probe` over fake hosts and kernel releases: golden text and
/// JSON; every object it made is destroyed.
@Suite struct ProbeGoldenTests {
    static let hosts: [(name: String, make: @Sendable () -> KernelModel)] = [
        ("vm-vtd", Hosts.vm), ("amd", Hosts.amd), ("smmuv3", Hosts.smmuv3),
        ("vm-vtd-linux6.6", { KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux6_6) }),
        ("vm-vtd-linux6.15", { KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux6_15) }),
        ("mock-device", Hosts.mockDevice),
    ]

    @Test(arguments: hosts.map(\.name), [false, true])
    func probe(host: String, json: Bool) throws {
        let model = try #require(Self.hosts.first { $0.name == host }).make()
        let run = runInfo(["probe", "vfio0"] + (json ? ["--json"] : []), on: model)
        #expect(run.status == 0)
        #expect(run.errorOutput == "")
        Golden.check(run.output, "probe-\(host).\(json ? "json" : "txt")")
        #expect(model.liveObjects.isEmpty, "probe destroys everything it made: \(model.liveObjects)")
        #expect(model.isQuiescent, "left open: \(model.openDescriptors)")
    }

    @Test func probeDestroysEveryObjectBeforeClosing() {
        let model = Hosts.vm()
        let run = runInfo(["probe", "vfio0"], on: model)
        #expect(run.status == 0)
        // Every allocation is matched by an IOMMU_DESTROY (or a detach for the policy's HWPTs),
        // so nothing depended on closing the iommufd.
        let allocated = model.ioctlTrace.filter {
            $0.result.succeeded && ["IOMMU_IOAS_ALLOC", "IOMMU_HWPT_ALLOC", "IOMMU_FAULT_QUEUE_ALLOC"].contains($0.operation)
        }.count
        let destroyed = model.ioctlTrace.filter { $0.result.succeeded && $0.operation == "IOMMU_DESTROY" }.count
        #expect(allocated == destroyed)
        #expect(!run.output.contains("failed (closing"))
    }

    @Test func probeReportsAFailedDestroy() {
        let model = Hosts.vm()
        model.injectFault(.resourceBusy, on: .nextCall(to: "IOMMU_DESTROY"))
        let run = runInfo(["probe", "vfio0"], on: model)
        #expect(run.status == 0)
        #expect(run.output.contains("[]                                  accepted (HWPT 3), but destroying it failed: "
                                    + "EBUSY (Device or resource busy)"))
        #expect(run.output.contains("Cleanup: 2 destroy(s) failed (closing the iommufd frees the rest):"))
        #expect(model.isQuiescent, "closing the iommufd freed the rest")
    }
}
