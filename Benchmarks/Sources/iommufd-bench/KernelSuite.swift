import CBaseline
import IOMMUFD
import IOMMUFDTesting
import struct SystemPackage.FileDescriptor

#if canImport(Glibc)
import Glibc
#endif

/// The operations on a real kernel: /dev/iommu, two VFIO cdev devices
/// (the test VM's QEMU edu devices behind an emulated Intel VT-d) and, when
/// the kernel has CONFIG_IOMMUFD_TEST, its mock devices.
enum KernelSuite {
    /// Where mappings go: inside VT-d's 48-bit aperture and the mock
    /// aperture (0x1000000-0x7fffffff), away from the MSI window.
    static let iova: UInt64 = 0x1000_0000

    static func available() -> String? {
        if access("/dev/iommu", F_OK) != 0 { return "no /dev/iommu" }
        for node in ["/dev/vfio/devices/vfio0", "/dev/vfio/devices/vfio1"] where access(node, F_OK) != 0 {
            return "no \(node) (the VM binds its two edu devices to vfio-pci)"
        }
        return nil
    }

    static func run(settings: Settings, log: (String) -> Void) throws -> (comparisons: [Comparison], notes: [String]) {
        var results: [Comparison] = []
        var notes: [String] = []
        let iommufd = try IOMMUFD()
        let fd = iommufd.descriptor.rawValue
        let ioas = try iommufd.allocateIOAS()
        var device0 = try VFIODevice(opening: "vfio0")
        let id0 = try device0.bind(to: iommufd)
        var device1 = try VFIODevice(opening: "vfio1")
        let id1 = try device1.bind(to: iommufd)
        let fd1 = device1.descriptor.rawValue

        // The policy gives the IOAS its domain: vfio0 allocates HWPT A, so
        // every map below goes into a real VT-d page table.
        let container = AutodomainContainer(ioas: ioas, iommufd: iommufd, logger: quietLogger())
        let first = try container.attach(device0, iommufd: iommufd, wants: [])
        guard case .allocated(let hwpt) = first.outcome else { throw BenchError("vfio0: unexpected \(first)") }
        notes.append("vfio0 (\(device0.displayName)) attached by the policy: \(first.description)")

        let memory = UnsafeMutableRawPointer.allocate(byteCount: 2 << 20, alignment: 2 << 20)
        defer { memory.deallocate() }
        memset(memory, 0x5a, 2 << 20)   // fault the pages in once
        let iova = Self.iova

        for (label, length) in [("4k", 4096), ("2m", 2 << 20)] {
            log("kernel: map+unmap \(label)")
            let buffer = UnsafeRawBufferPointer(start: memory, count: length)
            results.append(try compare(
                "map_unmap_\(label)", group: "kernel",
                summary: "IOAS_MAP + IOAS_UNMAP of \(label == "4k" ? "4 KiB" : "2 MiB") on the IOAS of a VT-d HWPT",
                ioctls: 2, settings: settings,
                swift: { n in
                    for _ in 0..<n {
                        let mapped = try iommufd.map(buffer, into: ioas, at: .fixed(iova))
                        try iommufd.unmap(ioas, iova: mapped, length: UInt64(length))
                    }
                },
                c: { n in cb_map_unmap(fd, ioas.rawValue, memory, UInt64(length), iova, n) }))
        }

        log("kernel: GET_HW_INFO")
        var sink: UInt64 = 0
        results.append(try compare(
            "get_hw_info", group: "kernel", summary: "GET_HW_INFO of vfio0 (Intel VT-d registers decoded)",
            ioctls: 1, settings: settings,
            swift: { n in
                var acc: UInt64 = 0
                for _ in 0..<n {
                    let info = try iommufd.hardwareInfo(for: id0)
                    if case .intelVTd(let vtd) = info.vendorData { acc &+= vtd.capReg ^ vtd.ecapReg }
                    acc &+= info.capabilities.rawValue
                }
                blackHole(acc)
            },
            c: { n in cb_get_hw_info(fd, id0.rawValue, n, &sink) }))

        log("kernel: HWPT_ALLOC + DESTROY")
        results.append(try compare(
            "hwpt_alloc_destroy", group: "kernel", summary: "HWPT_ALLOC (VT-d paging domain) + DESTROY for vfio1",
            ioctls: 2, settings: settings,
            swift: { n in
                for _ in 0..<n {
                    let h = try iommufd.allocateHWPT(for: id1, on: .ioas(ioas))
                    try iommufd.destroy(h)
                }
            },
            c: { n in cb_hwpt_alloc_destroy(fd, id1.rawValue, ioas.rawValue, 0, n) }))

        log("kernel: attach + detach")
        results.append(try compare(
            "attach_detach", group: "kernel", summary: "VFIO_DEVICE_ATTACH_IOMMUFD_PT + DETACH of vfio1 to HWPT A",
            ioctls: 2, settings: settings,
            swift: { n in
                for _ in 0..<n {
                    try device1.attach(to: hwpt)
                    try device1.detach()
                }
            },
            c: { n in cb_attach_detach(fd1, hwpt.rawValue, n) }))

        // The policy borrows the device: from here on it is a constant, as a
        // bound device a caller hands to the policy is. (Borrowed from a `var`
        // that the measuring closures capture, Swift copies the 106-byte
        // VFIODevice to the stack before every call; C passes a pointer.)
        let policyDevice = device1
        log("kernel: policy attach (reuse) + detach")
        var qemu = QEMUReuseLoop(iommufd: fd, ioas: ioas, hwpt: hwpt, hwptFlags: first.flags.rawValue,
                                 deviceFD: fd1, deviceID: id1)
        for row in QEMUReuseLoop.containerComparisons {
            results.append(try compare(
                row.name, group: "kernel", summary: "AutodomainContainer attach of vfio1 reusing HWPT A + detach; C: \(row.baseline)",
                ioctls: 2, allocationTarget: false, ratioTarget: row.ratioTarget, settings: settings,
                swift: { n in
                    for _ in 0..<n {
                        let decision = try container.attach(policyDevice, iommufd: iommufd, wants: [])
                        guard case .reused = decision.outcome else { throw BenchError("policy did not reuse: \(decision)") }
                        container.detach(policyDevice, iommufd: iommufd)
                    }
                },
                c: { n in qemu.run(n, under: row.lock) }))
        }

        container.detach(device0, iommufd: iommufd)

        // The same with the policy owned by its caller (no lock), as QEMU's
        // runs under its big lock: vfio0 allocates HWPT A' for it.
        log("kernel: owned policy attach (reuse) + detach")
        var policy = AutodomainPolicy(ioas: ioas, iommufd: iommufd, logger: quietLogger())
        let owned = try policy.attach(device0, iommufd: iommufd, wants: [])
        guard case .allocated(let ownedHWPT) = owned.outcome else { throw BenchError("vfio0: unexpected \(owned)") }
        var qemuOwned = QEMUReuseLoop(iommufd: fd, ioas: ioas, hwpt: ownedHWPT, hwptFlags: owned.flags.rawValue,
                                      deviceFD: fd1, deviceID: id1)
        results.append(try compare(
            "policy_value_attach_reuse", group: "kernel",
            summary: "AutodomainPolicy (owned, no lock) attach of vfio1 reusing HWPT A' + detach; C: QEMU's autodomains_get + detach",
            ioctls: 2, allocationTarget: false, settings: settings,
            swift: { n in
                for _ in 0..<n {
                    let decision = try policy.attach(policyDevice, iommufd: iommufd, wants: [])
                    guard case .reused = decision.outcome else { throw BenchError("policy did not reuse: \(decision)") }
                    policy.detach(policyDevice, iommufd: iommufd)
                }
            },
            c: { n in qemuOwned.run(n) }))
        policy.detach(device0, iommufd: iommufd)

        // The kernel's mock device (CONFIG_IOMMUFD_TEST).
        do {
            let mockIOAS = try iommufd.allocateIOAS()
            let mock = try KernelMockDevice(in: iommufd, attachingTo: mockIOAS)
            let mockID = mock.deviceID
            let spareA = try iommufd.allocateHWPT(for: mockID, on: .ioas(mockIOAS))
            let spareB = try iommufd.allocateHWPT(for: mockID, on: .ioas(mockIOAS))
            log("kernel: mock HWPT_ALLOC + DESTROY")
            results.append(try compare(
                "mock_hwpt_alloc_destroy", group: "kernel-mock",
                summary: "HWPT_ALLOC + DESTROY for a mock device (mock IOMMU domain: little kernel work)",
                ioctls: 2, settings: settings,
                swift: { n in
                    for _ in 0..<n {
                        let h = try iommufd.allocateHWPT(for: mockID, on: .ioas(mockIOAS))
                        try iommufd.destroy(h)
                    }
                },
                c: { n in cb_hwpt_alloc_destroy(fd, mockID.rawValue, mockIOAS.rawValue, 0, n) }))

            log("kernel: mock map+unmap 4k")
            let buffer = UnsafeRawBufferPointer(start: memory, count: 4096)
            results.append(try compare(
                "mock_map_unmap_4k", group: "kernel-mock",
                summary: "IOAS_MAP + IOAS_UNMAP of 4 KiB on the IOAS of a mock domain",
                ioctls: 2, settings: settings,
                swift: { n in
                    for _ in 0..<n {
                        let mapped = try iommufd.map(buffer, into: mockIOAS, at: .fixed(iova))
                        try iommufd.unmap(mockIOAS, iova: mapped, length: 4096)
                    }
                },
                c: { n in cb_map_unmap(fd, mockIOAS.rawValue, memory, 4096, iova, n) }))

            log("kernel: mock replace")
            let stdev = mock.stdevID
            results.append(try compare(
                "mock_replace", group: "kernel-mock",
                summary: "IOMMU_TEST_CMD(MOCK_DOMAIN_REPLACE) ×2 (HWPT B, then C), via IOMMUFDTesting (test helper)",
                ioctls: 2, allocationTarget: false, ratioTarget: false, settings: settings,
                swift: { n in
                    for _ in 0..<n {
                        try mock.replace(with: spareA)
                        try mock.replace(with: spareB)
                    }
                },
                c: { n in cb_mock_replace_pair(fd, stdev, spareA.rawValue, spareB.rawValue, n) }))
        } catch let error as IOMMUFDError where error.code == .unsupportedByKernel {
            notes.append("mock-device rows skipped: the kernel has no CONFIG_IOMMUFD_TEST")
        }
        blackHole(sink)
        return (results, notes)
    }
}
