import IOMMUFD

extension DifferentialScenarios {
    static func dirtyWrite(
        _ run: ScenarioRun, _ iommufd: borrowing IOMMUFD, _ hwpt: HWPTID, _ base: UInt64, _ name: String, pages: [Int]
    ) {
        guard var bitmap = DirtyBitmap(iova: base, length: 0x10000, pageSize: 0x1000) else { return }
        for page in pages { bitmap.markDirty(page: page) }
        let descriptor = iommufd.descriptor
        run.step(name, { () throws(IOMMUFDError) in
            try KernelMockDevice.setDirty(hwpt: hwpt, iova: base, pageSize: 0x1000, bitmap: bitmap,
                                          iommufd: descriptor, backend: run.backend)
        }) { [TranscriptValue("dirty", "\($0)")] }
    }

    static func dirtyRead(
        _ run: ScenarioRun, _ iommufd: borrowing IOMMUFD, _ hwpt: HWPTID, _ base: UInt64, _ name: String,
        pageSize: UInt64 = 0x1000, clear: Bool
    ) {
        run.step(name, { () throws(IOMMUFDError) in
            try iommufd.dirtyBitmap(of: hwpt, iova: base, length: 0x10000, pageSize: pageSize, clear: clear)
        }) { [TranscriptValue("iovas", $0.dirtyIOVAs.map { hexText($0) }.joined(separator: ","))] }
    }

    static func pasidCheck(_ run: ScenarioRun, _ mock: borrowing KernelMockDevice, _ name: String, _ pasid: UInt32, _ hwpt: HWPTID?) {
        run.step(name, { () throws(IOMMUFDError) in try mock.isPASID(pasid, attachedTo: hwpt) }) { [TranscriptValue("matches", "\($0)")] }
    }

