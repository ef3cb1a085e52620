internal import CIOMMUFD
internal import CIOMMUFDSelftest
public import IOMMUFD

/// An IOMMU driver as the kernel's `iommu_ops`: page tables (domains) made
/// by one driver can never be attached to a device of another (`EINVAL`).
public struct IOMMUDriver: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// A short name, e.g. `intel-iommu`.
    public let rawValue: String
    /// Names a driver.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Intel VT-d (`intel-iommu`).
    public static let intelVTd = IOMMUDriver(rawValue: "intel-iommu")
    /// AMD-Vi (`amd-iommu`).
    public static let amd = IOMMUDriver(rawValue: "amd-iommu")
    /// ARM SMMUv3.
    public static let armSMMUv3 = IOMMUDriver(rawValue: "arm-smmu-v3")
    /// virtio-iommu.
    public static let virtio = IOMMUDriver(rawValue: "virtio-iommu")
    /// The kernel's `CONFIG_IOMMUFD_TEST` mock IOMMU.
    public static let kernelMock = IOMMUDriver(rawValue: "iommufd-mock")
    /// The name.
    public var description: String { rawValue }
}

/// What the kernel's IOMMU driver reports and decides for one device: the
/// `IOMMU_GET_HW_INFO` answer, which HWPT flags its domains accept, its
/// domains' geometry, and which domains it can share with other devices.
///
/// Build one with a preset (``intelVTd(capability:extendedCapability:flags:scalableMode:instance:)``,
/// ``amd(efr:efr2:instance:)``, ``virtio(instance:)``, ``kernelMock(noDirty:pasid:)``)
/// and adjust fields for a what-if test.
public struct DeviceProfile: Sendable, Hashable {
    /// The driver; domains never cross drivers.
    public var driver: IOMMUDriver
    /// The IOMMU instance the device sits behind (`dmar0`); a vIOMMU and its
    /// nested HWPTs only serve devices of the same instance.
    public var iommuInstance: String
    /// Devices whose profiles share this key can share paging domains; a
    /// domain made for a device of another group is refused with `EINVAL`
    /// on attach, as the drivers' compatibility checks do on multi-IOMMU hosts.
    public var compatibilityGroup: String
    /// The info type `IOMMU_GET_HW_INFO` reports; `.none` for drivers
    /// without the `hw_info` operation (virtio-iommu).
    public var hardwareInfoType: HardwareInfoType
    /// The vendor data bytes `IOMMU_GET_HW_INFO` returns (e.g. the 24 bytes of
    /// `struct iommu_hw_info_vtd`).
    public var vendorData: [UInt8]
    /// `IOMMU_CAP_DIRTY_TRACKING`: reported as a capability, and required by
    /// HWPTs with ``HWPTAllocFlags/dirtyTracking``.
    public var dirtyTracking: Bool
    /// `IOMMU_CAP_PCI_ATS_SUPPORTED`; without it Linux 7.1+ reports
    /// ``HardwareCapabilities/pciATSNotSupported``.
    public var atsSupported: Bool
    /// log2 of the device's usable PASIDs (`dev->iommu->max_pasids`); 0: none.
    public var maxPASIDLog2: UInt8
    /// The device's PASID control register allows execute (PCI only).
    public var pasidExecute: Bool
    /// The device's PASID control register allows privileged mode (PCI only).
    public var pasidPrivileged: Bool
    /// The flags the driver's `domain_alloc_paging_flags` accepts; others fail
    /// with `EOPNOTSUPP` (after iommufd's own check of the release's flags).
    public var hwptFlags: HWPTAllocFlags
    /// Whether the driver can make paging domains with flags at all
    /// (`domain_alloc_paging_flags`); virtio-iommu cannot.
    public var allocatesWithFlags: Bool
    /// The IOVA aperture of the driver's paging domains.
    public var aperture: IOVARange
    /// The smallest IOMMU page size: the IOAS's IOVA alignment while a
    /// domain of this driver is in it.
    public var pageSize: UInt64
    /// The device's reserved IOVA regions (MSI window, RMRRs): they leave
    /// the usable IOVA ranges of an IOAS while the device is attached.
    public var reservedRegions: [IOVARange]
    /// Whether the driver's domains can serve PASIDs (`set_dev_pasid`).
    public var pasidDomains: Bool
    /// The `data_type` the driver's nested domains take, with its minimum length.
    public var nestedData: (type: UInt32, minimumLength: Int)?
    /// The `type`s `IOMMU_VIOMMU_ALLOC` accepts for the device.
    public var viommuTypes: [UInt32]
    /// The entry type `IOMMU_HWPT_INVALIDATE` accepts on a nested HWPT.
    public var nestedInvalidationType: UInt32?
    /// The entry type `IOMMU_HWPT_INVALIDATE` accepts on a vIOMMU.
    public var viommuInvalidationType: UInt32?
    /// `IOMMU_CAP_CACHE_COHERENCY`; binding fails with `EINVAL` without it.
    public var cacheCoherent: Bool

