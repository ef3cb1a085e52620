internal import CIOMMUFD
import IOMMUFD
import SystemPackage

func infoText(_ info: HardwareInfo) -> [TranscriptValue] {
    var values = [TranscriptValue("type", info.type.identifier),
                  TranscriptValue("data_len", "\(info.vendorDataLength)"),
                  TranscriptValue("capabilities", hexText(info.capabilities.rawValue)),
                  TranscriptValue("max_pasid_log2", "\(info.maxPASIDLog2)")]
    switch info.vendorData {
    case .none: break
    case .intelVTd(let vtd):
        values += [TranscriptValue("flags", hexText(vtd.flags.rawValue)), TranscriptValue("cap", hexText(vtd.capReg)),
                   TranscriptValue("ecap", hexText(vtd.ecapReg))]
    case .amd(let amd): values += [TranscriptValue("efr", hexText(amd.efr)), TranscriptValue("efr2", hexText(amd.efr2))]
    case .armSMMUv3(let smmu): values.append(TranscriptValue("idr", smmu.idr.map { hexText($0) }.joined(separator: ",")))
    case .tegra241CMDQV(let cmdqv): values.append(TranscriptValue("version", "\(cmdqv.version)"))
    case .unknown(_, let bytes): values.append(TranscriptValue("data", bytesText(bytes)))
    }
    if info.requestedType != nil { values.append(TranscriptValue("fell_back", "\(info.requestedTypeFellBack)")) }
    return values
}

/// Issues a raw VFIO ioctl on a device and records the errno or success.
func rawDeviceIoctl<T>(_ run: ScenarioRun, _ name: String, _ device: borrowing VFIODevice, _ request: UInt, _ command: inout T) {
    rawIoctl(run, name, descriptor: device.descriptor.rawValue, request, &command)
}

extension DifferentialScenarios {
    static func bind(_ run: ScenarioRun, _ device: inout VFIODevice, _ iommufd: borrowing IOMMUFD, _ name: String) -> BoundDeviceID? {
        do throws(IOMMUFDError) {
            let id = try device.bind(to: iommufd)
            run.record("bind \(name)", [TranscriptValue("device", run.label(id))])
            return id
        } catch {
            run.failure("bind \(name)", error)
            return nil
        }
    }

    @discardableResult
    static func alloc(_ run: ScenarioRun, _ iommufd: borrowing IOMMUFD, _ name: String = "alloc IOAS") -> IOASID? {
        run.step(name, { () throws(IOMMUFDError) in try iommufd.allocateIOAS() }, { [TranscriptValue("ioas", run.label($0))] })
    }

    @discardableResult
    static func hwpt(_ run: ScenarioRun, _ name: String, _ body: () throws(IOMMUFDError) -> HWPTID) -> HWPTID? {
        run.step(name, body) { [TranscriptValue("hwpt", run.label($0))] }
    }

    // MARK: - VFIO devices

    static let vfioBindAndInfo = DifferentialScenario(
        name: "vfio-bind-and-info", summary: "bind, IOMMU_GET_HW_INFO (and the input type), device and region info",
        requiredVFIODevices: 1, requiresMockDevices: false
    ) { run in
        withIOMMUFD(run) { iommufd in
            withDevice(run, 0) { device in
                guard let id = bind(run, &device, iommufd, "device 0") else { return }
                run.step("bind again") { () throws(IOMMUFDError) in _ = try device.bind(to: iommufd) }
                run.step("hardware info", { () throws(IOMMUFDError) in try iommufd.hardwareInfo(for: id) }, infoText)
                run.step("hardware info, requesting its own type", { () throws(IOMMUFDError) in
                    let own = try iommufd.hardwareInfo(for: id).type
                    return try iommufd.hardwareInfo(for: id, requesting: own)
                }, infoText)
                run.step("hardware info, requesting another type", { () throws(IOMMUFDError) in
                    try iommufd.hardwareInfo(for: id, requesting: .armSMMUv3)
                }, infoText)
                run.step("hardware info of an unknown device", { () throws(IOMMUFDError) in
                    try iommufd.hardwareInfo(for: BoundDeviceID(rawValue: 0x7fff_fff0))
                }, infoText)
                run.step("device info", { () throws(IOMMUFDError) in try device.info() }) {
                    [TranscriptValue("flags", hexText($0.flags.rawValue)), TranscriptValue("regions", "\($0.regionCount)"),
                     TranscriptValue("irqs", "\($0.irqCount)")]
                }
                run.step("config region info", { () throws(IOMMUFDError) in try device.regionInfo(UInt32(VFIO_PCI_CONFIG_REGION_INDEX)) }) {
                    [TranscriptValue("flags", hexText($0.flags)), TranscriptValue("size", hexText($0.size)),
                     TranscriptValue("offset", hexText($0.offset))]
                }
                run.step("region 99 info", { () throws(IOMMUFDError) in try device.regionInfo(99) }) { [TranscriptValue("size", hexText($0.size))] }
                run.step("config space identity", { () throws(IOMMUFDError) in try device.readConfigSpace(maxLength: 4) }) {
                    [TranscriptValue("bytes", bytesText($0))]
                }
            }
        }
    }

