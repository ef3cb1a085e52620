internal import CIOMMUFD
import IOMMUFD

/// The scenarios that must behave identically on the real kernel and on the
/// model configured as the same host.
///
/// The hardware-test job runs each of ``all`` inside the test VM (Linux 7.2,
/// emulated Intel VT-d, two `edu` devices bound to vfio-pci as `vfio0` and
/// `vfio1`, `CONFIG_IOMMUFD_TEST`) and on
/// `KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux7_2)`, and
/// requires equal transcripts:
///
/// ```swift
/// for scenario in DifferentialScenarios.all {
///     let real = scenario.run(on: .linux())
///     let model = scenario.run(on: .model(KernelModel(host: .qemuIntelVTd(devices: 2), kernel: .linux7_2)))
///     #expect(real == model, "\(real.firstDifference(from: model) ?? "")")
/// }
/// ```
///
/// Each scenario opens its own iommufd and devices and releases everything
/// before returning. Run them one after the other on a real kernel (a
/// `.serialized` suite): two scenarios binding the same VFIO device at once
/// would see `EINVAL` from the second bind. IOVAs are exact: mapped memory is 2 MiB aligned, which
/// makes the kernel's IOVA choice independent of the allocator.
public enum DifferentialScenarios {
    /// Every scenario, in a stable order.
    public static let all: [DifferentialScenario] = [
        ioasBasics, idAllocation, ioasCopyAndAllow, rawSizeRules,
        vfioBindAndInfo, vfioErrnoBasics, vfioAutoDomainSharing, vfioHWPTFlags, vfioPASIDRules, vfioReservedRegions,
        mockBasics, mockFlagsMatrix, mockDirtyTracking, mockPASID, mockNoDirty, mixedMockAndVFIO,
    ]

    /// The scenario with this name.
    public static func named(_ name: String) -> DifferentialScenario? { all.first { $0.name == name } }

    static let flagCombinations: [HWPTAllocFlags] = [
        [], .nestParent, .dirtyTracking, .pasid, [.nestParent, .dirtyTracking], [.nestParent, .pasid],
        [.dirtyTracking, .pasid], [.nestParent, .dirtyTracking, .pasid],
    ]

    // MARK: - IOAS only