    /// Creates a profile; every field is documented on its property.
    public init(
        driver: IOMMUDriver, iommuInstance: String, compatibilityGroup: String,
        hardwareInfoType: HardwareInfoType, vendorData: [UInt8], dirtyTracking: Bool = false,
        atsSupported: Bool = false, maxPASIDLog2: UInt8 = 0, pasidExecute: Bool = false,
        pasidPrivileged: Bool = false, hwptFlags: HWPTAllocFlags = [], allocatesWithFlags: Bool = true,
        aperture: IOVARange, pageSize: UInt64 = 4096, reservedRegions: [IOVARange] = [],
        pasidDomains: Bool = false, nestedData: (type: UInt32, minimumLength: Int)? = nil,
        viommuTypes: [UInt32] = [], nestedInvalidationType: UInt32? = nil, viommuInvalidationType: UInt32? = nil,
        cacheCoherent: Bool = true
    ) {
        self.driver = driver
        self.iommuInstance = iommuInstance
        self.compatibilityGroup = compatibilityGroup
        self.hardwareInfoType = hardwareInfoType
        self.vendorData = vendorData
        self.dirtyTracking = dirtyTracking
        self.atsSupported = atsSupported
        self.maxPASIDLog2 = maxPASIDLog2
        self.pasidExecute = pasidExecute
        self.pasidPrivileged = pasidPrivileged
        self.hwptFlags = hwptFlags
        self.allocatesWithFlags = allocatesWithFlags
        self.aperture = aperture
        self.pageSize = pageSize
        self.reservedRegions = reservedRegions
        self.pasidDomains = pasidDomains
        self.nestedData = nestedData
        self.viommuTypes = viommuTypes
        self.nestedInvalidationType = nestedInvalidationType
        self.viommuInvalidationType = viommuInvalidationType
        self.cacheCoherent = cacheCoherent
    }

    /// Compares every field.
    public static func == (lhs: DeviceProfile, rhs: DeviceProfile) -> Bool {
        lhs.driver == rhs.driver && lhs.iommuInstance == rhs.iommuInstance
            && lhs.compatibilityGroup == rhs.compatibilityGroup && lhs.hardwareInfoType == rhs.hardwareInfoType
            && lhs.vendorData == rhs.vendorData && lhs.dirtyTracking == rhs.dirtyTracking
            && lhs.atsSupported == rhs.atsSupported && lhs.maxPASIDLog2 == rhs.maxPASIDLog2
            && lhs.pasidExecute == rhs.pasidExecute && lhs.pasidPrivileged == rhs.pasidPrivileged
            && lhs.hwptFlags == rhs.hwptFlags && lhs.allocatesWithFlags == rhs.allocatesWithFlags
            && lhs.aperture == rhs.aperture && lhs.pageSize == rhs.pageSize
            && lhs.reservedRegions == rhs.reservedRegions && lhs.pasidDomains == rhs.pasidDomains
            && lhs.nestedData?.type == rhs.nestedData?.type
            && lhs.nestedData?.minimumLength == rhs.nestedData?.minimumLength
            && lhs.viommuTypes == rhs.viommuTypes && lhs.nestedInvalidationType == rhs.nestedInvalidationType
            && lhs.viommuInvalidationType == rhs.viommuInvalidationType && lhs.cacheCoherent == rhs.cacheCoherent
    }

