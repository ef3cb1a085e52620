#if canImport(Glibc)
import Glibc
#endif
import CIOMMUFD
import IOMMUFD
import SystemPackage
import Testing

/// HWPT_ALLOC: flags, parents, nested data, the fault queue rule.
@Suite("HWPT_ALLOC through the seam")
struct HWPTAllocTests {
    let backend = ScriptedBackend { request, argument, _ in
        guard request == CIOMMUFD_IOMMU_HWPT_ALLOC else { return -ENOTTY }
        var command = load(argument, as: iommu_hwpt_alloc.self)
        command.out_hwpt_id = 42
        reply(argument, command)
        return 0
    }

    func open() throws -> IOMMUFD { try backend.openIOMMUFD() }

    static let flagCases: [(HWPTAllocFlags, UInt32)] = {
        let nest = UInt32(IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue)
        let dirty = UInt32(IOMMU_HWPT_ALLOC_DIRTY_TRACKING.rawValue)
        let pasid = UInt32(IOMMU_HWPT_ALLOC_PASID.rawValue)
        return [(.nestParent, nest), (.dirtyTracking, dirty), (.pasid, pasid), ([.nestParent, .pasid], nest | pasid), ([], 0)]
    }()

    @Test("flags map to the kernel's bits", arguments: flagCases)
    func flags(_ flags: HWPTAllocFlags, _ raw: UInt32) throws {
        let iommufd = try open()
        let hwpt = try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: 2), on: .ioas(IOASID(rawValue: 1)), flags: flags)
        #expect(hwpt == HWPTID(rawValue: 42))
        let sent = try #require(backend.calls.first).load(iommu_hwpt_alloc.self)
        #expect(sent.size == 48 && sent.flags == raw && sent.dev_id == 2 && sent.pt_id == 1)
        #expect(sent.__reserved == 0 && sent.__reserved2 == 0 && sent.out_hwpt_id == 0)
        #expect(sent.data_type == UInt32(IOMMU_HWPT_DATA_NONE.rawValue) && sent.data_len == 0 && sent.data_uptr == 0)
        #expect(sent.fault_id == 0)
    }

    @Test("a fault queue sets faultIDValid and fault_id itself")
    func faultQueue() throws {
        let iommufd = try open()
        _ = try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: 2), on: .nestingParent(HWPTID(rawValue: 5)),
                                     faultQueue: FaultQueueID(rawValue: 9))
        let sent = try #require(backend.calls.first).load(iommu_hwpt_alloc.self)
        #expect(sent.flags == UInt32(IOMMU_HWPT_FAULT_ID_VALID.rawValue) && sent.fault_id == 9 && sent.pt_id == 5)
    }

    @Test("faultIDValid without a fault queue is refused before the ioctl")
    func faultFlagWithoutQueue() throws {
        let iommufd = try open()
        let error = #expect(throws: IOMMUFDError.self) {
            try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: 2), on: .ioas(IOASID(rawValue: 1)), flags: .faultIDValid)
        }
        #expect(error?.code == .invalidArgument && error?.operation == .hwptAlloc)
        #expect(backend.calls.isEmpty)
    }

    @Test("every flag bit: a named one reaches the kernel, any other is refused before the ioctl",
          arguments: 0..<32)
    func eachFlagBit(_ bit: Int) throws {
        let iommufd = try open()
        let flags = HWPTAllocFlags(rawValue: 1 << bit)
        let named = HWPTAllocFlags.namedFlags.contains { $0.flag == flags }
        // faultIDValid is named but needs its fault queue.
        let queue = flags == .faultIDValid ? FaultQueueID(rawValue: 9) : nil
        let result = Result { () throws(IOMMUFDError) in
            try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: 2), on: .ioas(IOASID(rawValue: 1)), flags: flags,
                                     faultQueue: queue)
        }
        switch result {
        case .success:
            #expect(named, "bit \(bit) is not a named flag but was sent")
            #expect(try #require(backend.calls.first).load(iommu_hwpt_alloc.self).flags == flags.rawValue)
        case .failure(let error):
            #expect(!named && error.code == .invalidArgument, "bit \(bit): \(error)")
            #expect(error.hint.contains("not defined by the Linux 7.2 UAPI"))
            #expect(backend.calls.isEmpty)
        }
    }

    @Test("flag bits the pinned UAPI does not define are refused before the ioctl")
    func undefinedFlags() throws {
        let iommufd = try open()
        let error = #expect(throws: IOMMUFDError.self) {
            try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: 2), on: .ioas(IOASID(rawValue: 1)),
                                     flags: HWPTAllocFlags(rawValue: 1 << 9))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.hint.contains("not defined by the Linux 7.2 UAPI") == true)
        #expect(backend.calls.isEmpty)
    }

    @Test func intelVTdStage1Data() throws {
        let iommufd = try open()
        backend.respond { _, argument, _ in
            let command = load(argument, as: iommu_hwpt_alloc.self)
            let data = UnsafeRawPointer(bitPattern: UInt(command.data_uptr))!.loadUnaligned(as: iommu_hwpt_vtd_s1.self)
            #expect(command.data_len == 24)
            #expect(data.flags == UInt64(IOMMU_VTD_S1_SRE.rawValue | IOMMU_VTD_S1_WPE.rawValue))
            #expect(data.pgtbl_addr == 0x1234_5000 && data.addr_width == 48 && data.__reserved == 0)
            return 0
        }
        _ = try iommufd.allocateHWPT(
            for: BoundDeviceID(rawValue: 2), on: .nestingParent(HWPTID(rawValue: 5)),
            data: .intelVTdStage1(IntelVTdStage1(flags: [.supervisorRequests, .writeProtect],
                                                 pageTableAddress: 0x1234_5000, addressWidth: 48)))
        let sent = try #require(backend.calls.first).load(iommu_hwpt_alloc.self)
        #expect(sent.data_type == UInt32(IOMMU_HWPT_DATA_VTD_S1.rawValue))
    }

    @Test func armSMMUv3AndAMDData() throws {
        let iommufd = try open()
        backend.respond { _, argument, _ in
            let command = load(argument, as: iommu_hwpt_alloc.self)
            let raw = UnsafeRawPointer(bitPattern: UInt(command.data_uptr))!
            if command.data_type == UInt32(IOMMU_HWPT_DATA_ARM_SMMUV3.rawValue) {
                #expect(command.data_len == 16)
                let ste = raw.loadUnaligned(as: iommu_hwpt_arm_smmuv3.self)
                #expect(UInt64(littleEndian: ste.ste.0) == 0xa && UInt64(littleEndian: ste.ste.1) == 0xb)
            } else {
                #expect(command.data_type == UInt32(IOMMU_HWPT_DATA_AMD_GUEST.rawValue) && command.data_len == 32)
                let dte = raw.loadUnaligned(as: iommu_hwpt_amd_guest.self)
                #expect(dte.dte.0 == 1 && dte.dte.3 == 4)
            }
            return 0
        }
        _ = try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: 2), on: .viommu(VIOMMUID(rawValue: 8)),
                                     data: .armSMMUv3(ARMSMMUv3StreamTableEntry(word0: 0xa, word1: 0xb)))
        _ = try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: 2), on: .viommu(VIOMMUID(rawValue: 8)),
                                     data: .amdGuest(AMDGuestDeviceTableEntry(word0: 1, word1: 2, word2: 3, word3: 4)))
        #expect(backend.calls.count == 2)
        #expect(backend.calls.allSatisfy { $0.load(iommu_hwpt_alloc.self).pt_id == 8 })
    }

    @Test func dirtyTrackingCalls() throws {
        let iommufd = try open()
        backend.respond { request, argument, _ in
            if request == CIOMMUFD_IOMMU_HWPT_GET_DIRTY_BITMAP {
                let command = load(argument, as: iommu_hwpt_get_dirty_bitmap.self)
                let words = UnsafeMutablePointer<UInt64>(bitPattern: UInt(command.data))!
                words[0] |= 0b1010
                words[1] |= 1
            }
            return 0
        }
        try iommufd.setDirtyTracking(true, for: HWPTID(rawValue: 4))
        try iommufd.setDirtyTracking(false, for: HWPTID(rawValue: 4))
        let bitmap = try iommufd.dirtyBitmap(of: HWPTID(rawValue: 4), iova: 0x10_0000, length: 128 * 4096,
                                             pageSize: 4096, clear: false)
        let base: UInt64 = 0x10_0000
        let expected: [UInt64] = [base + 4096, base + 3 * 4096, base + 64 * 4096]
        #expect(bitmap.dirtyIOVAs == expected)
        #expect(bitmap.dirtyPageCount == 3)
        let calls = backend.calls
        let on = calls[0].load(iommu_hwpt_set_dirty_tracking.self)
        let off = calls[1].load(iommu_hwpt_set_dirty_tracking.self)
        #expect(on.size == 16 && on.flags == UInt32(IOMMU_HWPT_DIRTY_TRACKING_ENABLE.rawValue) && on.hwpt_id == 4)
        #expect(off.flags == 0 && off.__reserved == 0)
        let read = calls[2].load(iommu_hwpt_get_dirty_bitmap.self)
        #expect(read.size == 48 && read.hwpt_id == 4 && read.iova == 0x10_0000 && read.length == 128 * 4096)
        #expect(read.page_size == 4096 && read.flags == UInt32(IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR.rawValue))
        #expect(read.data != 0 && read.data % 8 == 0 && read.__reserved == 0)
    }

    @Test("a malformed bitmap geometry is refused before the ioctl")
    func badBitmap() throws {
        let iommufd = try open()
        #expect(throws: IOMMUFDError.self) {
            try iommufd.dirtyBitmap(of: HWPTID(rawValue: 4), iova: 0x800, length: 4096, pageSize: 4096)
        }
        #expect(throws: IOMMUFDError.self) {
            try iommufd.dirtyBitmap(of: HWPTID(rawValue: 4), iova: 0, length: 4096, pageSize: 3000)
        }
        #expect(backend.calls.isEmpty)
    }
}
