import IOMMUFD
import IOMMUFDTesting
import Testing

/// `-v`: the command's steps and the autodomain policy's log on standard
/// error; without it, standard error stays empty.
@Suite struct VerboseTests {
    @Test func showLogsThePolicysDryRun() {
        let run = runInfo(["show", "vfio0", "-v"], on: Hosts.vm())
        #expect(run.status == 0)
        #expect(run.errorLines.contains(
            "debug iommufd.autodomain: vfio0 (0000:00:01.0), Intel VT-d with PASID (dry run): allocate an HWPT with "
                + "[nestParent]: no dirtyTracking: the IOMMU does not report dirty tracking for this device; nestParent: "
                + "the vIOMMU wants a nesting parent; no pasid: the vIOMMU wants PASID attach, but the device reports no "
                + "PASID width; nesting parent on VT-d with erratum 772415: read-only mappings are bypassed "
                + "[device=1, viommu=intel-vtd-pasid]"))
        #expect(run.errorLines.contains("debug iommufd-info: vfio0 bound to /dev/iommu as device 1"))
        #expect(run.output == runInfo(["show", "vfio0"], on: Hosts.vm()).output, "-v changes only standard error")
    }

    @Test func probeLogsThePolicysRealDecisions() {
        let run = runInfo(["probe", "vfio0", "--verbose"], on: Hosts.vm())
        #expect(run.status == 0)
        let policy = run.errorLines.filter { $0.hasPrefix("debug iommufd.autodomain:") }
        #expect(policy.contains {
            $0.hasPrefix("debug iommufd.autodomain: vfio0 (0000:00:01.0): allocated HWPT ") && $0.contains("with []")
        })
        #expect(policy.contains { $0.contains("detached from HWPT") && $0.contains("destroyed it (last device)") })
        #expect(policy.contains { $0.contains("Intel VT-d with PASID: attach failed: IOMMU_HWPT_ALLOC failed") })
    }

    @Test(arguments: [["list"], ["show", "vfio0"], ["probe", "vfio0"],
                      ["decode", "amd", "--efr", "0x29d3"]])
    func quietWithoutVerbose(arguments: [String]) {
        let run = runInfo(arguments, on: Hosts.vm())
        #expect(run.status == 0)
        #expect(run.errorOutput == "")
    }

    @Test func listLogsWhatItRead() {
        let run = runInfo(["list", "-v"], on: Hosts.vm())
        #expect(run.errorLines == [
            "debug iommufd-info: reading /sys/class/iommu, /sys/class/vfio-dev and /dev/vfio/devices",
            "debug iommufd-info: found 2 VFIO device(s), 2 IOMMU unit(s); /dev/iommu usable",
        ])
    }

    @Test func aFailureIsLoggedAndStillOneLineWithoutVerbose() {
        let quiet = runInfo(["show", "/dev/null"], on: Hosts.vm())
        #expect(quiet.errorLines.count == 1)
        let verbose = runInfo(["show", "/dev/null", "-v"], on: Hosts.vm())
        #expect(verbose.errorLines.last == quiet.errorLines.first)
        #expect(verbose.errorLines.contains { $0.hasPrefix("debug iommufd-info: failed: iommufd-info: /dev/null:") })
    }
}
