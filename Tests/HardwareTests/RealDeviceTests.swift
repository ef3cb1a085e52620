#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import SystemPackage
import Testing

extension HardwareTests {
    /// The typed layer against a real kernel and a real (or emulated) IOMMU, on
    /// the device named by `IOMMUFD_TEST_DEVICE`.
    @Suite("real device", .serialized, .requiresIOMMUFD, .requiresDevice)
    struct RealDeviceTests {
        var devicePath: String { HardwareEnvironment.device ?? "" }

        @Test("bind and GET_HW_INFO: a known info type with vendor data that decodes")
        func bindAndHardwareInfo() throws {
            let iommufd = try IOMMUFD()
            var device = try VFIODevice(opening: devicePath)
            let id = try device.bind(to: iommufd)
            #expect(id.rawValue > 0)
            let info = try iommufd.hardwareInfo(for: id)
            switch info.type {
            case .intelVTd, .amd, .armSMMUv3, .tegra241CMDQV:
                let decoded = try #require(info.vendorData.decoded)
                #expect(!decoded.fields.isEmpty)
                #expect(info.vendorDataLength >= 16)
            case .none:
                #expect(info.vendorData == .none && info.vendorDataLength == 0)
            case .unknown(let raw):
                Issue.record("unknown info type \(String(raw, radix: 16)) from a real IOMMU")
            }
            if let model = HardwareEnvironment.vmModel {
                let expected: HardwareInfoType = switch model {
                case "amd": .amd
                case "virtio": .none
                default: .intelVTd
                }
                #expect(info.type == expected, "the \(model) VM should report \(expected)")
            }
            // The raw bytes: as long as the kernel says, and the registers the
            // typed payload holds, little-endian where the UAPI puts them.
            let raw = try iommufd.vendorDataBytes(for: id)
            #expect(raw.count == Int(info.vendorDataLength))
            func word(at offset: Int) -> UInt64 {
                raw[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
            }
            switch info.vendorData {
            case .intelVTd(let vtd):
                #expect(raw.count >= 24 && word(at: 8) == vtd.capReg && word(at: 16) == vtd.ecapReg)
            case .amd(let amd):
                #expect(raw.count >= 16 && word(at: 0) == amd.efr && word(at: 8) == amd.efr2)
            case .none:
                #expect(raw.isEmpty)
            default:
                break
            }
            // Asking for the device's own type: honoured on 6.17+, a clean fallback before.
            let again = try iommufd.hardwareInfo(for: id, requesting: info.type)
            #expect(again.type == info.type && again.vendorData == info.vendorData)
            if let release = HardwareEnvironment.kernelRelease, release >= KernelRelease(6, 17) {
                #expect(!again.requestedTypeFellBack)
            }
            let deviceInfo = try device.info()
            #expect(deviceInfo.flags.contains(.pci) && deviceInfo.regionCount >= 8)
        }

        @Test("IOAS: allocate, attach, IOVA ranges, map and unmap at a chosen and a fixed IOVA, destroy")
        func ioasMapUnmap() throws {
            let iommufd = try IOMMUFD()
            var device = try VFIODevice(opening: devicePath)
            try device.bind(to: iommufd)
            let ledger = ObjectLedger()
            let ioas = try iommufd.allocateIOAS()
            ledger.record(ioas)
            let hwpt = try device.attach(to: ioas)
            #expect(hwpt.rawValue != ioas.rawValue)

            let ranges = try iommufd.iovaRanges(of: ioas)
            #expect(!ranges.ranges.isEmpty && ranges.alignment >= 1 && ranges.alignment <= 4096)
            // The x86 MSI window is reserved by every x86 IOMMU driver.
            #expect(!ranges.ranges.contains { $0.contains(0xfee0_0000) })

            let memory = AlignedMemory(bytes: 2 << 20)
            let iova = try iommufd.map(memory.readOnly, into: ioas)
            #expect(iova % 4096 == 0 && ranges.ranges.contains { $0.contains(iova) })
            let fixed: UInt64 = 0x4000_0000
            #expect(try iommufd.map(memory.readOnly, into: ioas, at: .fixed(fixed), access: .readable) == fixed)
            // The same range again: EEXIST.
            let again = #expect(throws: IOMMUFDError.self) {
                try iommufd.map(memory.readOnly, into: ioas, at: .fixed(fixed))
            }
            #expect(again?.errno == .fileExists)
            #expect(try iommufd.unmap(ioas, iova: fixed, length: 2 << 20) == 2 << 20)
            #expect(try iommufd.unmapAll(ioas) == 2 << 20)

            try device.detach()
            try iommufd.destroy(ioas)
            #expect(ledger.survivors(in: iommufd).isEmpty)
        }

        /// What the IOMMU's registers say HWPT_ALLOC will do with `flags`: `nil`
        /// for success, or the errno.
        static func predictedAllocation(_ flags: HWPTAllocFlags, _ info: HardwareInfo) -> Errno? {
            let kernel = HardwareEnvironment.kernelRelease ?? KernelRelease.pinned
            if let newest = flags.elements.compactMap(\.introducedIn).max(), kernel < newest { return .notSupported }
            if flags.contains(.dirtyTracking) && !info.capabilities.contains(.dirtyTracking) { return .notSupported }
            if flags.contains(.nestParent) && info.vendorData.decoded?.facts.nesting != true { return .notSupported }
            if flags.contains(.pasid) {
                // Intel VT-d domains are PASID-capable (scalable and legacy mode alike);
                // AMD v1 and virtio-iommu domains are not.
                guard case .intelVTd = info.type else { return .notSupported }
                if flags.contains(.nestParent) || flags.contains(.dirtyTracking) { return .notSupported }
            }
            return nil
        }

