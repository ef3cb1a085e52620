#if canImport(Glibc)
import Glibc
#endif
import CIOMMUFD
import IOMMUFD
import SystemPackage
import Testing

/// GET_HW_INFO: the request, the vendor data buffer in both directions, the
/// INPUT_TYPE fallback.
@Suite("GET_HW_INFO through the seam")
struct HardwareInfoTests {
    let backend = ScriptedBackend()

    func open() throws -> IOMMUFD { try backend.openIOMMUFD() }

    /// A kernel answering with VT-d data of `length` bytes (it copies at most
    /// the user's buffer size and reports its own length).
    static func vtdKernel(length: UInt32 = 24, flagsAccepted: Bool = true) -> ScriptedBackend.Responder {
        { request, argument, _ in
            guard request == CIOMMUFD_IOMMU_GET_HW_INFO else { return -ENOTTY }
            var command = load(argument, as: iommu_hw_info.self)
            if command.flags != 0 && !flagsAccepted { return -EOPNOTSUPP }
            var data = iommu_hw_info_vtd()
            data.flags = 1
            data.cap_reg = 0x00d2_008c_222f_0606
            data.ecap_reg = 0x0000_4900_80f0_0f4a
            let buffer = UnsafeMutableRawPointer(bitPattern: UInt(command.data_uptr))!
            let copy = min(Int(command.data_len), Int(length), 24)
            withUnsafeBytes(of: &data) { buffer.copyMemory(from: $0.baseAddress!, byteCount: copy) }
            // A kernel with more data than it knows how to describe here
            // writes garbage past our struct: the library must not read it as
            // VT-d fields beyond data_len.
            command.data_len = length
            command.out_data_type = UInt32(IOMMU_HW_INFO_TYPE_INTEL_VTD.rawValue)
            command.out_capabilities = UInt64(IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED.rawValue)
            command.out_max_pasid_log2 = 20
            reply(argument, command)
            return 0
        }
    }