    static let ioasBasics = DifferentialScenario(
        name: "ioas-basics", summary: "IOAS map/unmap rules, IOVA choice, options, destroy", requiredVFIODevices: 0,
        requiresMockDevices: false
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd, "alloc IOAS")
            else { return }
            let memory = run.memory(0x10000)
            let head = UnsafeRawBufferPointer(rebasing: memory[0..<0x4000])
            run.step("iova ranges of an empty IOAS", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: ioas) }, rangesText)
            run.step("huge pages", { () throws(IOMMUFDError) in try iommufd.hugePages(of: ioas) }) { [TranscriptValue("on", "\($0)")] }
            run.step("rlimit mode", { () throws(IOMMUFDError) in try iommufd.rlimitMode() }) { [TranscriptValue("mode", "\($0.rawValue)")] }
            run.step("map fixed 0x100000", { () throws(IOMMUFDError) in try iommufd.map(head, into: ioas, at: .fixed(0x100000)) }) { [TranscriptValue("iova", hexText($0))] }
            run.step("map the same IOVA again", { () throws(IOMMUFDError) in try iommufd.map(head, into: ioas, at: .fixed(0x100000)) }) { [TranscriptValue("iova", hexText($0))] }
            run.step("map overlapping 0x102000", { () throws(IOMMUFDError) in try iommufd.map(head, into: ioas, at: .fixed(0x102000)) }) { [TranscriptValue("iova", hexText($0))] }
            run.step("map without access rights", { () throws(IOMMUFDError) in try iommufd.map(head, into: ioas, at: .fixed(0x200000), access: []) }) { [TranscriptValue("iova", hexText($0))] }
            run.step("map read-only, kernel-chosen IOVA", { () throws(IOMMUFDError) in try iommufd.map(head, into: ioas, access: .readable) }) { [TranscriptValue("iova", hexText($0))] }
            run.step("map 64 KiB, kernel-chosen IOVA", { () throws(IOMMUFDError) in try iommufd.map(memory, into: ioas) }) { [TranscriptValue("iova", hexText($0))] }
            run.step("unmap half a mapping", { () throws(IOMMUFDError) in try iommufd.unmap(ioas, iova: 0x100000, length: 0x2000) }) { [TranscriptValue("length", hexText($0))] }
            run.step("unmap an empty range", { () throws(IOMMUFDError) in try iommufd.unmap(ioas, iova: 0x3000_0000, length: 0x1000) }) { [TranscriptValue("length", hexText($0))] }
            run.step("unmap zero bytes", { () throws(IOMMUFDError) in try iommufd.unmap(ioas, iova: 0x100000, length: 0) }) { [TranscriptValue("length", hexText($0))] }
            run.step("unmap a whole mapping", { () throws(IOMMUFDError) in try iommufd.unmap(ioas, iova: 0x100000, length: 0x4000) }) { [TranscriptValue("length", hexText($0))] }
            run.step("unmap it again", { () throws(IOMMUFDError) in try iommufd.unmap(ioas, iova: 0x100000, length: 0x4000) }) { [TranscriptValue("length", hexText($0))] }
            run.step("set huge pages off", { () throws(IOMMUFDError) in try iommufd.setHugePages(false, of: ioas) })
            run.step("iova ranges without huge pages", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: ioas) }, rangesText)
            run.step("unmap all", { () throws(IOMMUFDError) in try iommufd.unmapAll(ioas) }) { [TranscriptValue("length", hexText($0))] }
            run.step("unmap all of an empty IOAS", { () throws(IOMMUFDError) in try iommufd.unmapAll(ioas) }) { [TranscriptValue("length", hexText($0))] }
            run.step("destroy IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
            run.step("destroy it again") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }

    static let idAllocation = DifferentialScenario(
        name: "id-allocation", summary: "IDs come from one space, lowest free first; unknown IDs", requiredVFIODevices: 0,
        requiresMockDevices: false
    ) { run in
        withIOMMUFD(run) { iommufd in
            var ids: [IOASID] = []
            for name in ["A", "B", "C"] {
                if let id = alloc(run, iommufd, "alloc IOAS \(name)") {
                    ids.append(id)
                }
            }
            guard ids.count == 3 else { return }
            run.step("destroy B") { () throws(IOMMUFDError) in try iommufd.destroy(ids[1]) }
            if let reused = alloc(run, iommufd, "alloc IOAS D") {
                ids[1] = reused
            }
            run.step("destroy an ID never handed out") { () throws(IOMMUFDError) in try iommufd.destroy(IOASID(rawValue: 0x7fff_fff0)) }
            run.step("destroy ID 0") { () throws(IOMMUFDError) in try iommufd.destroy(IOASID(rawValue: 0)) }
            run.step("iova ranges of C", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: IOASID(rawValue: ids[2].rawValue)) }, rangesText)
            run.step("iova ranges of an unknown ID", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: IOASID(rawValue: 0x7fff_fff0)) }, rangesText)
            for (name, id) in zip(["A", "D", "C"], ids) {
                run.step("destroy \(name)") { () throws(IOMMUFDError) in try iommufd.destroy(id) }
            }
            alloc(run, iommufd, "alloc IOAS E")
        }
    }

    static let ioasCopyAndAllow = DifferentialScenario(
        name: "ioas-copy-and-allow", summary: "IOAS copy, partial unmap of copies, allowed IOVA ranges",
        requiredVFIODevices: 0, requiresMockDevices: false
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let a = alloc(run, iommufd, "alloc IOAS A"),
                  let b = alloc(run, iommufd, "alloc IOAS B")
            else { return }
            let memory = run.memory(0x8000)
            run.step("map A at 0x200000", { () throws(IOMMUFDError) in try iommufd.map(memory, into: a, at: .fixed(0x200000)) }) { [TranscriptValue("iova", hexText($0))] }
            run.step("copy the middle of A to B at 0x400000", { () throws(IOMMUFDError) in
                try iommufd.copy(from: a, iova: 0x202000, length: 0x4000, to: b, at: .fixed(0x400000))
            }) { [TranscriptValue("iova", hexText($0))] }
            run.step("copy from unmapped IOVA", { () throws(IOMMUFDError) in
                try iommufd.copy(from: a, iova: 0x900000, length: 0x1000, to: b)
            }) { [TranscriptValue("iova", hexText($0))] }
            run.step("copy beyond the end of A", { () throws(IOMMUFDError) in
                try iommufd.copy(from: a, iova: 0x206000, length: 0x4000, to: b)
            }) { [TranscriptValue("iova", hexText($0))] }
            run.step("copy to B, kernel-chosen IOVA", { () throws(IOMMUFDError) in
                try iommufd.copy(from: a, iova: 0x200000, length: 0x2000, to: b)
            }) { [TranscriptValue("iova", hexText($0))] }
            run.step("unmap part of the copy", { () throws(IOMMUFDError) in try iommufd.unmap(b, iova: 0x400000, length: 0x2000) }) { [TranscriptValue("length", hexText($0))] }
            run.step("allow an empty range", { () throws(IOMMUFDError) in try iommufd.allowIOVAs([IOVARange(start: 0x5000, last: 0x5000)], in: b) })
            run.step("allow overlapping ranges", { () throws(IOMMUFDError) in
                try iommufd.allowIOVAs([IOVARange(start: 0x100_0000, last: 0x1ff_ffff), IOVARange(start: 0x180_0000, last: 0x2ff_ffff)], in: b)
            })
            run.step("allow 0x1000000-0x1ffffff", { () throws(IOMMUFDError) in try iommufd.allowIOVAs([IOVARange(start: 0x100_0000, last: 0x1ff_ffff)], in: b) })
            run.step("map B, kernel-chosen IOVA in the allowed range", { () throws(IOMMUFDError) in try iommufd.map(memory, into: b) }) { [TranscriptValue("iova", hexText($0))] }
            run.step("iova ranges of B", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: b) }, rangesText)
            run.step("allow nothing (remove the restriction)", { () throws(IOMMUFDError) in try iommufd.allowIOVAs([], in: b) })
            run.step("unmap all of B", { () throws(IOMMUFDError) in try iommufd.unmapAll(b) }) { [TranscriptValue("length", hexText($0))] }
            run.step("destroy A") { () throws(IOMMUFDError) in try iommufd.destroy(a) }
            run.step("destroy B") { () throws(IOMMUFDError) in try iommufd.destroy(b) }
        }
    }

    static let rawSizeRules = DifferentialScenario(
        name: "raw-size-rules", summary: "structure size rules, unknown ioctls, reserved fields, wrong object kinds",
        requiredVFIODevices: 0, requiresMockDevices: false
    ) { run in
        withIOMMUFD(run) { iommufd in
            var small = iommu_ioas_alloc()
            small.size = 8
            rawIoctl(run, "IOAS_ALLOC size 8", iommufd, CIOMMUFD_IOMMU_IOAS_ALLOC, &small)
            var exact = iommu_ioas_alloc()
            exact.size = 12
            rawIoctl(run, "IOAS_ALLOC size 12", iommufd, CIOMMUFD_IOMMU_IOAS_ALLOC, &exact) { [TranscriptValue("ioas", run.label($0.out_ioas_id))] }
            var longer = (iommu_ioas_alloc(), UInt32(0))
            longer.0.size = 16
            rawIoctl(run, "IOAS_ALLOC size 16, zero tail", iommufd, CIOMMUFD_IOMMU_IOAS_ALLOC, &longer) { [TranscriptValue("ioas", run.label($0.0.out_ioas_id))] }
            longer.0.size = 16
            longer.1 = 1
            rawIoctl(run, "IOAS_ALLOC size 16, non-zero tail", iommufd, CIOMMUFD_IOMMU_IOAS_ALLOC, &longer)
            var flagged = iommu_ioas_alloc()
            flagged.size = 12
            flagged.flags = 1
            rawIoctl(run, "IOAS_ALLOC with flags", iommufd, CIOMMUFD_IOMMU_IOAS_ALLOC, &flagged)
            var unknown = iommu_destroy(size: 8, id: 0)
            rawIoctl(run, "unknown iommufd ioctl 0x95", iommufd, (0x3b << 8) | 0x95, &unknown)
            var info = iommu_hw_info()
            info.size = UInt32(MemoryLayout<iommu_hw_info>.size)
            info.dev_id = exact.out_ioas_id
            rawIoctl(run, "GET_HW_INFO of an IOAS ID", iommufd, CIOMMUFD_IOMMU_GET_HW_INFO, &info)
            info.flags = 2
            rawIoctl(run, "GET_HW_INFO with an undefined flag", iommufd, CIOMMUFD_IOMMU_GET_HW_INFO, &info)
            var ranges = iommu_ioas_iova_ranges()
            ranges.size = UInt32(MemoryLayout<iommu_ioas_iova_ranges>.size)
            ranges.ioas_id = exact.out_ioas_id
            rawIoctl(run, "IOVA_RANGES with no room", iommufd, CIOMMUFD_IOMMU_IOAS_IOVA_RANGES, &ranges)
            run.record("IOVA_RANGES wrote the count", [TranscriptValue("num_iovas", "\(ranges.num_iovas)"),
                                                        TranscriptValue("alignment", hexText(ranges.out_iova_alignment))])
            ranges.__reserved = 1
            rawIoctl(run, "IOVA_RANGES with a reserved field set", iommufd, CIOMMUFD_IOMMU_IOAS_IOVA_RANGES, &ranges)
            var hwpt = iommu_hwpt_alloc()
            hwpt.size = UInt32(MemoryLayout<iommu_hwpt_alloc>.size)
            hwpt.dev_id = 0x7fff_fff0
            hwpt.pt_id = exact.out_ioas_id
            rawIoctl(run, "HWPT_ALLOC for an unknown device", iommufd, CIOMMUFD_IOMMU_HWPT_ALLOC, &hwpt)
            hwpt.data_len = 8
            rawIoctl(run, "HWPT_ALLOC with data_len but no data_type", iommufd, CIOMMUFD_IOMMU_HWPT_ALLOC, &hwpt)
            var map = iommu_ioas_map()
            map.size = UInt32(MemoryLayout<iommu_ioas_map>.size)
            map.ioas_id = exact.out_ioas_id
            map.flags = 0x8 | 0x6
            map.length = 0x1000
            rawIoctl(run, "IOAS_MAP with an undefined flag", iommufd, CIOMMUFD_IOMMU_IOAS_MAP, &map)
            map.flags = 0x6
            map.length = .max
            rawIoctl(run, "IOAS_MAP of 2^64-1 bytes", iommufd, CIOMMUFD_IOMMU_IOAS_MAP, &map)
            var option = iommu_option()
            option.size = UInt32(MemoryLayout<iommu_option>.size)
            option.option_id = 99
            rawIoctl(run, "OPTION with an unknown option", iommufd, CIOMMUFD_IOMMU_OPTION, &option)
            var vfioIOAS = iommu_vfio_ioas()
            vfioIOAS.size = UInt32(MemoryLayout<iommu_vfio_ioas>.size)
            vfioIOAS.op = UInt16(IOMMU_VFIO_IOAS_GET.rawValue)
            rawIoctl(run, "VFIO_IOAS get before set", iommufd, CIOMMUFD_IOMMU_VFIO_IOAS, &vfioIOAS)
            vfioIOAS.op = UInt16(IOMMU_VFIO_IOAS_SET.rawValue)
            vfioIOAS.ioas_id = exact.out_ioas_id
            rawIoctl(run, "VFIO_IOAS set", iommufd, CIOMMUFD_IOMMU_VFIO_IOAS, &vfioIOAS)
            run.step("VFIO compatibility IOAS", { () throws(IOMMUFDError) in try iommufd.vfioCompatibilityIOAS() }) {
                [TranscriptValue("ioas", $0.map { run.label($0) } ?? "none")]
            }
            for id in [exact.out_ioas_id, longer.0.out_ioas_id] {
                var destroy = iommu_destroy(size: 8, id: id)
                rawIoctl(run, "destroy \(run.label(id))", iommufd, CIOMMUFD_IOMMU_DESTROY, &destroy)
            }
            vfioIOAS.op = UInt16(IOMMU_VFIO_IOAS_GET.rawValue)
            rawIoctl(run, "VFIO_IOAS get after destroy", iommufd, CIOMMUFD_IOMMU_VFIO_IOAS, &vfioIOAS)
        }
    }
}
