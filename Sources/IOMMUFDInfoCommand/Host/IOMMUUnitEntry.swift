import IOMMUFD

/// One IOMMU unit of `/sys/class/iommu`, with the registers its driver
/// publishes there (readable without root).
struct IOMMUUnitEntry: Sendable, Equatable {
    /// The kinds of unit `iommufd-info` recognises.
    enum Kind: String, Sendable, Equatable {
        /// Intel VT-d (`dmarN`, `intel-iommu/` attributes).
        case intelVTd = "intel-vtd"
        /// AMD-Vi (`ivhdN`, `amd-iommu/` attributes).
        case amd
        /// ARM SMMUv3 (`smmu3.0x…`).
        case armSMMUv3 = "arm-smmuv3"
        /// virtio-iommu.
        case virtio
        /// The mock IOMMU of a kernel built with `CONFIG_IOMMUFD_TEST`.
        case iommufdSelftest = "iommufd-selftest"
        /// Anything else.
        case unknown

        /// A human name.
        var displayName: String {
            switch self {
            case .intelVTd: "Intel VT-d"
            case .amd: "AMD IOMMU"
            case .armSMMUv3: "ARM SMMUv3"
            case .virtio: "virtio-iommu"
            case .iommufdSelftest: "iommufd test mock (CONFIG_IOMMUFD_TEST)"
            case .unknown: "unknown"
            }
        }
    }

    /// One register value published in sysfs.
    struct Register: Sendable, Equatable {
        /// Its name, e.g. `cap`.
        var name: String
        /// Its value.
        var value: UInt64
    }

    /// The unit's name, e.g. `dmar0`.
    var name: String
    /// The kind.
    var kind: Kind
    /// The canonical sysfs directory.
    var sysfsPath: String?
    /// The registers read from sysfs, in a fixed order (`cap`, `ecap`; `efr`, `efr2`).
    var registers: [Register]
    /// The devices behind the unit (entries of its `devices` directory).
    var deviceCount: Int?

    /// The offline decode command for the registers, if they are known.
    var decodeCommand: String? {
        func value(_ name: String) -> UInt64? { registers.first { $0.name == name }?.value }
        switch kind {
        case .intelVTd:
            guard let cap = value("cap"), let ecap = value("ecap") else { return nil }
            return "iommufd-info decode vtd --cap \(hex(cap, 16)) --ecap \(hex(ecap, 16))"
        case .amd:
            guard let efr = value("efr") else { return nil }
            let efr2 = value("efr2").map { $0 == 0 ? "" : " --efr2 \(hex($0, 16))" } ?? ""
            return "iommufd-info decode amd --efr \(hex(efr, 16))" + efr2
        default:
            return nil
        }
    }
}

extension IOMMUUnitEntry {
    /// Every unit of `/sys/class/iommu`, in natural order.
    static func scan(_ sysfs: SysfsReader) -> [IOMMUUnitEntry] {
        (sysfs.entries("/sys/class/iommu") ?? []).sorted(by: naturalOrder).map { name in
            let directory = sysfs.backend.canonicalPath("/sys/class/iommu/" + name)
            let base = directory ?? "/sys/class/iommu/" + name
            var registers: [Register] = []
            let kind: Kind
            if let cap = sysfs.hex(base + "/intel-iommu/cap") {
                kind = .intelVTd
                registers.append(Register(name: "cap", value: cap))
                if let ecap = sysfs.hex(base + "/intel-iommu/ecap") { registers.append(Register(name: "ecap", value: ecap)) }
            } else if let features = sysfs.text(base + "/amd-iommu/features") {
                kind = .amd
                // Linux prints "EFR:EFR2" (EFR alone before 6.9).
                let parts = features.split(separator: ":", omittingEmptySubsequences: false)
                if let efr = try? HexValue.parse(String(parts[0])).get() { registers.append(Register(name: "efr", value: efr)) }
                if parts.count > 1, let efr2 = try? HexValue.parse(String(parts[1])).get() {
                    registers.append(Register(name: "efr2", value: efr2))
                }
            } else if name.hasPrefix("dmar") {
                kind = .intelVTd
            } else if name.hasPrefix("ivhd") {
                kind = .amd
            } else if name.hasPrefix("smmu3.") {
                kind = .armSMMUv3
            } else if name.hasPrefix("iommufd_selftest") {
                kind = .iommufdSelftest
            } else if name.hasPrefix("virtio") || base.contains("/virtio") {
                kind = .virtio
            } else {
                kind = .unknown
            }
            return IOMMUUnitEntry(name: name, kind: kind, sysfsPath: directory, registers: registers,
                                  deviceCount: sysfs.entries(base + "/devices")?.count)
        }
    }
}