    static let vfioErrnoBasics = DifferentialScenario(
        name: "vfio-errno-basics", summary: "calls before bind, wrong descriptors and object kinds, detach rules",
        requiredVFIODevices: 1, requiresMockDevices: false
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd) else { return }
            var hwptSeen: HWPTID?
            withDevice(run, 0) { device in
                run.step("device info before bind", { () throws(IOMMUFDError) in try device.info() }) { [TranscriptValue("flags", hexText($0.flags.rawValue))] }
                hwpt(run, "attach before bind") { () throws(IOMMUFDError) in try device.attach(to: ioas) }
                var wrong = vfio_device_bind_iommufd()
                wrong.argsz = UInt32(MemoryLayout<vfio_device_bind_iommufd>.size)
                wrong.iommufd = device.descriptor.rawValue
                rawDeviceIoctl(run, "bind to a descriptor that is not an iommufd", device, CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD, &wrong)
                var short = vfio_device_bind_iommufd()
                short.argsz = 12
                short.iommufd = iommufd.descriptor.rawValue
                rawDeviceIoctl(run, "bind with argsz 12", device, CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD, &short)
                guard let id = bind(run, &device, iommufd, "device 0") else { return }
                hwpt(run, "HWPT on a device ID") { () throws(IOMMUFDError) in
                    try iommufd.allocateHWPT(for: id, on: .ioas(IOASID(rawValue: id.rawValue)))
                }
                hwpt(run, "HWPT on an unknown ID") { () throws(IOMMUFDError) in
                    try iommufd.allocateHWPT(for: id, on: .ioas(IOASID(rawValue: 0x7fff_fff0)))
                }
                hwpt(run, "HWPT for an IOAS ID as device") { () throws(IOMMUFDError) in
                    try iommufd.allocateHWPT(for: BoundDeviceID(rawValue: ioas.rawValue), on: .ioas(ioas))
                }
                hwpt(run, "attach to an unknown ID") { () throws(IOMMUFDError) in try device.attach(to: IOASID(rawValue: 0x7fff_fff0)) }
                hwpt(run, "attach to the device's own ID") { () throws(IOMMUFDError) in try device.attach(to: IOASID(rawValue: id.rawValue)) }
                run.step("destroy the device ID") { () throws(IOMMUFDError) in try iommufd.destroy(IOASID(rawValue: id.rawValue)) }
                run.step("detach while not attached") { () throws(IOMMUFDError) in try device.detach() }
                run.step("detach PASID 5 while not attached") { () throws(IOMMUFDError) in try device.detach(pasid: 5) }
                hwptSeen = hwpt(run, "attach to the IOAS") { () throws(IOMMUFDError) in try device.attach(to: ioas) }
                hwpt(run, "attach to the IOAS again") { () throws(IOMMUFDError) in try device.attach(to: ioas) }
                if let hwptSeen {
                    run.step("destroy the automatic HWPT while attached") { () throws(IOMMUFDError) in try iommufd.destroy(hwptSeen) }
                }
                run.step("destroy the IOAS while attached") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
            }
            if let hwptSeen {
                run.step("destroy the automatic HWPT after close") { () throws(IOMMUFDError) in try iommufd.destroy(hwptSeen) }
            }
            run.step("destroy the IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }

    static let vfioAutoDomainSharing = DifferentialScenario(
        name: "vfio-auto-domain-sharing", summary: "two devices of one IOMMU share the automatic domain; its lifetime",
        requiredVFIODevices: 2, requiresMockDevices: false
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd) else { return }
            var auto: HWPTID?
            withDevice(run, 0) { first in
                withDevice(run, 1) { second in
                    guard bind(run, &first, iommufd, "device 0") != nil, bind(run, &second, iommufd, "device 1") != nil else { return }
                    auto = hwpt(run, "attach device 0 to the IOAS") { () throws(IOMMUFDError) in try first.attach(to: ioas) }
                    hwpt(run, "attach device 1 to the IOAS") { () throws(IOMMUFDError) in try second.attach(to: ioas) }
                    run.step("iova ranges", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: ioas) }, rangesText)
                    run.step("destroy the IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
                    guard let auto else { return }
                    run.step("destroy the shared HWPT") { () throws(IOMMUFDError) in try iommufd.destroy(auto) }
                    run.step("detach device 0") { () throws(IOMMUFDError) in try first.detach() }
                    run.step("destroy the HWPT device 1 still uses") { () throws(IOMMUFDError) in try iommufd.destroy(auto) }
                    hwpt(run, "attach device 0 to the shared HWPT") { () throws(IOMMUFDError) in try first.attach(to: auto) }
                    run.step("detach device 0 again") { () throws(IOMMUFDError) in try first.detach() }
                    run.step("detach device 1") { () throws(IOMMUFDError) in try second.detach() }
                    run.step("destroy the HWPT after the last detach") { () throws(IOMMUFDError) in try iommufd.destroy(auto) }
                    run.step("iova ranges without devices", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: ioas) }, rangesText)
                    hwpt(run, "attach device 1 to the IOAS again") { () throws(IOMMUFDError) in try second.attach(to: ioas) }
                }
            }
            run.step("destroy the IOAS after closing the devices") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }

    static let vfioHWPTFlags = DifferentialScenario(
        name: "vfio-hwpt-flags", summary: "IOMMU_HWPT_ALLOC flag combinations on the device's IOMMU, and attach",
        requiredVFIODevices: 1, requiresMockDevices: false
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd) else { return }
            withDevice(run, 0) { device in
                guard let id = bind(run, &device, iommufd, "device 0") else { return }
                for flags in flagCombinations {
                    guard let made = hwpt(run, "alloc \(flags)", { () throws(IOMMUFDError) in
                        try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: flags)
                    }) else { continue }
                    hwpt(run, "attach to \(flags)") { () throws(IOMMUFDError) in try device.attach(to: made) }
                    run.step("detach from \(flags)") { () throws(IOMMUFDError) in try device.detach() }
                    run.step("destroy \(flags)") { () throws(IOMMUFDError) in try iommufd.destroy(made) }
                }
                hwpt(run, "alloc with a fault queue ID that is an IOAS") { () throws(IOMMUFDError) in
                    try iommufd.allocateHWPT(for: id, on: .ioas(ioas), faultQueue: FaultQueueID(rawValue: ioas.rawValue))
                }
            }
            run.step("destroy the IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }

    static let vfioPASIDRules = DifferentialScenario(
        name: "vfio-pasid-rules", summary: "PASID attach needs PASID-capable HWPTs on the PASID and on the RID, both ways",
        requiredVFIODevices: 1, requiresMockDevices: false
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let ioas = alloc(run, iommufd) else { return }
            withDevice(run, 0) { device in
                guard let id = bind(run, &device, iommufd, "device 0"),
                      let plain = hwpt(run, "alloc plain HWPT", { () throws(IOMMUFDError) in try iommufd.allocateHWPT(for: id, on: .ioas(ioas)) }),
                      let capable = hwpt(run, "alloc PASID HWPT", { () throws(IOMMUFDError) in
                          try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: .pasid)
                      })
                else { return }
                hwpt(run, "attach RID to plain") { () throws(IOMMUFDError) in try device.attach(to: plain) }
                hwpt(run, "attach PASID 1 to PASID HWPT while the RID's is plain") { () throws(IOMMUFDError) in try device.attach(to: capable, pasid: 1) }
                hwpt(run, "attach PASID 1 to plain") { () throws(IOMMUFDError) in try device.attach(to: plain, pasid: 1) }
                hwpt(run, "replace RID with PASID HWPT") { () throws(IOMMUFDError) in try device.attach(to: capable) }
                hwpt(run, "attach PASID 1 to PASID HWPT") { () throws(IOMMUFDError) in try device.attach(to: capable, pasid: 1) }
                hwpt(run, "attach PASID 1 to PASID HWPT again") { () throws(IOMMUFDError) in try device.attach(to: capable, pasid: 1) }
                hwpt(run, "replace PASID 1 with plain") { () throws(IOMMUFDError) in try device.attach(to: plain, pasid: 1) }
                hwpt(run, "attach PASID 2 to the IOAS") { () throws(IOMMUFDError) in try device.attach(to: ioas, pasid: 2) }
                hwpt(run, "replace RID with plain while PASID 1 is attached") { () throws(IOMMUFDError) in try device.attach(to: plain) }
                run.step("iova ranges after the failed replace", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: ioas) }, rangesText)
                run.step("destroy PASID HWPT while used by PASID 1") { () throws(IOMMUFDError) in try iommufd.destroy(capable) }
                run.step("detach PASID 1") { () throws(IOMMUFDError) in try device.detach(pasid: 1) }
                hwpt(run, "replace RID with plain") { () throws(IOMMUFDError) in try device.attach(to: plain) }
                run.step("destroy PASID HWPT") { () throws(IOMMUFDError) in try iommufd.destroy(capable) }
                run.step("detach RID") { () throws(IOMMUFDError) in try device.detach() }
                run.step("destroy plain HWPT") { () throws(IOMMUFDError) in try iommufd.destroy(plain) }
            }
            run.step("destroy the IOAS") { () throws(IOMMUFDError) in try iommufd.destroy(ioas) }
        }
    }

    static let vfioReservedRegions = DifferentialScenario(
        name: "vfio-reserved-regions", summary: "reserved regions and apertures narrow IOVA ranges; conflicts; replace across IOAS",
        requiredVFIODevices: 1, requiresMockDevices: false
    ) { run in
        withIOMMUFD(run) { iommufd in
            guard let a = alloc(run, iommufd, "alloc IOAS A"), let b = alloc(run, iommufd, "alloc IOAS B") else { return }
            let page = UnsafeRawBufferPointer(rebasing: run.memory(0x2000)[0..<0x1000])
            withDevice(run, 0) { device in
                guard let id = bind(run, &device, iommufd, "device 0") else { return }
                run.step("map A at the MSI window", { () throws(IOMMUFDError) in try iommufd.map(page, into: a, at: .fixed(0xfee0_0000)) }) { [TranscriptValue("iova", hexText($0))] }
                hwpt(run, "attach to A over the mapping") { () throws(IOMMUFDError) in try device.attach(to: a) }
                run.step("iova ranges of A after the failed attach", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: a) }, rangesText)
                run.step("unmap all of A") { () throws(IOMMUFDError) in _ = try iommufd.unmapAll(a) }
                guard let first = hwpt(run, "attach to A", { () throws(IOMMUFDError) in try device.attach(to: a) }) else { return }
                run.step("iova ranges of A", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: a) }, rangesText)
                run.step("map A at the MSI window now", { () throws(IOMMUFDError) in try iommufd.map(page, into: a, at: .fixed(0xfee0_0000)) }) { [TranscriptValue("iova", hexText($0))] }
                run.step("map A unaligned", { () throws(IOMMUFDError) in try iommufd.map(page, into: a, at: .fixed(0x10_0800)) }) { [TranscriptValue("iova", hexText($0))] }
                run.step("allow the MSI window in A") { () throws(IOMMUFDError) in
                    try iommufd.allowIOVAs([IOVARange(start: 0xfee0_0000, last: 0xfee0_ffff)], in: a)
                }
                run.step("allow 0x100000-0x1fffff in A") { () throws(IOMMUFDError) in
                    try iommufd.allowIOVAs([IOVARange(start: 0x10_0000, last: 0x1f_ffff)], in: a)
                }
                run.step("map A, kernel-chosen IOVA", { () throws(IOMMUFDError) in try iommufd.map(page, into: a) }) { [TranscriptValue("iova", hexText($0))] }
                hwpt(run, "replace with B") { () throws(IOMMUFDError) in try device.attach(to: b) }
                run.step("destroy the first automatic HWPT") { () throws(IOMMUFDError) in try iommufd.destroy(first) }
                run.step("iova ranges of A without the device", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: a) }, rangesText)
                guard let manual = hwpt(run, "alloc an HWPT on A", { () throws(IOMMUFDError) in try iommufd.allocateHWPT(for: id, on: .ioas(a)) })
                else { return }
                run.step("iova ranges of A with an unattached HWPT", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: a) }, rangesText)
                hwpt(run, "replace with the HWPT on A") { () throws(IOMMUFDError) in try device.attach(to: manual) }
                run.step("iova ranges of A with the device", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: a) }, rangesText)
                run.step("iova ranges of B", { () throws(IOMMUFDError) in try iommufd.iovaRanges(of: b) }, rangesText)
                run.step("destroy A while its HWPT exists") { () throws(IOMMUFDError) in try iommufd.destroy(a) }
                run.step("detach") { () throws(IOMMUFDError) in try device.detach() }
                run.step("destroy the HWPT on A") { () throws(IOMMUFDError) in try iommufd.destroy(manual) }
            }
            run.step("unmap all of A") { () throws(IOMMUFDError) in _ = try iommufd.unmapAll(a) }
            run.step("destroy A") { () throws(IOMMUFDError) in try iommufd.destroy(a) }
            run.step("destroy B") { () throws(IOMMUFDError) in try iommufd.destroy(b) }
        }
    }
}
