import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

extension HardwareTests {
    /// The autodomain policy end to end on a real kernel: two VFIO devices, and
    /// the kernel's mock device for what emulated IOMMUs cannot do.
    @Suite("autodomain policy", .serialized, .requiresIOMMUFD)
    struct HardwarePolicyTests {
        /// The named device and the second one, bound to a new iommufd, and
        /// an IOAS on it: the setup of the two-device policy tests.
        struct BoundPair: ~Copyable {
            let first: VFIODevice
            let second: VFIODevice
            let iommufd: IOMMUFD
            let ioas: IOASID

            init() throws {
                let iommufd = try IOMMUFD()
                let ioas = try iommufd.allocateIOAS()
                var first = try VFIODevice(opening: HardwareEnvironment.device!)
                var second = try VFIODevice(opening: HardwareEnvironment.secondDevice!)
                try first.bind(to: iommufd)
                try second.bind(to: iommufd)
                self.ioas = ioas
                self.first = first
                self.second = second
                self.iommufd = iommufd
            }

            /// Expects `hwpt` destroyed by the policy, then destroys the IOAS.
            func expectTornDown(_ hwpt: HWPTID) throws {
                let gone = #expect(throws: IOMMUFDError.self) { try iommufd.destroy(hwpt) }
                #expect(gone?.code == .noSuchObject)
                try iommufd.destroy(ioas)
            }
        }

        @Test("two devices behind one IOMMU: the second reuses the first's HWPT; the last out destroys it",
              .requiresDevice, .requiresSecondDevice)
        func twoDevicesReuse() throws {
            let pair = try BoundPair()
            let container = AutodomainContainer(ioas: pair.ioas, iommufd: pair.iommufd)

            let a = try container.attach(pair.first, iommufd: pair.iommufd, wants: [])
            guard case .allocated(let hwpt) = a.outcome else { Issue.record("expected an allocation: \(a)"); return }
            #expect(a.hardwareInfo != nil && a.ioctlCount == 3)
            let b = try container.attach(pair.second, iommufd: pair.iommufd, wants: [])
            #expect(b.outcome == .reused(hwpt) && b.ioctlCount == 1 && b.rejections.isEmpty)
            #expect(container.snapshot.hwpts.count == 1 && container.snapshot.hwpts[0].devices.count == 2)

            // DMA mappings through the shared HWPT.
            let memory = AlignedMemory(bytes: 2 << 20)
            let iova = try pair.iommufd.map(memory.readOnly, into: pair.ioas)
            try pair.iommufd.unmap(pair.ioas, iova: iova, length: 2 << 20)

            let out1 = container.detach(pair.first, iommufd: pair.iommufd)
            #expect(out1.leftHWPT == hwpt && !out1.destroyedHWPT && out1.loggedFailures.isEmpty)
            let out2 = container.detach(pair.second, iommufd: pair.iommufd)
            #expect(out2.destroyedHWPT && out2.loggedFailures.isEmpty)
            try pair.expectTornDown(hwpt)
        }

        @Test("the owned policy value on the real kernel: the same reuse and teardown, no lock",
              .requiresDevice, .requiresSecondDevice)
        func ownedPolicyReuse() throws {
            let pair = try BoundPair()
            var policy = AutodomainPolicy(ioas: pair.ioas, iommufd: pair.iommufd)

            let a = try policy.attach(pair.first, iommufd: pair.iommufd, wants: [])
            guard case .allocated(let hwpt) = a.outcome else { Issue.record("expected an allocation: \(a)"); return }
            let b = try policy.attach(pair.second, iommufd: pair.iommufd, wants: [])
            #expect(b.outcome == .reused(hwpt) && b.ioctlCount == 1)
            #expect(policy.snapshot.hwpts.map(\.id) == [hwpt] && policy.snapshot.hwpts[0].devices.count == 2)
            #expect(!policy.detach(pair.second, iommufd: pair.iommufd).destroyedHWPT)
            // Attached again after leaving: the same HWPT, on the first try.
            #expect(try policy.attach(pair.second, iommufd: pair.iommufd, wants: []).outcome == .reused(hwpt))
            #expect(!policy.detach(pair.first, iommufd: pair.iommufd).destroyedHWPT)
            #expect(policy.detach(pair.second, iommufd: pair.iommufd).destroyedHWPT)
            try pair.expectTornDown(hwpt)
        }