    static let mockBasics = DifferentialScenario(
        name: "mock-basics", summary: "the kernel mock device: info, aperture, 2 KiB alignment, object lifetime",
        requiredVFIODevices: 0, requiresMockDevices: true
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd) else { return }
            let memory = run.memory(0x4000)
            withMock(run, "mock device", in: iommufd, on: ioas) { mock in
                run.step("hardware info", { () throws(IOMMUFDError) in try iommufd.hardwareInfo(for: mock.deviceID) }, infoText)
                run.step("iova ranges", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: ioas) }, rangesText)
                run.step("map below the aperture", { () throws(IOMMUFDError) in try iommufd.map(memory, into: ioas, at: .fixed(0x10_0000)) }) { [TranscriptValue("iova", hexText($0))] }
                run.step("map, kernel-chosen IOVA", { () throws(IOMMUFDError) in try iommufd.map(memory, into: ioas) }) { [TranscriptValue("iova", hexText($0))] }
                run.step("map at a 2 KiB boundary", { () throws(IOMMUFDError) in
                    try iommufd.map(UnsafeRawBufferPointer(rebasing: memory[0..<0x800]), into: ioas, at: .fixed(0x200_0800))
                }) { [TranscriptValue("iova", hexText($0))] }
                run.step("destroy the device ID") { () throws(IOMMUFDError) in try iommufd.destroy(IOASID(rawValue: mock.deviceID.rawValue)) }
                run.step("destroy the HWPT") { () throws(IOMMUFDError) in try iommufd.destroy(mock.initialHWPT) }
                run.step("destroy the IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
                run.step("destroy the mock device") { () throws(IOMMUFDError) in try mock.detachPageTable() }
                run.step("destroy the HWPT afterwards") { () throws(IOMMUFDError) in try iommufd.destroy(mock.initialHWPT) }
                run.step("destroy the device ID afterwards") { () throws(IOMMUFDError) in
                    try iommufd.destroy(IOASID(rawValue: mock.deviceID.rawValue))
                }
            }
            run.step("iova ranges without the device", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: ioas) }, rangesText)
            run.step("unmap all") { () throws(IOMMUFDError) in _ = try iommufd.unmapAll(ioas) }
            run.step("destroy the IOAS at last") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }

    static let mockFlagsMatrix = DifferentialScenario(
        name: "mock-flags-matrix", summary: "the mock driver accepts every flag combination; replace and back",
        requiredVFIODevices: 0, requiresMockDevices: true
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd) else { return }
            withMock(run, "mock device", in: iommufd, on: ioas) { mock in
                for flags in flagCombinations {
                    guard let made = hwpt(run, "alloc \(flags)", { () throws(IOMMUFDError) in
                        try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: flags)
                    }) else { continue }
                    hwpt(run, "replace with \(flags)") { () throws(IOMMUFDError) in try mock.replace(with: made) }
                    hwpt(run, "replace with the IOAS") { () throws(IOMMUFDError) in try mock.replace(with: ioas) }
                    run.step("destroy \(flags)") { () throws(IOMMUFDError) in try iommufd.destroy(made) }
                }
            }
            run.step("destroy the IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }

    static let mockDirtyTracking = DifferentialScenario(
        name: "mock-dirty-tracking", summary: "dirty tracking: enable, device writes, read with and without clear",
        requiredVFIODevices: 0, requiresMockDevices: true
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd) else { return }
            run.step("set huge pages off") { () throws(IOMMUFDError) in try iommufd.setHugePages(false, of: ioas) }
            let memory = run.memory(0x10000)
            let base: UInt64 = 0x100_0000
            withMock(run, "mock device", in: iommufd, on: ioas) { mock in
                guard let dirty = hwpt(run, "alloc dirty-tracking HWPT", { () throws(IOMMUFDError) in
                    try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .dirtyTracking)
                }), let plain = hwpt(run, "alloc plain HWPT", { () throws(IOMMUFDError) in
                    try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas))
                }) else { return }
                hwpt(run, "replace with the dirty-tracking HWPT") { () throws(IOMMUFDError) in try mock.replace(with: dirty) }
                run.step("map 64 KiB", { () throws(IOMMUFDError) in try iommufd.map(memory, into: ioas, at: .fixed(base)) }) { [TranscriptValue("iova", hexText($0))] }
                dirtyWrite(run, iommufd, dirty, base, "device writes before tracking", pages: [0])
                run.step("start tracking") { () throws(IOMMUFDError) in try iommufd.setDirtyTracking(true, for: dirty) }
                dirtyRead(run, iommufd, dirty, base, "read a clean bitmap", clear: true)
                dirtyWrite(run, iommufd, dirty, base, "device writes pages 1 and 3", pages: [1, 3])
                dirtyRead(run, iommufd, dirty, base, "read without clearing", clear: false)
                dirtyRead(run, iommufd, dirty, base, "read and clear", clear: true)
                dirtyRead(run, iommufd, dirty, base, "read again", clear: true)
                dirtyWrite(run, iommufd, dirty, base, "device writes page 5", pages: [5])
                dirtyRead(run, iommufd, dirty, base, "read in 8 KiB pages", pageSize: 0x2000, clear: true)
                run.step("read an unaligned range", { () throws(IOMMUFDError) in
                    try iommufd.dirtyBitmap(of: dirty, iova: base + 0x800, length: 0x1000, pageSize: 0x800)
                }) { [TranscriptValue("iovas", $0.dirtyIOVAs.map { hexText($0) }.joined(separator: ","))] }
                run.step("stop tracking") { () throws(IOMMUFDError) in try iommufd.setDirtyTracking(false, for: dirty) }
                dirtyWrite(run, iommufd, dirty, base, "device writes after tracking stopped", pages: [2])
                run.step("track the plain HWPT") { () throws(IOMMUFDError) in try iommufd.setDirtyTracking(true, for: plain) }
                run.step("read the plain HWPT", { () throws(IOMMUFDError) in
                    try iommufd.dirtyBitmap(of: plain, iova: base, length: 0x10000, pageSize: 0x1000)
                }) { [TranscriptValue("iovas", $0.dirtyIOVAs.map { hexText($0) }.joined(separator: ","))] }
                hwpt(run, "replace with the IOAS") { () throws(IOMMUFDError) in try mock.replace(with: ioas) }
                run.step("destroy the dirty-tracking HWPT") { () throws(IOMMUFDError) in try iommufd.destroy(dirty) }
                run.step("destroy the plain HWPT") { () throws(IOMMUFDError) in try iommufd.destroy(plain) }
            }
            run.step("unmap all") { () throws(IOMMUFDError) in _ = try iommufd.unmapAll(ioas) }
            run.step("destroy the IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }

    static let mockPASID = DifferentialScenario(
        name: "mock-pasid", summary: "PASID attach, replace, check and detach on a mock device with 20 PASID bits",
        requiredVFIODevices: 0, requiresMockDevices: true
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd) else { return }
            withMock(run, "PASID mock device", in: iommufd, on: ioas, flags: .pasid) { mock in
                run.step("hardware info", { () throws(IOMMUFDError) in try iommufd.hardwareInfo(for: mock.deviceID) }, infoText)
                guard let capable = hwpt(run, "alloc PASID HWPT", { () throws(IOMMUFDError) in
                    try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .pasid)
                }), let plain = hwpt(run, "alloc plain HWPT", { () throws(IOMMUFDError) in
                    try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas))
                }) else { return }
                hwpt(run, "attach PASID 1 while the RID's HWPT is automatic") { () throws(IOMMUFDError) in try mock.attachPASID(1, toTarget: capable) }
                hwpt(run, "replace RID with PASID HWPT") { () throws(IOMMUFDError) in try mock.replace(with: capable) }
                hwpt(run, "attach PASID 1") { () throws(IOMMUFDError) in try mock.attachPASID(1, toTarget: capable) }
                pasidCheck(run, mock, "PASID 1 on the PASID HWPT", 1, capable)
                pasidCheck(run, mock, "PASID 1 on the plain HWPT", 1, plain)
                pasidCheck(run, mock, "PASID 2 detached", 2, nil)
                hwpt(run, "attach PASID 1 again") { () throws(IOMMUFDError) in try mock.attachPASID(1, toTarget: capable) }
                hwpt(run, "replace PASID 1 with plain") { () throws(IOMMUFDError) in try mock.replacePASID(1, with: plain) }
                hwpt(run, "replace PASID 2 (not attached)") { () throws(IOMMUFDError) in try mock.replacePASID(2, with: capable) }
                hwpt(run, "attach PASID 2^20") { () throws(IOMMUFDError) in try mock.attachPASID(1 << 20, toTarget: capable) }
                hwpt(run, "attach PASID 2^20-1") { () throws(IOMMUFDError) in try mock.attachPASID((1 << 20) - 1, toTarget: capable) }
                hwpt(run, "attach PASID 3 to the IOAS") { () throws(IOMMUFDError) in try mock.attachPASID(3, toTarget: ioas) }
                hwpt(run, "replace RID with plain while PASIDs are attached") { () throws(IOMMUFDError) in try mock.replace(with: plain) }
                run.step("detach PASID 1") { () throws(IOMMUFDError) in try mock.detachPASID(1) }
                run.step("detach PASID 2^20-1") { () throws(IOMMUFDError) in try mock.detachPASID((1 << 20) - 1) }
                run.step("detach PASID 4 (not attached)") { () throws(IOMMUFDError) in try mock.detachPASID(4) }
                pasidCheck(run, mock, "PASID 1 detached", 1, nil)
                hwpt(run, "replace RID with plain") { () throws(IOMMUFDError) in try mock.replace(with: plain) }
                run.step("destroy PASID HWPT") { () throws(IOMMUFDError) in try iommufd.destroy(capable) }
                run.step("destroy the mock device") { () throws(IOMMUFDError) in try mock.detachPageTable() }
                run.step("destroy plain HWPT") { () throws(IOMMUFDError) in try iommufd.destroy(plain) }
            }
            run.step("destroy the IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }

    static let mockNoDirty = DifferentialScenario(
        name: "mock-no-dirty", summary: "a device without dirty tracking shares plain domains but refuses dirty ones",
        requiredVFIODevices: 0, requiresMockDevices: true
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd) else { return }
            withMock(run, "mock device", in: iommufd, on: ioas) { capable in
                withMock(run, "no-dirty mock device", in: iommufd, on: ioas, flags: .noDirty) { limited in
                    run.step("hardware info of the no-dirty device", { () throws(IOMMUFDError) in
                        try iommufd.hardwareInfo(for: limited.deviceID)
                    }, infoText)
                    guard let dirty = hwpt(run, "alloc dirty HWPT for the capable device", { () throws(IOMMUFDError) in
                        try iommufd.allocateHWPT(for: capable.deviceID, on: .ioas(ioas), flags: .dirtyTracking)
                    }) else { return }
                    hwpt(run, "alloc dirty HWPT for the no-dirty device") { () throws(IOMMUFDError) in
                        try iommufd.allocateHWPT(for: limited.deviceID, on: .ioas(ioas), flags: .dirtyTracking)
                    }
                    hwpt(run, "replace the no-dirty device with the dirty HWPT") { () throws(IOMMUFDError) in try limited.replace(with: dirty) }
                    hwpt(run, "replace the capable device with the dirty HWPT") { () throws(IOMMUFDError) in try capable.replace(with: dirty) }
                    hwpt(run, "replace the no-dirty device with the IOAS") { () throws(IOMMUFDError) in try limited.replace(with: ioas) }
                    hwpt(run, "replace the capable device with the IOAS") { () throws(IOMMUFDError) in try capable.replace(with: ioas) }
                    run.step("destroy the dirty HWPT") { () throws(IOMMUFDError) in try iommufd.destroy(dirty) }
                }
            }
            run.step("destroy the IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }

    static let mixedMockAndVFIO = DifferentialScenario(
        name: "mixed-mock-and-vfio", summary: "domains of different IOMMU drivers are never shared or interchangeable",
        requiredVFIODevices: 1, requiresMockDevices: true,
        realKernelHazard: "Linux 7.2 oopses (NULL dereference in device_block_translation via "
            + "intel_iommu_attach_device) when IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE moves a mock device onto a VT-d "
            + "domain; found by this scenario in the project's VM"
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd) else { return }
            withDevice(run, 0) { device in
                guard bind(run, &device, iommufd, "device 0") != nil,
                      let vfioHWPT = hwpt(run, "attach device 0 to the IOAS", { () throws(IOMMUFDError) in try device.attach(to: ioas) })
                else { return }
                withMock(run, "mock device", in: iommufd, on: ioas) { mock in
                    run.step("iova ranges with both", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: ioas) }, rangesText)
                    hwpt(run, "replace the mock device with device 0's HWPT") { () throws(IOMMUFDError) in try mock.replace(with: vfioHWPT) }
                    hwpt(run, "attach device 0 to the mock's HWPT") { () throws(IOMMUFDError) in try device.attach(to: mock.initialHWPT) }
                    guard let mockDirty = hwpt(run, "alloc a dirty HWPT for the mock device", { () throws(IOMMUFDError) in
                        try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .dirtyTracking)
                    }) else { return }
                    hwpt(run, "attach device 0 to it") { () throws(IOMMUFDError) in try device.attach(to: mockDirty) }
                    run.step("destroy it") { () throws(IOMMUFDError) in try iommufd.destroy(mockDirty) }
                }
                run.step("iova ranges after the mock device", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: ioas) }, rangesText)
                run.step("detach device 0") { () throws(IOMMUFDError) in try device.detach() }
            }
            run.step("destroy the IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }
}
