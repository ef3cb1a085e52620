import ArgumentParser
import IOMMUFD
import Logging

/// `iommufd-info show DEVICE`: binds the device to a fresh iommufd and
/// reports what GET_HW_INFO says, decoded, with the device's PCI PASID, ATS
/// and PRI capabilities and the autodomain policy's plan per vIOMMU kind.
/// Allocates nothing.
struct ShowCommand: ParsableCommand, InfoCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a device's IOMMU hardware info, decoded, and the policy's decision per vIOMMU kind.",
        discussion: "Binds the device to a fresh iommufd; allocates no IOAS or HWPT.")

    @Argument(help: ArgumentHelp("/dev/vfio/devices/vfioN, vfioN, or a PCI address (0000:00:03.0, 00:03.0).",
                                 valueName: "device"))
    var device: String

    @OptionGroup var common: CommonOptions

    func execute(in context: CommandContext) throws(CommandFailure) {
        let specifier = try DeviceSpecifier(device)
        let report = try withBoundDevice(specifier, context) { (device, iommufd, id, entry) throws(CommandFailure) in
            try ShowReport.gather(device: device, iommufd: iommufd, id: id, entry: entry, input: specifier.text,
                                  context: context)
        }
        context.emit(text: report.text, json: report.json)
    }
}

/// What `show` found.
struct ShowReport: Sendable {
    /// Where the configuration space was read.
    enum ConfigSpaceSource: String, Sendable {
        /// The VFIO config region of the bound device.
        case vfio
        /// The sysfs `config` attribute (the first 64 bytes without root).
        case sysfs
    }

    /// A reserved IOVA region of the device's IOMMU group.
    struct ReservedRegion: Sendable, Equatable {
        /// First address.
        var start: UInt64
        /// Last address (inclusive).
        var last: UInt64
        /// The kind sysfs names (`msi`, `direct`, `reserved`, …).
        var type: String
    }

    /// The autodomain policy's dry-run decision for one vIOMMU kind.
    struct PolicyPlan: Sendable {
        /// The vIOMMU kind.
        var profile: VIOMMUProfile
        /// The decision.
        var plan: AutodomainPlan
        /// Why the kernel will probably refuse the plan, from the decoded registers.
        var warnings: [String]
    }

    /// The device.
    var device: VFIODeviceEntry
    /// `uname -r`.
    var kernelRelease: String?
    /// The iommufd node used.
    var iommufdPath: String
    /// The device's ID in the iommufd.
    var boundID: BoundDeviceID
    /// `VFIO_DEVICE_GET_INFO`, or why it failed.
    var vfioInfo: Result<VFIODeviceInfo, IOMMUFDError>
    /// The IOMMU group's reserved IOVA regions (sysfs).
    var reservedRegions: [ReservedRegion]
    /// GET_HW_INFO; `nil` for a mediated device, which has no IOMMU of its own.
    var hardwareInfo: HardwareInfo?
    /// The configuration space's source and length, if it could be read.
    var configSpace: (source: ConfigSpaceSource, length: Int)?
    /// Why the VFIO config region could not be read, if it could not.
    var configSpaceVFIOError: IOMMUFDError?
    /// The PCIe capabilities found in the configuration space.
    var capabilities: PCIExpressCapabilities?
    /// The policy's plan per vIOMMU kind of ``VIOMMUProfile/standard``.
    var plans: [PolicyPlan]

    /// Gathers the report for a bound device: GET_HW_INFO, VFIO_DEVICE_GET_INFO,
    /// the config space, sysfs, and the policy's dry runs. Allocates nothing.
    static func gather(
        device: borrowing VFIODevice, iommufd: borrowing IOMMUFD, id: BoundDeviceID, entry: VFIODeviceEntry,
        input: String, context: CommandContext
    ) throws(CommandFailure) -> ShowReport {
        let logger = context.logger
        var info: HardwareInfo?
        if device.isMediated {
            logger.debug("\(entry.name) is a mediated device: no GET_HW_INFO")
        } else {
            do throws(IOMMUFDError) {
                info = try iommufd.hardwareInfo(for: id)
            } catch {
                throw .runtime(quotedArgument(input), error)
            }
            if let info {
                logger.debug(
                    "GET_HW_INFO: type \(info.type.identifier), capabilities \(info.capabilities), PASID width \(info.maxPASIDLog2)")
            }
        }

        let vfioInfo: Result<VFIODeviceInfo, IOMMUFDError>
        do throws(IOMMUFDError) { vfioInfo = .success(try device.info()) } catch { vfioInfo = .failure(error) }

        var bytes: [UInt8] = []
        var source: ConfigSpaceSource?
        var vfioError: IOMMUFDError?
        do throws(IOMMUFDError) {
            bytes = try device.readConfigSpace()
            source = .vfio
        } catch {
            vfioError = error
            logger.debug("reading the config space through VFIO failed: \(error)")
        }
        if bytes.count < 64, let path = entry.sysfsDevicePath, let sysfsBytes = context.backend.readFile(path + "/config"),
           sysfsBytes.count > bytes.count {
            bytes = sysfsBytes
            source = .sysfs
        }
        if let source { logger.debug("config space: \(bytes.count) bytes through \(source.rawValue)") }

        var report = ShowReport(
            device: entry, kernelRelease: context.backend.kernelRelease(), iommufdPath: context.iommufdPath,
            boundID: id, vfioInfo: vfioInfo, reservedRegions: reservedRegions(of: entry, context.sysfs),
            hardwareInfo: info, configSpace: source.map { ($0, bytes.count) }, configSpaceVFIOError: vfioError,
            capabilities: source == nil ? nil : PCIExpressCapabilities(configSpace: bytes), plans: [])

        let mediated = device.isMediated
        report.plans = VIOMMUProfile.standard.map { profile in
            let plan = AutodomainRules.plan(hardwareInfo: info, wants: profile.wants, isMediated: mediated)
            context.policyLogger.debug("\(entry.displayName), \(profile.name) (dry run): \(plan.description)",
                                       metadata: ["device": "\(id.rawValue)", "viommu": "\(profile.identifier)"])
            return PolicyPlan(profile: profile, plan: plan, warnings: warnings(for: plan, info: info))
        }
        return report
    }

    /// Refusals the decoded registers predict for a plan.
    static func warnings(for plan: AutodomainPlan, info: HardwareInfo?) -> [String] {
        guard plan.action == .allocate, let facts = info?.vendorData.decoded?.facts else { return [] }
        var warnings: [String] = []
        if plan.flags.contains(.nestParent), facts.nesting == false {
            warnings.append("the IOMMU's registers report no nested translation: the kernel will refuse "
                            + "nestParent (EOPNOTSUPP), so this vIOMMU cannot be accelerated here")
        }
        return warnings
    }

    /// The reserved regions of the device's IOMMU group
    /// (`/sys/kernel/iommu_groups/N/reserved_regions`: `0xSTART 0xLAST type` per line).
    static func reservedRegions(of entry: VFIODeviceEntry, _ sysfs: SysfsReader) -> [ReservedRegion] {
        guard let group = entry.iommuGroup,
              let text = sysfs.text("/sys/kernel/iommu_groups/\(group)/reserved_regions") else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count >= 3, let start = try? HexValue.parse(String(parts[0])).get(),
                  let last = try? HexValue.parse(String(parts[1])).get() else { return nil }
            return ReservedRegion(start: start, last: last, type: String(parts[2]))
        }
    }
}