        @Test("a vIOMMU that wants a nesting parent: the flags the policy computes, and the kernel's answer",
              .requiresDevice)
        func nestingParentOnRealIOMMU() throws {
            let iommufd = try IOMMUFD()
            let ioas = try iommufd.allocateIOAS()
            var device = try VFIODevice(opening: HardwareEnvironment.device!)
            let id = try device.bind(to: iommufd)
            let info = try iommufd.hardwareInfo(for: id)
            let container = AutodomainContainer(ioas: ioas, iommufd: iommufd)
            let wants = VIOMMUProfile.intelVTdWithPASID.wants
            let (flags, _) = AutodomainRules.allocationFlags(for: info, wants: wants)
            let result = Result { () throws(IOMMUFDError) in try container.attach(device, iommufd: iommufd, wants: wants) }
            if RealDeviceTests.predictedAllocation(flags, info) == nil {
                let decision = try result.get()
                #expect(decision.flags == flags)
                container.detach(device, iommufd: iommufd)
            } else {
                // Emulated IOMMUs have no nesting: rule 7, nothing left behind.
                #expect(throws: IOMMUFDError.self) { try result.get() }
                #expect(container.snapshot.hwpts.isEmpty)
            }
            try iommufd.destroy(ioas)
        }

        @Test("the PASID rule on a mock device of PASID width 20: RID HWPT with ALLOC_PASID, then a PASID attach",
              .requiresMockDevice)
        func pasidRuleOnMock() throws {
            let iommufd = try IOMMUFD()
            let ioas = try iommufd.allocateIOAS()
            let device = try KernelMockDevice(in: iommufd, attachingTo: ioas, flags: .pasid)
            let container = AutodomainContainer(ioas: ioas, iommufd: iommufd)
            let decision = try container.attach(device, iommufd: iommufd, wants: VIOMMUProfile.intelVTdWithPASID.wants)
            #expect(decision.hardwareInfo?.maxPASIDLog2 == 20)
            #expect(decision.flags == [.dirtyTracking, .nestParent, .pasid])
            #expect(decision.reasons.contains("pasid: device PASID width 20, vIOMMU wants PASID attach"))
            let rid = try #require(decision.outcome.hwpt)

            let pasidHWPT = try iommufd.allocateHWPT(for: device.deviceID, on: .ioas(ioas), flags: .pasid)
            try container.attachPASID(5, of: device, to: pasidHWPT)
            #expect(try device.isPASID(5, attachedTo: pasidHWPT))
            try container.detachPASID(5, of: device)
            container.detach(device, iommufd: iommufd)
            try iommufd.destroy(pasidHWPT)
            #expect(throws: IOMMUFDError.self) { try iommufd.destroy(rid) }
            try iommufd.destroy(ioas)
        }

        @Test("without the flag the kernel refuses the PASID attach", .requiresMockDevice)
        func pasidRefusedWithoutFlag() throws {
            let iommufd = try IOMMUFD()
            let ioas = try iommufd.allocateIOAS()
            let device = try KernelMockDevice(in: iommufd, attachingTo: ioas, flags: .pasid)
            // A RID page table without IOMMU_HWPT_ALLOC_PASID (what QEMU did before the PASID series).
            let rid = try iommufd.allocateHWPT(for: device.deviceID, on: .ioas(ioas), flags: [])
            _ = try device.replace(with: rid)
            let pasidHWPT = try iommufd.allocateHWPT(for: device.deviceID, on: .ioas(ioas), flags: .pasid)
            let refused = #expect(throws: IOMMUFDError.self) { try device.attachPASID(5, to: pasidHWPT) }
            #expect(refused?.errno == .invalidArgument)
            // The policy refuses it before the kernel, with the reason.
            let container = AutodomainContainer(ioas: ioas, iommufd: iommufd)
            let other = try KernelMockDevice(in: iommufd, attachingTo: ioas, flags: .pasid)
            try container.attach(other, iommufd: iommufd, wants: [])
            let early = #expect(throws: IOMMUFDError.self) { try container.attachPASID(5, of: other, to: pasidHWPT) }
            #expect(early?.operation == .autodomainPASIDAttach && early?.code == .incompatibleDomain)
            container.detach(other, iommufd: iommufd)
            try device.destroy()
            try iommufd.destroy(pasidHWPT)
            try iommufd.destroy(rid)
            try iommufd.destroy(ioas)
        }