    @Test func decodesIntelVTd() throws {
        backend.respond(Self.vtdKernel())
        let iommufd = try open()
        let info = try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 2))
        #expect(info.type == .intelVTd)
        #expect(info.vendorData == .intelVTd(IntelVTdHardwareInfo(
            flags: .errata772415SPR17, capReg: 0x00d2_008c_222f_0606, ecapReg: 0x0000_4900_80f0_0f4a)))
        #expect(info.capabilities == .pciATSNotSupported)
        #expect(info.maxPASIDLog2 == 20 && info.supportsPASID)
        #expect(info.vendorDataLength == 24 && info.requestedType == nil && !info.requestedTypeFellBack)

        let call = try #require(backend.calls.first)
        #expect(call.request == CIOMMUFD_IOMMU_GET_HW_INFO)
        let sent = call.load(iommu_hw_info.self)
        #expect(sent.size == 40 && sent.flags == 0 && sent.dev_id == 2)
        #expect(sent.data_len == 128 && sent.data_uptr != 0)
        #expect(sent.in_data_type == 0 && sent.out_max_pasid_log2 == 0)
        #expect(sent.__reserved.0 == 0 && sent.__reserved.1 == 0 && sent.__reserved.2 == 0)
        #expect(sent.out_capabilities == 0)
    }

    @Test("data_len shorter than the structure: the missing fields read as zero")
    func shortVendorData() throws {
        backend.respond(Self.vtdKernel(length: 16))
        let iommufd = try open()
        let info = try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 2))
        #expect(info.vendorDataLength == 16)
        #expect(info.vendorData == .intelVTd(IntelVTdHardwareInfo(
            flags: .errata772415SPR17, capReg: 0x00d2_008c_222f_0606, ecapReg: 0)))
    }

    @Test("data_len longer than the library's buffer: known fields decoded, full length reported")
    func longVendorData() throws {
        backend.respond(Self.vtdKernel(length: 200))
        let iommufd = try open()
        let info = try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 2))
        #expect(info.vendorDataLength == 200)
        guard case .intelVTd(let vtd) = info.vendorData else { Issue.record("not VT-d"); return }
        #expect(vtd.capReg == 0x00d2_008c_222f_0606 && vtd.ecapReg == 0x0000_4900_80f0_0f4a)
        #expect(backend.calls.count == 1)
    }

    @Test("bytes past data_len are ignored even when the kernel left them set")
    func bytesPastDataLenIgnored() throws {
        backend.respond { _, argument, _ in
            var command = load(argument, as: iommu_hw_info.self)
            let buffer = UnsafeMutableRawPointer(bitPattern: UInt(command.data_uptr))!
            buffer.initializeMemory(as: UInt8.self, repeating: 0xff, count: Int(command.data_len))
            command.data_len = 8
            command.out_data_type = UInt32(IOMMU_HW_INFO_TYPE_AMD.rawValue)
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        let info = try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 2))
        #expect(info.vendorData == .amd(AMDHardwareInfo(efr: .max, efr2: 0)))
    }

    @Test("INPUT_TYPE on a kernel that refuses flags: asks again without, and says so")
    func inputTypeFallsBack() throws {
        backend.respond(Self.vtdKernel(flagsAccepted: false))
        let iommufd = try open()
        let info = try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 2), requesting: .intelVTd)
        #expect(info.type == .intelVTd && info.requestedType == .intelVTd && info.requestedTypeFellBack)
        let sent = backend.calls.map { $0.load(iommu_hw_info.self) }
        #expect(sent.count == 2)
        #expect(sent[0].flags == UInt32(IOMMU_HW_INFO_FLAG_INPUT_TYPE.rawValue))
        #expect(sent[0].in_data_type == UInt32(IOMMU_HW_INFO_TYPE_INTEL_VTD.rawValue))
        #expect(sent[1].flags == 0 && sent[1].in_data_type == 0)
    }

    @Test("INPUT_TYPE on a kernel that has it: one call")
    func inputTypeAccepted() throws {
        backend.respond(Self.vtdKernel(flagsAccepted: true))
        let iommufd = try open()
        let info = try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 2), requesting: .intelVTd)
        #expect(!info.requestedTypeFellBack && backend.calls.count == 1)
    }

    @Test("other errors are not retried")
    func otherErrorsPropagate() throws {
        backend.respond { _, _, _ in -ENOENT }
        let iommufd = try open()
        let error = #expect(throws: IOMMUFDError.self) {
            try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 9), requesting: .armSMMUv3)
        }
        #expect(error?.code == .noSuchObject && error?.operation == .getHWInfo)
        #expect(error?.objects == [BoundDeviceID(rawValue: 9).reference])
        #expect(backend.calls.count == 1)
    }

    @Test("an unknown info type keeps its first 128 bytes inline; vendorDataBytes reads all of them")
    func unknownType() throws {
        backend.respond { _, argument, _ in
            var command = load(argument, as: iommu_hw_info.self)
            let buffer = UnsafeMutableRawPointer(bitPattern: UInt(command.data_uptr))!
            let mine = 300
            for i in 0..<min(Int(command.data_len), mine) { buffer.storeBytes(of: UInt8(i & 0xff), toByteOffset: i, as: UInt8.self) }
            command.data_len = UInt32(mine)
            command.out_data_type = 0xfeed_beef
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        let info = try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 2))
        #expect(info.type == .unknown(0xfeed_beef) && info.vendorDataLength == 300)
        guard case .unknown(let type, let bytes) = info.vendorData else { Issue.record("not unknown"); return }
        #expect(type == 0xfeed_beef && bytes.count == VendorDataBytes.capacity)
        #expect(Array(bytes) == (0..<128).map { UInt8($0) })
        #expect(backend.calls.count == 1, "one GET_HW_INFO: the inline bytes need no second read")

        let all = try iommufd.vendorDataBytes(for: BoundDeviceID(rawValue: 2))
        #expect(all.count == 300 && all[299] == UInt8(299 & 0xff) && all[128] == 128)
        #expect(backend.calls.count == 3, "vendorDataBytes: the length, then the bytes")
    }

    @Test("vendorDataBytes: no data means no second read; a requested type is asked for again")
    func vendorDataBytesShortCases() throws {
        backend.respond { _, argument, _ in
            var command = load(argument, as: iommu_hw_info.self)
            command.data_len = 0
            command.out_data_type = UInt32(IOMMU_HW_INFO_TYPE_NONE.rawValue)
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        #expect(try iommufd.vendorDataBytes(for: BoundDeviceID(rawValue: 2)) == [])
        #expect(backend.calls.count == 1)

        backend.respond { _, argument, _ in
            var command = load(argument, as: iommu_hw_info.self)
            let vtd = MemoryLayout<iommu_hw_info_vtd>.size
            if command.data_len >= UInt32(vtd) {
                var data = iommu_hw_info_vtd()
                data.cap_reg = 0x1234
                UnsafeMutableRawPointer(bitPattern: UInt(command.data_uptr))!.storeBytes(of: data, as: iommu_hw_info_vtd.self)
            }
            command.data_len = UInt32(vtd)
            command.out_data_type = UInt32(IOMMU_HW_INFO_TYPE_INTEL_VTD.rawValue)
            reply(argument, command)
            return 0
        }
        let bytes = try iommufd.vendorDataBytes(for: BoundDeviceID(rawValue: 2), requesting: .intelVTd)
        #expect(bytes.count == MemoryLayout<iommu_hw_info_vtd>.size && bytes[8] == 0x34 && bytes[9] == 0x12)
        let flags = backend.calls.suffix(2).map { $0.load(iommu_hw_info.self).flags }
        #expect(flags == [UInt32(IOMMU_HW_INFO_FLAG_INPUT_TYPE.rawValue), UInt32(IOMMU_HW_INFO_FLAG_INPUT_TYPE.rawValue)])
    }

    @Test("vendorDataBytes: a length that grows on every call is read a bounded number of times")
    func vendorDataBytesGrowing() throws {
        backend.respond { _, argument, index in
            var command = load(argument, as: iommu_hw_info.self)
            command.data_len = UInt32(200 + 100 * index)   // 200, 300, 400, …
            command.out_data_type = 0xfeed_beef
            reply(argument, command)
            return 0
        }
        let iommufd = try open()
        let bytes = try iommufd.vendorDataBytes(for: BoundDeviceID(rawValue: 2))
        #expect(backend.calls.count == 4, "GET_HW_INFO, then three reads at most")
        #expect(bytes.count == 400, "the last read's buffer")
    }

    @Test("VendorDataBytes: a collection of its bytes, equal and hashed by them")
    func vendorDataBytesValue() {
        let bytes: VendorDataBytes = [0xde, 0xad, 0xbe, 0xef]
        #expect(Array(bytes) == [0xde, 0xad, 0xbe, 0xef] && bytes.count == 4 && bytes[3] == 0xef)
        #expect(bytes.description == "deadbeef" && VendorDataBytes().isEmpty)
        #expect(bytes == VendorDataBytes([0xde, 0xad, 0xbe, 0xef]) && bytes != [0xde, 0xad, 0xbe])
        #expect(Set([bytes, VendorDataBytes([0xde, 0xad, 0xbe, 0xef])]).count == 1)
        let full = VendorDataBytes((0..<128).map { UInt8($0) })
        #expect(full.count == VendorDataBytes.capacity && full.last == 127)
        #expect(MemoryLayout<HardwareInfo>.size > VendorDataBytes.capacity, "the bytes are held inline")
    }

    @Test("each vendor structure decodes into its payload")
    func otherVendors() throws {
        let iommufd = try open()
        backend.respond { _, argument, _ in
            var command = load(argument, as: iommu_hw_info.self)
            var data = iommu_hw_info_arm_smmuv3()
            data.idr = (1, 2, 3, 4, 5, 6)
            data.iidr = 7
            data.aidr = 8
            UnsafeMutableRawPointer(bitPattern: UInt(command.data_uptr))!.storeBytes(of: data, as: iommu_hw_info_arm_smmuv3.self)
            command.data_len = 40
            command.out_data_type = UInt32(IOMMU_HW_INFO_TYPE_ARM_SMMUV3.rawValue)
            reply(argument, command)
            return 0
        }
        let smmu = try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 1))
        #expect(smmu.vendorData == .armSMMUv3(ARMSMMUv3HardwareInfo(
            idr0: 1, idr1: 2, idr2: 3, idr3: 4, idr4: 5, idr5: 6, iidr: 7, aidr: 8)))
        backend.respond { _, argument, _ in
            var command = load(argument, as: iommu_hw_info.self)
            var data = iommu_hw_info_tegra241_cmdqv()
            data.version = 1
            data.log2vcmdqs = 6
            data.log2vsids = 4
            UnsafeMutableRawPointer(bitPattern: UInt(command.data_uptr))!.storeBytes(of: data, as: iommu_hw_info_tegra241_cmdqv.self)
            command.data_len = 8
            command.out_data_type = UInt32(IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV.rawValue)
            reply(argument, command)
            return 0
        }
        let tegra = try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 1))
        #expect(tegra.vendorData == .tegra241CMDQV(Tegra241CMDQVHardwareInfo(version: 1, log2VCMDQs: 6, log2VSIDs: 4)))
        backend.respond { _, argument, _ in
            var command = load(argument, as: iommu_hw_info.self)
            command.data_len = 0
            command.out_data_type = 0
            command.out_capabilities = 0x9
            reply(argument, command)
            return 0
        }
        let none = try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 1))
        #expect(none.type == .none && none.vendorData == .none)
        #expect(none.capabilities == [.dirtyTracking, .pciATSNotSupported])
        #expect(none.maxPASIDLog2 == 0 && !none.supportsPASID)
    }

    @Test("info types are kept as the kernel's numbers: they round-trip, and equality follows the numbers")
    func infoTypesAsNumbers() {
        var info = HardwareInfo(type: .unknown(0x99), vendorData: .none)
        #expect(info.type == .unknown(0x99) && info.requestedType == nil && !info.requestedTypeFellBack)
        info.type = .amd
        info.requestedType = .tegra241CMDQV
        #expect(info.type == .amd && info.requestedType == .tegra241CMDQV)
        info.requestedType = HardwareInfoType.none
        #expect(info.requestedType == HardwareInfoType.none, "a requested NONE (0) is not the same as no request")
        info.requestedType = nil
        #expect(info.requestedType == nil)
        #expect(info == HardwareInfo(type: .amd, vendorData: .none))
        // A known number given as `unknown` reads back as its case, and the
        // two spellings are one value.
        let spelledUnknown = HardwareInfo(type: .unknown(UInt32(IOMMU_HW_INFO_TYPE_INTEL_VTD.rawValue)), vendorData: .none)
        #expect(spelledUnknown.type == .intelVTd)
        #expect(spelledUnknown == HardwareInfo(type: .intelVTd, vendorData: .none))
        #expect(Set([spelledUnknown, HardwareInfo(type: .intelVTd, vendorData: .none)]).count == 1)
    }
}
