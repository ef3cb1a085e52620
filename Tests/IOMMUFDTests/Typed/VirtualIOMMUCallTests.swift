#if canImport(Glibc)
import Glibc
#endif
import CIOMMUFD
import IOMMUFD
import SystemPackage
import Testing

/// The remaining iommufd calls — fault queues, vIOMMU objects, invalidation,
/// VFIO compatibility, process change — and VFIO region reads: the request,
/// the structure the kernel reads and how the reply is read back.
@Suite("fault queue, vIOMMU and other calls through the seam")
struct VirtualIOMMUCallTests {
    let backend = ScriptedBackend()

    func open() throws -> IOMMUFD { try backend.openIOMMUFD() }

    @Test func faultQueueOwnsItsDescriptor() throws {
        backend.respond { request, argument, _ in
            #expect(request == CIOMMUFD_IOMMU_FAULT_QUEUE_ALLOC)
            var command = load(argument, as: iommu_fault_alloc.self)
            command.out_fault_id = 5
            command.out_fault_fd = 321
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        let queue = try iommufd.allocateFaultQueue()
        #expect(queue.id == FaultQueueID(rawValue: 5) && queue.events.descriptor.rawValue == 321)
        let sent = try #require(backend.calls.first).load(iommu_fault_alloc.self)
        #expect(sent.size == 16 && sent.flags == 0)
        backend.respond { _, _, _ in 0 }
        try queue.destroy(in: iommufd)
        // The descriptor is closed before the object is destroyed, as the kernel requires.
        #expect(backend.closes == [321])
        #expect(backend.calls.last?.request == CIOMMUFD_IOMMU_DESTROY)
        #expect(backend.calls.last?.load(iommu_destroy.self).id == 5)
    }

    @Test func pageFaultRecordsDecodeAndResponsesEncode() throws {
        var raw = iommu_hwpt_pgfault()
        raw.flags = UInt32(IOMMU_PGFAULT_FLAGS_PASID_VALID.rawValue | IOMMU_PGFAULT_FLAGS_LAST_PAGE.rawValue)
        raw.dev_id = 3
        raw.pasid = 9
        raw.grpid = 2
        raw.perm = UInt32(IOMMU_PGFAULT_PERM_READ.rawValue | IOMMU_PGFAULT_PERM_WRITE.rawValue)
        raw.addr = 0xdead_b000
        raw.length = 4096
        raw.cookie = 77
        let fault = try #require(withUnsafeBytes(of: &raw) { PageFault(bytes: $0) })
        #expect(fault.flags == [.pasidValid, .lastPage] && fault.device == BoundDeviceID(rawValue: 3))
        #expect(fault.pasid == 9 && fault.groupIndex == 2 && fault.permissions == [.read, .write])
        #expect(fault.address == 0xdead_b000 && fault.length == 4096 && fault.cookie == 77)
        #expect(PageFault.byteCount == 40)
        #expect([UInt8](repeating: 0, count: 39).withUnsafeBytes { PageFault(bytes: $0) } == nil)
        let response = PageResponse(cookie: 77, code: .invalid).bytes
        #expect(response == [77, 0, 0, 0, 1, 0, 0, 0])
    }

    @Test func viommuVDeviceVEventQueueAndHWQueue() throws {
        backend.respond { request, argument, _ in
            switch request {
            case CIOMMUFD_IOMMU_VIOMMU_ALLOC:
                var c = load(argument, as: iommu_viommu_alloc.self)
                c.out_viommu_id = 10
                reply(argument, c)
            case CIOMMUFD_IOMMU_VDEVICE_ALLOC:
                var c = load(argument, as: iommu_vdevice_alloc.self)
                c.out_vdevice_id = 11
                reply(argument, c)
            case CIOMMUFD_IOMMU_VEVENTQ_ALLOC:
                var c = load(argument, as: iommu_veventq_alloc.self)
                c.out_veventq_id = 12
                c.out_veventq_fd = 400
                reply(argument, c)
            case CIOMMUFD_IOMMU_HW_QUEUE_ALLOC:
                var c = load(argument, as: iommu_hw_queue_alloc.self)
                c.out_hw_queue_id = 13
                reply(argument, c)
            default:
                return -ENOTTY
            }
            return 0
        }
        let iommufd = try open()
        var driverData = [UInt8](repeating: 0, count: 16)
        let viommu = try driverData.withUnsafeMutableBytes { data in
            try iommufd.allocateVIOMMU(type: .tegra241CMDQV, for: BoundDeviceID(rawValue: 2), parent: HWPTID(rawValue: 4),
                                       driverData: data)
        }
        #expect(viommu == VIOMMUID(rawValue: 10))
        let vdevice = try iommufd.allocateVDevice(on: viommu, for: BoundDeviceID(rawValue: 2), virtualID: 0x1_0008)
        #expect(vdevice == VDeviceID(rawValue: 11))
        let queue = try iommufd.allocateVEventQueue(on: viommu, type: .armSMMUv3, depth: 64)
        #expect(queue.id == VEventQueueID(rawValue: 12) && queue.events.descriptor.rawValue == 400)
        let hwQueue = try iommufd.allocateHWQueue(on: viommu, type: 1, index: 0, iova: 0x8000_0000, length: 0x1000)
        #expect(hwQueue == HWQueueID(rawValue: 13))

        let calls = backend.calls
        let v = calls[0].load(iommu_viommu_alloc.self)
        #expect(v.size == 40 && v.flags == 0 && v.type == UInt32(IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV.rawValue))
        #expect(v.dev_id == 2 && v.hwpt_id == 4 && v.data_len == 16 && v.data_uptr != 0 && v.__reserved == 0)
        let d = calls[1].load(iommu_vdevice_alloc.self)
        #expect(d.size == 24 && d.viommu_id == 10 && d.dev_id == 2 && d.virt_id == 0x1_0008)
        let e = calls[2].load(iommu_veventq_alloc.self)
        #expect(e.size == 32 && e.viommu_id == 10 && e.type == UInt32(IOMMU_VEVENTQ_TYPE_ARM_SMMUV3.rawValue))
        #expect(e.veventq_depth == 64 && e.flags == 0 && e.__reserved == 0)
        let h = calls[3].load(iommu_hw_queue_alloc.self)
        #expect(h.size == 40 && h.viommu_id == 10 && h.type == 1 && h.index == 0)
        #expect(h.nesting_parent_iova == 0x8000_0000 && h.length == 0x1000)
    }

    @Test func invalidationEntries() throws {
        backend.respond { _, argument, _ in
            let c = load(argument, as: iommu_hwpt_invalidate.self)
            if c.data_type == UInt32(IOMMU_HWPT_INVALIDATE_DATA_VTD_S1.rawValue) {
                let entries = UnsafePointer<iommu_hwpt_vtd_s1_invalidate>(bitPattern: UInt(c.data_uptr))!
                #expect(entries[1].addr == 0x2000 && entries[1].npages == .max)
                #expect(entries[0].flags == UInt32(IOMMU_VTD_INV_FLAGS_LEAF.rawValue))
            } else {
                let entries = UnsafePointer<iommu_viommu_arm_smmuv3_invalidate>(bitPattern: UInt(c.data_uptr))!
                #expect(UInt64(littleEndian: entries[0].cmd.0) == 0x12 && UInt64(littleEndian: entries[0].cmd.1) == 0x34)
            }
            return 0
        }
        let iommufd = try open()
        let handled = try iommufd.invalidate(.hwpt(HWPTID(rawValue: 6)), .intelVTdStage1([
            IntelVTdStage1Invalidation(address: 0x1000, pageCount: 1, leafOnly: true),
            IntelVTdStage1Invalidation(address: 0x2000, pageCount: .max),
        ]))
        #expect(handled == 2)
        try iommufd.invalidate(.viommu(VIOMMUID(rawValue: 8)), .armSMMUv3([ARMSMMUv3InvalidationCommand(word0: 0x12, word1: 0x34)]))
        let first = backend.calls[0].load(iommu_hwpt_invalidate.self)
        #expect(first.size == 32 && first.hwpt_id == 6 && first.entry_len == 24 && first.entry_num == 2)
        let second = backend.calls[1].load(iommu_hwpt_invalidate.self)
        #expect(second.hwpt_id == 8 && second.entry_len == 16 && second.entry_num == 1)
        #expect(second.data_type == UInt32(IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3.rawValue))
    }

    @Test("VFIO compatibility IOAS: get (none set is ENODEV), set, clear; change process")
    func vfioCompatibilityAndChangeProcess() throws {
        backend.respond { request, argument, index in
            guard request == CIOMMUFD_IOMMU_VFIO_IOAS else { return 0 }
            var c = load(argument, as: iommu_vfio_ioas.self)
            if c.op == UInt16(IOMMU_VFIO_IOAS_GET.rawValue) {
                if index == 0 { return -ENODEV }
                c.ioas_id = 3
                reply(argument, c)
            }
            return 0
        }
        let iommufd = try open()
        #expect(try iommufd.vfioCompatibilityIOAS() == nil)
        try iommufd.setVFIOCompatibilityIOAS(IOASID(rawValue: 3))
        #expect(try iommufd.vfioCompatibilityIOAS() == IOASID(rawValue: 3))
        try iommufd.setVFIOCompatibilityIOAS(nil)
        try iommufd.changeProcess()
        let sent = backend.calls.prefix(4).map { $0.load(iommu_vfio_ioas.self) }
        #expect(sent.map(\.op) == [0, 1, 0, 2].map(UInt16.init))
        #expect(sent[1].ioas_id == 3 && sent.allSatisfy { $0.size == 12 && $0.__reserved == 0 })
        #expect(backend.calls[4].request == CIOMMUFD_IOMMU_IOAS_CHANGE_PROCESS)
        #expect(backend.calls[4].load(iommu_ioas_change_process.self).size == 8)
    }

    @Test("region info and the config space read through the VFIO config region")
    func regionInfo() throws {
        backend.addVFIODevice(name: "vfio0", pci: "0000:00:03.0")
        backend.respond { request, argument, _ in
            #expect(request == CIOMMUFD_VFIO_DEVICE_GET_REGION_INFO)
            var c = load(argument, as: vfio_region_info.self)
            #expect(c.index == UInt32(VFIO_PCI_CONFIG_REGION_INDEX))
            c.size = 4096
            c.offset = 0x70_0000_0000
            c.flags = UInt32(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)
            reply(argument, c)
            return 0
        }
        let device = try VFIODevice(opening: "vfio0", backend: backend)
        let region = try device.regionInfo(UInt32(VFIO_PCI_CONFIG_REGION_INDEX))
        #expect(region.size == 4096 && region.offset == 0x70_0000_0000 && region.flags == 3)
        #expect(backend.calls.first?.load(vfio_region_info.self).argsz == 32)
        // The scripted backend's pread fails with EIO: the error names the read.
        let error = #expect(throws: IOMMUFDError.self) { try device.readConfigSpace() }
        #expect(error?.operation == .readVFIORegion && error?.errno == .ioError)
    }
}