        @Test("nesting parent, dirty tracking and a real dirty bitmap on the mock device", .requiresMockDevice)
        func dirtyTrackingOnMock() throws {
            let iommufd = try IOMMUFD()
            let ioas = try iommufd.allocateIOAS()
            try iommufd.setHugePages(false, of: ioas)
            let device = try KernelMockDevice(in: iommufd, attachingTo: ioas)
            let container = AutodomainContainer(ioas: ioas, iommufd: iommufd)
            let decision = try container.attach(device, iommufd: iommufd, wants: .nestingParent)
            #expect(decision.flags == [.dirtyTracking, .nestParent])
            let hwpt = try #require(decision.outcome.hwpt)

            let memory = AlignedMemory(bytes: 1 << 20)
            let iova = try iommufd.map(memory.readOnly, into: ioas)
            try container.setDirtyTracking(true, iommufd: iommufd)
            // The mock device "writes" pages 1 and 5.
            var writes = try #require(DirtyBitmap(iova: iova, length: 1 << 20, pageSize: 4096))
            writes.markDirty(page: 1)
            writes.markDirty(page: 5)
            try KernelMockDevice.setDirty(hwpt: hwpt, iova: iova, pageSize: 4096, bitmap: writes,
                                          iommufd: iommufd.descriptor)
            var seen = try #require(DirtyBitmap(iova: iova, length: 1 << 20, pageSize: 4096))
            try container.readDirtyBitmap(into: &seen, iommufd: iommufd, clear: false)
            #expect(seen.dirtyIOVAs == [iova + 4096, iova + 5 * 4096])
            // Read and clear, then read again: clean.
            seen.clear()
            try container.readDirtyBitmap(into: &seen, iommufd: iommufd)
            #expect(seen.dirtyPageCount == 2)
            seen.clear()
            try container.readDirtyBitmap(into: &seen, iommufd: iommufd)
            #expect(seen.dirtyPageCount == 0)
            try container.setDirtyTracking(false, iommufd: iommufd)
            try iommufd.unmapAll(ioas)
            container.detach(device, iommufd: iommufd)
            try iommufd.destroy(ioas)
        }

        @Test("a device that cannot track dirty pages gets its own HWPT next to a dirty one", .requiresMockDevice)
        func mixedDirtyCapability() throws {
            let iommufd = try IOMMUFD()
            let ioas = try iommufd.allocateIOAS()
            let dirty = try KernelMockDevice(in: iommufd, attachingTo: ioas)
            let clean = try KernelMockDevice(in: iommufd, attachingTo: ioas, flags: .noDirty)
            let container = AutodomainContainer(ioas: ioas, iommufd: iommufd)
            let a = try container.attach(dirty, iommufd: iommufd, wants: [])
            let b = try container.attach(clean, iommufd: iommufd, wants: [])
            #expect(a.dirtyTracking && !b.dirtyTracking)
            #expect(b.rejections.map(\.hwpt) == [a.outcome.hwpt!])
            #expect(b.rejections.first?.error.errno == .invalidArgument)
            #expect(container.snapshot.dirtyPagesSupported && container.snapshot.hwpts.count == 2)
            container.detach(clean, iommufd: iommufd)
            container.detach(dirty, iommufd: iommufd)
            #expect(container.snapshot.hwpts.isEmpty)
            try iommufd.destroy(ioas)
        }
    }
}
