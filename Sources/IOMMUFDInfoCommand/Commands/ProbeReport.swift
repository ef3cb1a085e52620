import IOMMUFD
import Logging

/// What `probe` tried and what the kernel answered.
struct ProbeReport: Sendable {
    /// How one attempt ended.
    enum Outcome: Sendable {
        /// The kernel made the object; `destroyError` says whether destroying it failed.
        case accepted(id: UInt32, destroyError: IOMMUFDError?)
        /// The kernel (or the library, before the ioctl) refused.
        case refused(IOMMUFDError)
        /// Not tried, and why.
        case skipped(String)
    }

    /// One IOMMU_HWPT_ALLOC.
    struct HWPTAttempt: Sendable {
        /// The flags passed (with ``HWPTAllocFlags/faultIDValid`` when a fault queue was named).
        var flags: HWPTAllocFlags
        /// The answer.
        var outcome: Outcome
    }

    /// The GET_HW_INFO request with `IOMMU_HW_INFO_FLAG_INPUT_TYPE`.
    enum InputTypeOutcome: Sendable {
        /// The kernel returned the requested type.
        case honoured(HardwareInfoType)
        /// The kernel refused the flag (before Linux 6.17) and the default type was returned.
        case fellBack(returned: HardwareInfoType)
        /// The kernel accepted the flag but returned another type.
        case otherType(HardwareInfoType)
        /// The request failed.
        case failed(IOMMUFDError)
        /// Not tried, and why.
        case skipped(String)
    }

    /// One real attach through the autodomain policy.
    struct PolicyAttempt: Sendable {
        /// The vIOMMU kind.
        var profile: VIOMMUProfile
        /// The decision, or why the attach failed.
        var result: Result<AttachDecision, IOMMUFDError>
        /// Failures the detach logged.
        var detachFailures: [IOMMUFDError]
    }

    /// The device.
    var device: VFIODeviceEntry
    /// `uname -r`.
    var kernelRelease: String?
    /// The iommufd node used.
    var iommufdPath: String
    /// The device's ID in the iommufd.
    var boundID: BoundDeviceID
    /// GET_HW_INFO without flags, or why it failed (`nil` for a mediated device).
    var hardwareInfo: Result<HardwareInfo, IOMMUFDError>?
    /// The IOAS the HWPTs were made on.
    var ioas: IOASID
    /// The HWPT allocations without a fault queue.
    var attempts: [HWPTAttempt] = []
    /// IOMMU_FAULT_QUEUE_ALLOC.
    var faultQueue: Outcome = .skipped("not tried")
    /// The HWPT allocations with the fault queue (faultIDValid).
    var faultAttempts: [HWPTAttempt] = []
    /// The INPUT_TYPE request.
    var inputType: InputTypeOutcome = .skipped("not tried")
    /// The policy's attaches.
    var policy: [PolicyAttempt] = []
    /// Whether the IOAS was destroyed, or why not.
    var ioasDestroyError: IOMMUFDError?

    /// The flag combinations tried: every subset of nestParent, dirtyTracking and pasid, smallest first.
    static let combinations: [HWPTAllocFlags] = {
        let singles: [HWPTAllocFlags] = [.nestParent, .dirtyTracking, .pasid]
        var all: [HWPTAllocFlags] = []
        for size in 0...singles.count {
            for mask in 0..<(1 << singles.count) where mask.nonzeroBitCount == size {
                var flags: HWPTAllocFlags = []
                for (bit, flag) in singles.enumerated() where mask & (1 << bit) != 0 { flags.insert(flag) }
                all.append(flags)
            }
        }
        return all
    }()

