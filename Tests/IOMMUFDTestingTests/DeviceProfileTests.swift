#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

@Suite("Device profiles and hosts")
struct DeviceProfileTests {
    @Test func qemuIntelVTdReportsTheVMsValues() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        let info = try iommufd.hardwareInfo(for: id)
        #expect(info.type == .intelVTd)
        #expect(info.vendorData == .intelVTd(IntelVTdHardwareInfo(
            flags: .errata772415SPR17, capReg: 0x00d2_008c_222f_0606, ecapReg: 0x0000_4900_80f0_0f4a)))
        #expect(info.capabilities == .pciATSNotSupported)
        #expect(info.maxPASIDLog2 == 0)
        #expect(info.vendorDataLength == 24)
        let ioas = try iommufd.allocateIOAS()
        for flags: HWPTAllocFlags in [[], .pasid] {
            let hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: flags)
            try iommufd.destroy(hwpt)
        }
        for flags: HWPTAllocFlags in [.nestParent, .dirtyTracking, [.nestParent, .pasid]] {
            #expect(failure { try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: flags) } == EOPNOTSUPP)
        }
        let deviceInfo = try device.info()
        #expect(deviceInfo.flags == .pci && deviceInfo.regionCount == 9 && deviceInfo.irqCount == 5)
        #expect(try device.readConfigSpace().prefix(4) == [0x34, 0x12, 0xe8, 0x11])
    }

    @Test func intelFlagsFollowTheCapabilityRegisters() {
        let vm = DeviceProfile.intelVTd()
        #expect(vm.hwptFlags == .pasid && !vm.dirtyTracking)
        let capable = DeviceProfile.intelVTd(extendedCapability: 0x0001_6900_84f0_0f4a)
        #expect(capable.hwptFlags == [.pasid, .nestParent, .dirtyTracking] && capable.dirtyTracking)
        #expect(capable.nestedData?.type == 1)
        let firstStage = DeviceProfile.intelVTd(capability: 0x01d2_008c_222f_0606, extendedCapability: 0x0000_8900_00f0_0f4a)
        #expect(firstStage.hwptFlags == .pasid)
        #expect(firstStage.aperture == IOVARange(start: 0, last: 0x7fff_ffff_ffff))
        #expect(vm.aperture == IOVARange(start: 0, last: 0xffff_ffff_ffff))
        #expect(vm.compatibilityGroup != capable.compatibilityGroup)
    }

    @Test func amdAndVirtioHosts() throws {
        let amd = KernelModel(host: .qemuAMD(), kernel: .linux7_2)
        do {
            let iommufd = try IOMMUFD(backend: amd)
            var device = try VFIODevice(opening: "vfio0", backend: amd)
            let id = try device.bind(to: iommufd)
            let info = try iommufd.hardwareInfo(for: id)
            #expect(info.vendorData == .amd(AMDHardwareInfo(efr: 0x29d3, efr2: 0)))
            let ioas = try iommufd.allocateIOAS()
            #expect(failure { try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .pasid) } == EOPNOTSUPP)
            try device.attach(to: ioas)
            #expect(rangesText(try iommufd.iovaRanges(of: ioas)) == "0x0-0xfedfffff,0xfef00000-0xfcffffffff,0x10000000000-0xffffffffffffffff")
        }
        let virtio = KernelModel(host: .qemuVirtioIOMMU(), kernel: .linux7_2)
        do {
            let iommufd = try IOMMUFD(backend: virtio)
            var device = try VFIODevice(opening: "vfio0", backend: virtio)
            let id = try device.bind(to: iommufd)
            let info = try iommufd.hardwareInfo(for: id)
            #expect(info.type == .none && info.vendorDataLength == 0 && info.vendorData == .none)
            let ioas = try iommufd.allocateIOAS()
            #expect(failure { try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .pasid) } == EOPNOTSUPP)
            try device.attach(to: ioas)
            #expect(try iommufd.iovaRanges(of: ioas).ranges.last?.last == 0x7f_ffff_ffff)
        }
    }

    @Test func domainsOfIncompatibleIOMMUsAreRefusedBothWays() throws {
        let model = KernelModel(host: .twoIntelVTdUnits())
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var first = try VFIODevice(opening: "vfio0", backend: model)
        var second = try VFIODevice(opening: "0000:80:01.0", backend: model)
        let firstID = try first.bind(to: iommufd)
        let secondID = try second.bind(to: iommufd)
        let mine = try iommufd.allocateHWPT(for: firstID, on: .ioas(ioas))
        let theirs = try iommufd.allocateHWPT(for: secondID, on: .ioas(ioas), flags: .dirtyTracking)
        let error = caught { try second.attach(to: mine) }
        #expect(error?.errno?.rawValue == EINVAL && error?.code == .incompatibleDomain)
        #expect(failure { try first.attach(to: theirs) } == EINVAL)
        // The automatic domain of the first unit is skipped for the second device.
        let autoFirst = try first.attach(to: ioas)
        let autoSecond = try second.attach(to: ioas)
        #expect(autoFirst != autoSecond)
        #expect(model.liveObjects.filter(\.isAutomaticDomain).count == 2)
        #expect(failure { try second.attach(to: autoFirst) } == EINVAL)
    }

    @Test func incompatibleUnitsPresetSharesWithinAUnitOnly() throws {
        let host = ModelHost.incompatibleIntelVTdUnits(3, devicesPerUnit: 2)
        #expect(host.iommus.count == 3 && host.devices.count == 6)
        #expect(host.devices.map(\.iommu) == ["dmar0", "dmar0", "dmar1", "dmar1", "dmar2", "dmar2"])
        #expect(Set(host.devices.map(\.iommuGroup)).count == 6)
        let model = KernelModel(host: host)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var a0 = try VFIODevice(opening: "vfio0", backend: model)
        var a1 = try VFIODevice(opening: "0000:00:02.0", backend: model)
        var b0 = try VFIODevice(opening: "0000:01:01.0", backend: model)
        let hwpt = try iommufd.allocateHWPT(for: try a0.bind(to: iommufd), on: .ioas(ioas))
        _ = try a1.bind(to: iommufd)
        _ = try b0.bind(to: iommufd)
        #expect(try a1.attach(to: hwpt) == hwpt)                  // same unit: shared
        #expect(failure { try b0.attach(to: hwpt) } == EINVAL)    // another unit: incompatible
    }

    @Test func mediatedDevicesBindAsAccessObjects() throws {
        let parent = PCIAddress(bus: 0, device: 2, function: 0)!
        var host = ModelHost.qemuIntelVTd(devices: 1)
        host.devices.append(.mediated(uuid: "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001", parent: parent, vfioIndex: 1, iommuGroup: 7))
        let model = KernelModel(host: host)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var mdev = try VFIODevice(opening: "vfio1", backend: model)
        let mediated = mdev.isMediated
        #expect(mediated)
        #expect(mdev.location.pciAddress == nil)
        let id = try mdev.bind(to: iommufd)
        #expect(model.liveObjects.first { $0.id == id.rawValue }?.kind == .access)
        #expect(failure { try iommufd.hardwareInfo(for: id) } == ENOENT)
        #expect(failure { try iommufd.allocateHWPT(for: id, on: .ioas(ioas)) } == ENOENT)
        #expect(failure { try mdev.attach(to: ioas, pasid: 1) } == EOPNOTSUPP)
        // An access attaches to an IOAS directly; pt_id is left as given.
        #expect(try mdev.attach(to: ioas) == HWPTID(rawValue: ioas.rawValue))
        #expect(try iommufd.iovaRanges(of: ioas).alignment == 0x1000)
        #expect(failure { try iommufd.destroy(ioas) } == EBUSY)
        #expect(failure { try iommufd.destroy(IOASID(rawValue: id.rawValue)) } == EBUSY)
        try mdev.detach()
        #expect(try iommufd.iovaRanges(of: ioas).alignment == 1)
        try iommufd.destroy(ioas)
        var pci = try VFIODevice(opening: "vfio0", backend: model)
        let pciMediated = pci.isMediated
        #expect(!pciMediated)
        try pci.bind(to: iommufd)
    }

    @Test func pasidWidthLimitsPASIDs() throws {
        var profile = DeviceProfile.intelVTd()
        profile.maxPASIDLog2 = 5
        profile.pasidExecute = true
        var host = ModelHost.qemuIntelVTd(devices: 1)
        host.devices[0].profile = profile
        let model = KernelModel(host: host)
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        let info = try iommufd.hardwareInfo(for: id)
        #expect(info.maxPASIDLog2 == 5)
        #expect(info.capabilities == [.pciATSNotSupported, .pciPASIDExec])
        let hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .pasid)
        try device.attach(to: hwpt)
        #expect(failure { try device.attach(to: hwpt, pasid: 32) } == EINVAL)
        #expect(try device.attach(to: hwpt, pasid: 31) == hwpt)
    }

    @Test func pasidRulesInBothDirections() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        let ioas = try iommufd.allocateIOAS()
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let id = try device.bind(to: iommufd)
        let plain = try iommufd.allocateHWPT(for: id, on: .ioas(ioas))
        let capable = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .pasid)
        try device.attach(to: plain)
        let refused = caught { try device.attach(to: capable, pasid: 1) }
        #expect(refused?.errno?.rawValue == EINVAL && refused?.code == .incompatibleDomain)
        try device.attach(to: capable)
        try device.attach(to: capable, pasid: 1)
        #expect(failure { try device.attach(to: plain) } == EINVAL)
        #expect(model.liveObjects.first { $0.id == capable.rawValue }?.attachments.map(\.pasid) == [0, 1])
        try device.detach(pasid: 1)
        try device.attach(to: plain)
    }

    @Test(arguments: [
        (DeviceUse.boundByAnotherProcess, EINVAL), (.groupOpenedByLegacyVFIO, EBUSY), (.groupClaimedElsewhere, EPERM),
    ])
    func otherUsersMakeBindFail(_ use: DeviceUse, _ errno: CInt) throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        try model.setUse(use, ofDevice: 0)
        let iommufd = try IOMMUFD(backend: model)
        var device = try VFIODevice(opening: "vfio0", backend: model)
        #expect(failure { try device.bind(to: iommufd) } == errno)
        try model.setUse(.available, ofDevice: 0)
        #expect(try device.bind(to: iommufd).rawValue == 1)
    }

    @Test func oneCdevCanBeBoundOnlyOnce() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        var first = try VFIODevice(opening: "vfio0", backend: model)
        var second = try VFIODevice(opening: "/dev/vfio/devices/vfio0", backend: model)
        try first.bind(to: iommufd)
        #expect(failure { try second.bind(to: iommufd) } == EINVAL)
        first.close()
        try second.bind(to: iommufd)
    }

    @Test func groupOwnershipIsPerIOMMUFD() throws {
        var host = ModelHost.qemuIntelVTd(devices: 2)
        host.devices[1].iommuGroup = 1
        let model = KernelModel(host: host)
        let a = try IOMMUFD(backend: model)
        let b = try IOMMUFD(backend: model)
        var first = try VFIODevice(opening: "vfio0", backend: model)
        var second = try VFIODevice(opening: "vfio1", backend: model)
        try first.bind(to: a)
        #expect(failure { try second.bind(to: b) } == EPERM)
        try second.bind(to: a)
        // Devices of one group follow one page table.
        let ioas = try a.allocateIOAS()
        let hwpt = try first.attach(to: ioas)
        let secondID = second.deviceID!
        let other = try a.allocateHWPT(for: secondID, on: .ioas(ioas))
        #expect(failure { try second.attach(to: other) } == EINVAL)
        #expect(try second.attach(to: ioas) == hwpt)
    }

    @Test func withoutInterruptRemappingBindNeedsTheUnsafeOption() throws {
        var host = ModelHost.qemuIntelVTd(devices: 1)
        host.interruptRemapping = false
        let strict = KernelModel(host: host)
        do {
            let iommufd = try IOMMUFD(backend: strict)
            var device = try VFIODevice(opening: "vfio0", backend: strict)
            let error = caught { try device.bind(to: iommufd) }
            #expect(error?.errno?.rawValue == EPERM && error?.code == .permissionDenied)
        }
        host.allowUnsafeInterrupts = true
        let lax = KernelModel(host: host)
        let iommufd = try IOMMUFD(backend: lax)
        var device = try VFIODevice(opening: "vfio0", backend: lax)
        #expect(try device.bind(to: iommufd).rawValue == 1)
    }

    @Test func vfToken() throws {
        let model = KernelModel(host: .qemuIntelVTd(devices: 1))
        let iommufd = try IOMMUFD(backend: model)
        var device = try VFIODevice(opening: "vfio0", backend: model)
        let token = try #require(VFToken(uuid: "2ab74924-c335-45f4-9b16-8569e5b08258"))
        #expect(failure { try device.bind(to: iommufd, token: token) } == EINVAL)
    }
}
