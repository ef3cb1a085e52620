#if canImport(Glibc)
import Glibc
#endif
import CIOMMUFD
import IOMMUFD
import SystemPackage
import Testing

/// IOAS calls: the exact structure the kernel reads and how the reply is read back.
@Suite("IOAS calls through the seam")
struct IOASTests {
    let backend = ScriptedBackend()

    func open() throws -> IOMMUFD { try backend.openIOMMUFD() }

    @Test func allocateIOAS() throws {
        backend.respond { request, argument, _ in
            #expect(request == CIOMMUFD_IOMMU_IOAS_ALLOC)
            var command = load(argument, as: iommu_ioas_alloc.self)
            command.out_ioas_id = 7
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        let ioas = try iommufd.allocateIOAS()
        #expect(ioas == IOASID(rawValue: 7))
        let sent = try #require(backend.calls.first).load(iommu_ioas_alloc.self)
        #expect(sent.size == 12 && sent.flags == 0 && sent.out_ioas_id == 0)
        #expect(backend.calls.first?.descriptor == iommufd.descriptor.rawValue)
    }

    @Test func mapAnywhereReadsBackTheIOVA() throws {
        backend.respond { request, argument, _ in
            #expect(request == CIOMMUFD_IOMMU_IOAS_MAP)
            var command = load(argument, as: iommu_ioas_map.self)
            command.iova = 0x1000
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 4096)
        defer { memory.deallocate() }
        let iova = try iommufd.map(UnsafeRawBufferPointer(memory), into: IOASID(rawValue: 3), access: .readable)
        #expect(iova == 0x1000)
        let sent = try #require(backend.calls.first).load(iommu_ioas_map.self)
        #expect(sent.size == 40)
        #expect(sent.flags == UInt32(IOMMU_IOAS_MAP_READABLE.rawValue))
        #expect(sent.ioas_id == 3 && sent.__reserved == 0)
        #expect(sent.user_va == UInt64(UInt(bitPattern: memory.baseAddress)) && sent.length == 8192)
        #expect(sent.iova == 0)
    }

    @Test func mapFixed() throws {
        let iommufd = try open()
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 4096)
        defer { memory.deallocate() }
        let iova = try iommufd.map(UnsafeRawBufferPointer(memory), into: IOASID(rawValue: 3), at: .fixed(0x400_0000))
        #expect(iova == 0x400_0000)
        let sent = try #require(backend.calls.first).load(iommu_ioas_map.self)
        #expect(sent.flags == UInt32(IOMMU_IOAS_MAP_FIXED_IOVA.rawValue | IOMMU_IOAS_MAP_READABLE.rawValue
                                     | IOMMU_IOAS_MAP_WRITEABLE.rawValue))
        #expect(sent.iova == 0x400_0000)
    }

    @Test func mapRefusesUndefinedAccessBitsWithoutAnIoctl() throws {
        let iommufd = try open()
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 4096)
        defer { memory.deallocate() }
        let error = #expect(throws: IOMMUFDError.self) {
            try iommufd.map(UnsafeRawBufferPointer(memory), into: IOASID(rawValue: 1), access: MapAccess(rawValue: 0x40))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.hint.contains("0x00000040") == true)
        #expect(backend.calls.isEmpty)
    }

    @Test("every access bit: a named one reaches the kernel, any other is refused without an ioctl",
          arguments: 0..<32)
    func mapChecksEachAccessBit(_ bit: Int) throws {
        let backend = ScriptedBackend()
        let iommufd = try backend.openIOMMUFD()
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 4096)
        defer { memory.deallocate() }
        let access = MapAccess(rawValue: 1 << bit)
        let named = MapAccess.namedFlags.contains { $0.flag == access }
        let result = Result { () throws(IOMMUFDError) in
            try iommufd.map(UnsafeRawBufferPointer(memory), into: IOASID(rawValue: 1), access: access)
        }
        switch result {
        case .success:
            #expect(named, "bit \(bit) is not a named flag but was sent")
            #expect(backend.calls.count == 1)
        case .failure(let error):
            #expect(!named && error.code == .invalidArgument, "bit \(bit): \(error)")
            #expect(backend.calls.isEmpty)
        }
    }

    @Test func mapFileSendsTheDescriptorAndOffset() throws {
        let iommufd = try open()
        try iommufd.mapFile(42, offset: 0x2000, length: 0x10000, into: IOASID(rawValue: 5), at: .fixed(0x8000))
        let call = try #require(backend.calls.first)
        #expect(call.request == CIOMMUFD_IOMMU_IOAS_MAP_FILE)
        let sent = call.load(iommu_ioas_map_file.self)
        #expect(sent.size == 40 && sent.fd == 42 && sent.start == 0x2000 && sent.length == 0x10000)
        #expect(sent.ioas_id == 5 && sent.iova == 0x8000)
    }

    @Test func unmapAndUnmapAll() throws {
        backend.respond { _, argument, _ in
            var command = load(argument, as: iommu_ioas_unmap.self)
            command.length = 0x3000
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        #expect(try iommufd.unmap(IOASID(rawValue: 2), iova: 0x1000, length: 0x4000) == 0x3000)
        #expect(try iommufd.unmapAll(IOASID(rawValue: 2)) == 0x3000)
        let calls = backend.calls
        #expect(calls.count == 2 && calls.allSatisfy { $0.request == CIOMMUFD_IOMMU_IOAS_UNMAP })
        let first = calls[0].load(iommu_ioas_unmap.self)
        #expect(first.size == 24 && first.ioas_id == 2 && first.iova == 0x1000 && first.length == 0x4000)
        let all = calls[1].load(iommu_ioas_unmap.self)
        #expect(all.iova == 0 && all.length == UInt64.max)
    }

    @Test func copyNamesSourceAndDestination() throws {
        backend.respond { _, argument, _ in
            var command = load(argument, as: iommu_ioas_copy.self)
            command.dst_iova = 0x9000
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        let iova = try iommufd.copy(from: IOASID(rawValue: 1), iova: 0x1000, length: 0x2000, to: IOASID(rawValue: 4),
                                    access: .readable)
        #expect(iova == 0x9000)
        let sent = try #require(backend.calls.first).load(iommu_ioas_copy.self)
        #expect(sent.size == 40 && sent.src_ioas_id == 1 && sent.dst_ioas_id == 4)
        #expect(sent.src_iova == 0x1000 && sent.length == 0x2000 && sent.dst_iova == 0)
        #expect(sent.flags == UInt32(IOMMU_IOAS_MAP_READABLE.rawValue))
    }

    @Test func iovaRangesGrowsTheBufferOnEMSGSIZE() throws {
        backend.respond { _, argument, index in
            var command = load(argument, as: iommu_ioas_iova_ranges.self)
            let wanted: UInt32 = 10
            if command.num_iovas < wanted {
                command.num_iovas = wanted
                reply(argument, command)
                return -EMSGSIZE
            }
            let ranges = UnsafeMutablePointer<iommu_iova_range>(bitPattern: UInt(command.allowed_iovas))!
            for i in 0..<Int(wanted) {
                ranges[i] = iommu_iova_range(start: UInt64(i) << 32, last: (UInt64(i) << 32) + 0xfff)
            }
            command.num_iovas = wanted
            command.out_iova_alignment = 4096
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        let result = try iommufd.iovaRanges(of: IOASID(rawValue: 1))
        #expect(result.ranges.count == 10)
        #expect(result.ranges[3] == IOVARange(start: 3 << 32, last: (3 << 32) + 0xfff))
        #expect(result.alignment == 4096)
        let calls = backend.calls
        #expect(calls.count == 2)
        #expect(calls[0].load(iommu_ioas_iova_ranges.self).num_iovas == 8)
        #expect(calls[1].load(iommu_ioas_iova_ranges.self).num_iovas == 10)
        #expect(calls[1].load(iommu_ioas_iova_ranges.self).__reserved == 0)
    }

    @Test func allowIOVAsPassesTheArray() throws {
        backend.respond { _, argument, _ in
            let command = load(argument, as: iommu_ioas_allow_iovas.self)
            let ranges = UnsafePointer<iommu_iova_range>(bitPattern: UInt(command.allowed_iovas))!
            #expect(command.num_iovas == 2)
            #expect(ranges[1].start == 0x10000 && ranges[1].last == 0x1ffff)
            return 0
        }
        let iommufd = try open()
        try iommufd.allowIOVAs([IOVARange(start: 0, last: 0xfff), IOVARange(start: 0x10000, last: 0x1ffff)],
                               in: IOASID(rawValue: 9))
        let sent = try #require(backend.calls.first).load(iommu_ioas_allow_iovas.self)
        #expect(sent.size == 24 && sent.ioas_id == 9 && sent.__reserved == 0)
    }

    @Test func optionsGetAndSet() throws {
        backend.respond { _, argument, _ in
            var command = load(argument, as: iommu_option.self)
            if command.op == UInt16(IOMMU_OPTION_OP_GET.rawValue) {
                command.val64 = 1
                reply(argument, command)
            }
            return 0
        }
        let iommufd = try open()
        #expect(try iommufd.hugePages(of: IOASID(rawValue: 2)) == true)
        try iommufd.setHugePages(false, of: IOASID(rawValue: 2))
        #expect(try iommufd.rlimitMode() == .perProcess)
        try iommufd.setRLimitMode(.perUser)
        let sent = backend.calls.map { $0.load(iommu_option.self) }
        #expect(sent.count == 4 && sent.allSatisfy { $0.size == 24 && $0.__reserved == 0 })
        #expect(sent[0].option_id == UInt32(IOMMU_OPTION_HUGE_PAGES.rawValue) && sent[0].object_id == 2)
        #expect(sent[1].op == UInt16(IOMMU_OPTION_OP_SET.rawValue) && sent[1].val64 == 0 && sent[1].object_id == 2)
        #expect(sent[2].option_id == UInt32(IOMMU_OPTION_RLIMIT_MODE.rawValue) && sent[2].object_id == 0)
        #expect(sent[3].op == UInt16(IOMMU_OPTION_OP_SET.rawValue) && sent[3].val64 == 0)
    }

    @Test func destroyTakesAnyDestroyableID() throws {
        let iommufd = try open()
        try iommufd.destroy(HWPTID(rawValue: 12))
        try iommufd.destroy(IOASID(rawValue: 3))
        let sent = backend.calls.map { $0.load(iommu_destroy.self) }
        #expect(backend.calls.allSatisfy { $0.request == CIOMMUFD_IOMMU_DESTROY })
        #expect(sent.map(\.id) == [12, 3] && sent.allSatisfy { $0.size == 8 })
    }
}