    /// Runs the probe on a bound device and destroys what it made.
    static func run(
        device: borrowing VFIODevice, iommufd: borrowing IOMMUFD, id: BoundDeviceID, entry: VFIODeviceEntry,
        input: String, context: CommandContext
    ) throws(CommandFailure) -> ProbeReport {
        let logger = context.logger
        var info: Result<HardwareInfo, IOMMUFDError>?
        if !device.isMediated {
            do throws(IOMMUFDError) { info = .success(try iommufd.hardwareInfo(for: id)) } catch { info = .failure(error) }
        }
        let ioas: IOASID
        do throws(IOMMUFDError) {
            ioas = try iommufd.allocateIOAS()
        } catch {
            throw .runtime(quotedArgument(input), error)
        }
        logger.debug("allocated \(ioas)")
        var report = ProbeReport(
            device: entry, kernelRelease: context.backend.kernelRelease(), iommufdPath: context.iommufdPath,
            boundID: id, hardwareInfo: info, ioas: ioas)

        report.attempts = combinations.map { flags in
            tryHWPT(flags: flags, faultQueue: nil, iommufd: iommufd, id: id, ioas: ioas, logger: logger)
        }

        do throws(IOMMUFDError) {
            let queue = try iommufd.allocateFaultQueue()
            let queueID = queue.id
            logger.debug("allocated \(queueID)")
            report.faultAttempts = combinations.map { flags in
                tryHWPT(flags: flags, faultQueue: queueID, iommufd: iommufd, id: id, ioas: ioas, logger: logger)
            }
            // The queue's descriptor holds a reference to the object: close it first.
            _ = consume queue
            var destroyError: IOMMUFDError?
            do throws(IOMMUFDError) { try iommufd.destroy(queueID) } catch { destroyError = error }
            report.faultQueue = .accepted(id: queueID.rawValue, destroyError: destroyError)
        } catch {
            logger.debug("IOMMU_FAULT_QUEUE_ALLOC refused: \(error)")
            report.faultQueue = .refused(error)
        }

        report.inputType = requestOwnType(info: info, iommufd: iommufd, id: id, logger: logger)

        for profile in VIOMMUProfile.standard {
            let container = AutodomainContainer(ioas: ioas, iommufd: iommufd, logger: context.policyLogger)
            let result: Result<AttachDecision, IOMMUFDError>
            var detachFailures: [IOMMUFDError] = []
            do throws(IOMMUFDError) {
                result = .success(try container.attach(device, iommufd: iommufd, wants: profile.wants))
                detachFailures = container.detach(device, iommufd: iommufd).loggedFailures
            } catch {
                result = .failure(error)
                context.policyLogger.debug("\(entry.displayName), \(profile.name): attach failed: \(error)")
            }
            report.policy.append(PolicyAttempt(profile: profile, result: result, detachFailures: detachFailures))
        }

        do throws(IOMMUFDError) {
            try iommufd.destroy(ioas)
            logger.debug("destroyed \(ioas)")
        } catch {
            report.ioasDestroyError = error
        }
        return report
    }

    /// One IOMMU_HWPT_ALLOC on the IOAS; an accepted HWPT is destroyed at once.
    static func tryHWPT(
        flags: HWPTAllocFlags, faultQueue: FaultQueueID?, iommufd: borrowing IOMMUFD, id: BoundDeviceID, ioas: IOASID,
        logger: Logger
    ) -> HWPTAttempt {
        let shown = faultQueue == nil ? flags : flags.union(.faultIDValid)
        do throws(IOMMUFDError) {
            let hwpt = try iommufd.allocateHWPT(for: id, on: .ioas(ioas), flags: flags, faultQueue: faultQueue)
            var destroyError: IOMMUFDError?
            do throws(IOMMUFDError) { try iommufd.destroy(hwpt) } catch { destroyError = error }
            logger.debug("HWPT_ALLOC \(shown): accepted as \(hwpt), destroyed")
            return HWPTAttempt(flags: shown, outcome: .accepted(id: hwpt.rawValue, destroyError: destroyError))
        } catch {
            logger.debug("HWPT_ALLOC \(shown): \(errnoText(error))")
            return HWPTAttempt(flags: shown, outcome: .refused(error))
        }
    }

    /// GET_HW_INFO asking for the type the device reported by default.
    static func requestOwnType(
        info: Result<HardwareInfo, IOMMUFDError>?, iommufd: borrowing IOMMUFD, id: BoundDeviceID, logger: Logger
    ) -> InputTypeOutcome {
        guard let info else { return .skipped("a mediated device has no IOMMU of its own") }
        guard case .success(let plain) = info else { return .skipped("GET_HW_INFO without flags failed") }
        do throws(IOMMUFDError) {
            let typed = try iommufd.hardwareInfo(for: id, requesting: plain.type)
            let fellBack = typed.requestedTypeFellBack ? " after falling back" : ""
            logger.debug("GET_HW_INFO requesting \(plain.type.identifier): returned \(typed.type.identifier)\(fellBack)")
            if typed.requestedTypeFellBack { return .fellBack(returned: typed.type) }
            return typed.type == plain.type ? .honoured(typed.type) : .otherType(typed.type)
        } catch {
            return .failed(error)
        }
    }
}