    /// Hashes the identifying fields.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(driver)
        hasher.combine(iommuInstance)
        hasher.combine(compatibilityGroup)
        hasher.combine(vendorData)
        hasher.combine(maxPASIDLog2)
    }

    /// The x86 MSI window every x86 IOMMU driver reserves.
    public static let x86MSIWindow = IOVARange(start: 0xfee0_0000, last: 0xfeef_ffff)

    /// An Intel VT-d unit, from its CAP and ECAP registers, deciding what
    /// the 7.2 driver does: first-stage domains when scalable mode and FLTS
    /// allow (PASID flag only), otherwise second stage (nesting parent needs
    /// ECAP.NEST, dirty tracking needs ECAP.SLADS and SMPWC; PASID always).
    ///
    /// The defaults are QEMU's `intel-iommu,x-scalable-mode=on,x-pasid-mode=on,aw-bits=48`
    /// as measured in the project's VM (`cap 0x00d2008c222f0606`, `ecap 0x0000490080f00f4a`,
    /// flags `0x1`).
    public static func intelVTd(
        capability: UInt64 = 0x00d2_008c_222f_0606, extendedCapability: UInt64 = 0x0000_4900_80f0_0f4a,
        flags: UInt32 = 0x1, scalableMode: Bool = true, instance: String = "dmar0"
    ) -> DeviceProfile {
        let ecap = extendedCapability, cap = capability
        func bit(_ value: UInt64, _ n: UInt64) -> Bool { (value >> n) & 1 == 1 }
        let sm = scalableMode && bit(ecap, 43)
        let flts = bit(ecap, 47), slts = bit(ecap, 46), nest = bit(ecap, 26), slads = bit(ecap, 45)
        let smpwc = bit(ecap, 48)
        let ssads = sm && slads && smpwc
        var accepted: HWPTAllocFlags = []
        let firstStage = sm && flts
        if firstStage {
            accepted = [.pasid]
        } else if !sm || slts {
            accepted = [.pasid]
            if sm && nest { accepted.insert(.nestParent) }
            if ssads { accepted.insert(.dirtyTracking) }
        }
        let mgaw = Int((cap >> 16) & 0x3f) + 1
        let vasz = firstStage ? 47 : min(48, mgaw)
        var data: [UInt8] = []
        append(flags, to: &data)
        append(UInt32(0), to: &data)
        append(cap, to: &data)
        append(ecap, to: &data)
        return DeviceProfile(
            driver: .intelVTd, iommuInstance: instance,
            compatibilityGroup: "intel-vtd:\(hexDigits(cap)):\(hexDigits(ecap))",
            hardwareInfoType: .intelVTd, vendorData: data, dirtyTracking: ssads, hwptFlags: accepted,
            aperture: IOVARange(start: 0, last: (UInt64(1) << UInt64(vasz)) - 1), pageSize: 4096,
            reservedRegions: [x86MSIWindow], pasidDomains: true,
            nestedData: sm && nest ? (UInt32(IOMMU_HWPT_DATA_VTD_S1.rawValue), 24) : nil,
            nestedInvalidationType: sm && nest ? UInt32(IOMMU_HWPT_INVALIDATE_DATA_VTD_S1.rawValue) : nil)
    }

    /// An AMD-Vi unit with the EFR/EFR2 registers of QEMU's `amd-iommu`
    /// (`efr 0x29d3`): no HWPT flag is accepted, the MSI window and the
    /// HyperTransport range are reserved.
    public static func amd(efr: UInt64 = 0x29d3, efr2: UInt64 = 0, instance: String = "ivhd0") -> DeviceProfile {
        var data: [UInt8] = []
        append(efr, to: &data)
        append(efr2, to: &data)
        return DeviceProfile(
            driver: .amd, iommuInstance: instance, compatibilityGroup: "amd:\(hexDigits(efr)):\(hexDigits(efr2))",
            hardwareInfoType: .amd, vendorData: data, hwptFlags: [],
            aperture: IOVARange(start: 0, last: .max), pageSize: 4096,
            reservedRegions: [x86MSIWindow, IOVARange(start: 0xfd_0000_0000, last: 0xff_ffff_ffff)])
    }

    /// A virtio-iommu endpoint (QEMU `virtio-iommu-pci`): no `hw_info`
    /// (type NONE), no allocation flags, a 39-bit aperture.
    public static func virtio(instance: String = "0000:00:04.0") -> DeviceProfile {
        DeviceProfile(
            driver: .virtio, iommuInstance: instance, compatibilityGroup: "virtio:\(instance)",
            hardwareInfoType: .none, vendorData: [], allocatesWithFlags: false,
            aperture: IOVARange(start: 0, last: 0x7f_ffff_ffff), pageSize: 4096, reservedRegions: [x86MSIWindow])
    }

    /// The kernel's mock device (`IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS`): info type
    /// `0xfeedbeef` with `test_reg 0xdeadbeef`, dirty tracking unless
    /// `noDirty`, a 20-bit PASID space with `pasid`, every HWPT flag, the
    /// aperture `0x1000000-0x7fffffff` and 2 KiB pages.
    public static func kernelMock(noDirty: Bool = false, pasid: Bool = false) -> DeviceProfile {
        var data: [UInt8] = []
        append(UInt32(0), to: &data)
        append(UInt32(IOMMU_HW_INFO_SELFTEST_REGVAL), to: &data)
        var flags: HWPTAllocFlags = [.nestParent, .pasid]
        if !noDirty { flags.insert(.dirtyTracking) }
        return DeviceProfile(
            driver: .kernelMock, iommuInstance: "iommufd_selftest_iommu", compatibilityGroup: "mock",
            hardwareInfoType: .unknown(UInt32(IOMMU_HW_INFO_TYPE_SELFTEST)), vendorData: data,
            dirtyTracking: !noDirty, maxPASIDLog2: pasid ? UInt8(MOCK_PASID_WIDTH) : 0, hwptFlags: flags,
            aperture: IOVARange(start: UInt64(MOCK_APERTURE_START), last: UInt64(MOCK_APERTURE_LAST)),
            pageSize: UInt64(MOCK_PAGE_SIZE), pasidDomains: true,
            nestedData: (0xdead, 4), viommuTypes: [0xdead_beef],
            nestedInvalidationType: 0xdead_beef, viommuInvalidationType: 0xdead_beef)
    }
}

func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}

func hexDigits<T: FixedWidthInteger>(_ value: T) -> String {
    String(value, radix: 16)
}
