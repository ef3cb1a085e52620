#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

@Suite("Kernel release profiles")
struct KernelProfileTests {
    /// Which iommufd ioctls each profile has, by command number.
    static let expectedCommands: [(KernelProfile, ClosedRange<UInt>)] = [
        (.linux6_6, 0x80...0x8a), (.linux6_7, 0x80...0x8c), (.linux6_11, 0x80...0x8e), (.linux6_13, 0x80...0x92),
        (.linux6_15, 0x80...0x93), (.linux6_17, 0x80...0x94), (.linux7_2, 0x80...0x94),
    ]

    @Test(arguments: expectedCommands)
    func missingIoctlsFailWithENOTTY(_ profile: KernelProfile, _ present: ClosedRange<UInt>) throws {
        let model = KernelModel(host: .empty, kernel: profile.withoutIOMMUFDTest)
        let fd = model.open("/dev/iommu", flags: O_RDWR)
        defer { _ = model.close(fd) }
        for nr in UInt(0x80)...0x96 {
            // A zero size is below every minimum: present ioctls say EINVAL.
            var words = [UInt32](repeating: 0, count: 16)
            let rc = rawCommand(model, fd, nr, &words)
            #expect(rc == (present.contains(nr) ? -EINVAL : -ENOTTY), "command 0x\(String(nr, radix: 16)) on \(profile)")
        }
        var words = [UInt32](repeating: 0, count: 18)
        words[0] = 72
        #expect(rawCommand(model, fd, 0xa0, &words) == -ENOTTY, "no IOMMU_TEST_CMD without CONFIG_IOMMUFD_TEST")
        #expect(model.kernelRelease() == profile.releaseString)
    }

    @Test func libraryErrorsNameTheRelease() throws {
        let model = KernelModel(host: .qemuIntelVTd(), kernel: .linux6_6)
        let iommufd = try IOMMUFD(backend: model)
        let error = caught { try iommufd.allocateFaultQueue() }
        #expect(error?.errno?.rawValue == ENOTTY)
        #expect(error?.code == .unsupportedByKernel)
        #expect(error?.hint.contains("Linux 6.6") == true)
    }