        static let flagCombinations: [HWPTAllocFlags] = [
            [], .nestParent, .dirtyTracking, .pasid, [.nestParent, .dirtyTracking], [.nestParent, .pasid],
            [.dirtyTracking, .pasid], [.nestParent, .dirtyTracking, .pasid],
        ]

        @Test("HWPT_ALLOC with each flag: success, or the errno the capabilities predict; attach each", arguments: flagCombinations)
        func hwptAlloc(_ flags: HWPTAllocFlags) throws {
            let iommufd = try IOMMUFD()
            var device = try VFIODevice(opening: devicePath)
            let id = try device.bind(to: iommufd)
            let info = try iommufd.hardwareInfo(for: id)
            let ioas = try iommufd.allocateIOAS()
            let predicted = Self.predictedAllocation(flags, info)
            do throws(IOMMUFDError) {
                let hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: flags)
                #expect(predicted == nil, "\(flags) was accepted; the registers predicted \(predicted?.symbolicName ?? "")")
                #expect(try device.attach(to: hwpt) == hwpt)
                try device.detach()
                try iommufd.destroy(hwpt)
                #expect(throws: IOMMUFDError.self) { try iommufd.destroy(hwpt) }
            } catch {
                #expect(error.errno == predicted, "\(flags): \(error)")
                #expect(error.code == .unsupportedFeature && error.hint.contains("does not support"))
            }
            try iommufd.destroy(ioas)
        }

        @Test("PASID attach where the IOMMU supports PASID HWPTs; refused with a hint elsewhere")
        func pasidAttach() throws {
            let iommufd = try IOMMUFD()
            var device = try VFIODevice(opening: devicePath)
            let id = try device.bind(to: iommufd)
            let info = try iommufd.hardwareInfo(for: id)
            let ioas = try iommufd.allocateIOAS()
            guard Self.predictedAllocation(.pasid, info) == nil else {
                let error = #expect(throws: IOMMUFDError.self) {
                    try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .pasid)
                }
                #expect(error?.errno == .notSupported && error?.hint.contains("pasid") == true)
                return
            }
            let rid = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .pasid)
            let pasidHWPT = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .pasid)
            try device.attach(to: rid)
            try device.attach(to: pasidHWPT, pasid: 1)
            try device.detach(pasid: 1)
            try device.detach()
            try iommufd.destroy(pasidHWPT)
            try iommufd.destroy(rid)
            try iommufd.destroy(ioas)
        }

        @Test("dirty tracking where supported; EOPNOTSUPP as predicted elsewhere")
        func dirtyTracking() throws {
            let iommufd = try IOMMUFD()
            var device = try VFIODevice(opening: devicePath)
            let id = try device.bind(to: iommufd)
            let info = try iommufd.hardwareInfo(for: id)
            let ioas = try iommufd.allocateIOAS()
            defer { _ = try? iommufd.destroy(ioas) }
            guard info.capabilities.contains(.dirtyTracking) else {
                let error = #expect(throws: IOMMUFDError.self) {
                    try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .dirtyTracking)
                }
                #expect(error?.errno == .notSupported && error?.hint.contains("dirtyTracking:") == true)
                return
            }
            let hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .dirtyTracking)
            try device.attach(to: hwpt)
            let memory = AlignedMemory(bytes: 2 << 20)
            let iova = try iommufd.map(memory.readOnly, into: ioas)
            try iommufd.setDirtyTracking(true, for: hwpt)
            let bitmap = try iommufd.dirtyBitmap(of: hwpt, iova: iova, length: 2 << 20, pageSize: 4096)
            #expect(bitmap.pageCount == 512)
            try iommufd.setDirtyTracking(false, for: hwpt)
            try iommufd.unmapAll(ioas)
            try device.detach()
            try iommufd.destroy(hwpt)
        }

        @Test("errors on a real kernel: unknown IDs, busy objects, wrong kinds")
        func realErrors() throws {
            let iommufd = try IOMMUFD()
            var device = try VFIODevice(opening: devicePath)
            let id = try device.bind(to: iommufd)
            let missing = #expect(throws: IOMMUFDError.self) { try iommufd.destroy(HWPTID(rawValue: 9999)) }
            #expect(missing?.code == .noSuchObject && missing?.errno == .noSuchFileOrDirectory)
            let ioas = try iommufd.allocateIOAS()
            let hwpt = try device.attach(to: ioas)
            let busy = #expect(throws: IOMMUFDError.self) { try iommufd.destroy(ioas) }
            #expect(busy?.code == .objectBusy && busy?.objects == [ioas.reference])
            // A device ID where an IOAS belongs (the raw number of another kind).
            let wrongKind = #expect(throws: IOMMUFDError.self) {
                try iommufd.allocateHWPT(for: id, on: .ioas(IOASID(rawValue: id.rawValue)))
            }
            #expect(wrongKind?.errno != nil)
            // Binding the same device again through another iommufd.
            let other = try IOMMUFD()
            var secondOpen = try VFIODevice(opening: devicePath)
            let rebind = #expect(throws: IOMMUFDError.self) { try secondOpen.bind(to: other) }
            #expect(rebind?.errno != nil)
            _ = hwpt
            try device.detach()
            try iommufd.destroy(ioas)
        }

        @Test("the descriptor check refuses non-VFIO files on the real system without any ioctl")
        func descriptorCheck() {
            for path in ["/dev/null", "/dev/iommu", "/proc/self/status", "/dev/vfio/vfio"] {
                let error = #expect(throws: IOMMUFDError.self) { _ = try VFIODevice(opening: path) }
                #expect(error?.code == .notAVFIODevice || error?.code == .deviceNotFound, "\(path)")
            }
        }
    }
}