    @Test(arguments: KernelProfile.all)
    func hwptFlagsAcceptedByIOMMUFD(_ profile: KernelProfile) throws {
        let model = KernelModel(host: .empty, kernel: profile)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
        let release = profile.release
        for flags: HWPTAllocFlags in [.nestParent, .dirtyTracking, .pasid] {
            let expected: CInt? = release >= flags.introducedIn! ? nil : EOPNOTSUPP
            #expect(failure { try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: flags) } == expected,
                    "\(flags) on \(profile)")
        }
    }

    @Test func pasidFlagIsDefinedIn6_13ButRefused() throws {
        let model = KernelModel(host: .qemuIntelVTd(), kernel: .linux6_13)
        let iommufd = try IOMMUFD(backend: model)
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        let ioas = try iommufd.allocateIOAS()
        let error = caught { try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .pasid) }
        #expect(error?.errno?.rawValue == EOPNOTSUPP)
        #expect(error?.hint.contains("predates") == true)
        // And PASID attach does not exist yet: any attach flag is EINVAL.
        let hwpt = try device.attach(to: ioas)
        #expect(failure { try device.attach(to: hwpt, pasid: 1) } == EINVAL)
        #expect(failure { try device.detach(pasid: 1) } == EINVAL)
    }

    @Test func faultWithNestingParentIsRefusedFrom6_15() throws {
        for (profile, expected) in [(KernelProfile.linux6_13, nil), (.linux6_15, EOPNOTSUPP), (.linux7_2, EOPNOTSUPP)] as [(KernelProfile, CInt?)] {
            let model = KernelModel(host: .empty, kernel: profile)
            let iommufd = try IOMMUFD(backend: model)
            let ioas = try iommufd.allocateIOAS()
            let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
            let queue = try iommufd.allocateFaultQueue()
            #expect(failure { try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), flags: .nestParent, faultQueue: queue.id) } == expected,
                    "\(profile)")
        }
    }

    @Test func faultIDOnOldReleasesIsBeyondTheStructure() throws {
        // 6.7 knows a 40-byte IOMMU_HWPT_ALLOC: a non-zero fault_id at 40 is E2BIG.
        let model = KernelModel(host: .empty, kernel: .linux6_7)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
        let error = caught { try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas), faultQueue: FaultQueueID(rawValue: 9)) }
        #expect(error?.errno?.rawValue == E2BIG && error?.code == .unsupportedFeature)
    }

    @Test(arguments: KernelProfile.all)
    func hardwareInfoFieldsPerRelease(_ profile: KernelProfile) throws {
        let model = KernelModel(host: .empty, kernel: profile)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas, flags: .pasid)
        let info = try iommufd.hardwareInfo(for: mock.deviceID)
        let release = profile.release
        #expect(info.type == .unknown(0xfeed_beef))
        var capabilities: HardwareCapabilities = release >= KernelRelease(6, 7) ? .dirtyTracking : []
        if release >= KernelRelease(7, 1) { capabilities.insert(.pciATSNotSupported) }
        #expect(info.capabilities == capabilities, "\(profile)")
        #expect(info.maxPASIDLog2 == (release >= KernelRelease(6, 15) ? 20 : 0), "\(profile)")
        // Asking for a type: EOPNOTSUPP before 6.17, so the library falls back.
        let requested = try iommufd.hardwareInfo(for: mock.deviceID, requesting: .unknown(0xfeed_beef))
        #expect(requested.requestedTypeFellBack == (release < KernelRelease(6, 17)), "\(profile)")
        if release >= KernelRelease(6, 17) {
            #expect(failure { try iommufd.hardwareInfo(for: mock.deviceID, requesting: .intelVTd) } == nil)
        }
    }

    @Test func structureSizeRules() throws {
        let model = KernelModel(host: .qemuIntelVTd(), kernel: .linux6_6)
        let fd = model.open("/dev/iommu", flags: O_RDWR)
        defer { _ = model.close(fd) }
        var alloc: [UInt32] = [12, 0, 0, 0]
        #expect(rawCommand(model, fd, 0x81, &alloc) == 0 && alloc[2] == 1)
        alloc = [16, 0, 0, 0]
        #expect(rawCommand(model, fd, 0x81, &alloc) == 0 && alloc[2] == 2)
        alloc = [16, 0, 0, 5]
        #expect(rawCommand(model, fd, 0x81, &alloc) == -E2BIG)
        alloc = [11, 0, 0, 0]
        #expect(rawCommand(model, fd, 0x81, &alloc) == -EINVAL)
        // GET_HW_INFO is 32 bytes on 6.6: a non-zero out_capabilities input is E2BIG…
        var info = [UInt32](repeating: 0, count: 10)
        info[0] = 40
        info[2] = 1
        info[8] = 1
        #expect(rawCommand(model, fd, 0x8a, &info) == -E2BIG)
        // …and the 6.6 reserved word (now out_max_pasid_log2) must be zero.
        info[8] = 0
        info[7] = 1
        #expect(rawCommand(model, fd, 0x8a, &info) == -EOPNOTSUPP)
        // A short structure is zero-extended: dev_id 1 is the IOAS, not a device.
        info = [UInt32](repeating: 0, count: 10)
        info[0] = 32
        info[2] = 1
        #expect(rawCommand(model, fd, 0x8a, &info) == -ENOENT)
    }

    @Test func outputFieldsBeyondTheReleaseAreNotWritten() throws {
        let model = KernelModel(host: .qemuIntelVTd(), kernel: .linux6_6)
        let iommufd = try IOMMUFD(backend: model)
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        var info = [UInt32](repeating: 0, count: 10)
        info[0] = 40
        info[2] = id.rawValue
        info[9] = 0xdead
        // 0xdead sits in out_capabilities' high word: beyond 6.6's 32 bytes and not zero.
        #expect(rawCommand(model, iommufd.descriptor.rawValue, 0x8a, &info) == -E2BIG)
        info[9] = 0
        #expect(rawCommand(model, iommufd.descriptor.rawValue, 0x8a, &info) == 0)
        #expect(info[6] == 1, "out_data_type")
        #expect(info[8] == 0 && info[9] == 0, "no out_capabilities on 6.6")
        let typed = try iommufd.hardwareInfo(for: id)
        #expect(typed.capabilities == [] && typed.type == .intelVTd)
    }

    @Test func vfioBindStructurePerRelease() throws {
        for profile in [KernelProfile.linux6_15, .linux7_2] {
            let model = KernelModel(host: .qemuIntelVTd(), kernel: profile)
            let iommufd = model.open("/dev/iommu", flags: O_RDWR)
            let device = model.open("/dev/vfio/devices/vfio0", flags: O_RDWR)
            // argsz 32 with a non-zero word past the 24-byte 7.2 structure.
            var bind: [UInt32] = [32, 0, UInt32(iommufd), 0, 0, 0, 0, 7]
            let rc = bind.withUnsafeMutableBytes { model.ioctl(device, request: request(100 + 18), argument: $0.baseAddress!) }
            // 6.15 reads only 16 bytes; 7.2 uses copy_struct_from_user.
            #expect(rc == (profile == .linux6_15 ? 0 : -E2BIG), "\(profile)")
            _ = model.close(device)
            _ = model.close(iommufd)
            #expect(model.isQuiescent)
        }
    }

    @Test func amdInfoTypeIsTooNewFor6_17() throws {
        let model = KernelModel(host: .qemuAMD(), kernel: .linux6_17)
        let iommufd = try IOMMUFD(backend: model)
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        #expect(try iommufd.hardwareInfo(for: id).type == .none)
    }

    @Test func profileQueries() {
        #expect(KernelProfile.linux6_6.pagingHWPTFlags == [])
        #expect(KernelProfile.linux6_11.nestedHWPTFlags == .faultIDValid)
        #expect(KernelProfile.linux7_2.pagingHWPTFlags == [.nestParent, .dirtyTracking, .faultIDValid, .pasid])
        #expect(!KernelProfile.linux6_13.supports(.veventqAlloc) && KernelProfile.linux6_15.supports(.veventqAlloc))
        #expect(KernelProfile.linux6_6.supports(.vfioDeviceBindIOMMUFD))
        #expect(KernelProfile.all.map(\.description) == ["Linux 6.6", "Linux 6.7", "Linux 6.11", "Linux 6.13", "Linux 6.15", "Linux 6.17", "Linux 7.2"])
    }
}

@Suite("Kernel release profiles: HWPT parents")
struct KernelProfileParentTests {
    @Test(arguments: [(KernelProfile.linux6_6, EINVAL), (.linux6_7, EOPNOTSUPP), (.linux7_2, EOPNOTSUPP)])
    func nestedParentsNeedData(_ profile: KernelProfile, _ errno: CInt) throws {
        let model = KernelModel(host: .empty, kernel: profile)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
        let paging = try iommufd.allocateHWPT(for: mock.deviceID, on: .ioas(ioas))
        #expect(failure { try iommufd.allocateHWPT(for: mock.deviceID, on: .nestingParent(paging)) } == errno, "\(profile)")
    }
}
