internal import CIOMMUFD

/// How pinned memory is charged against `RLIMIT_MEMLOCK` (`IOMMU_OPTION_RLIMIT_MODE`).
public enum RLimitMode: UInt64, Sendable, Hashable {
    /// Charged to the user (the default).
    case perUser = 0
    /// Charged to the process.
    case perProcess = 1
}

extension IOMMUFD {
    /// The RLIMIT accounting mode of this iommufd (`IOMMU_OPTION`, get).
    public func rlimitMode() throws(IOMMUFDError) -> RLimitMode {
        let value = try option(.get, id: UInt32(IOMMU_OPTION_RLIMIT_MODE.rawValue), object: 0, value: 0,
                               context: .rlimitMode)
        return RLimitMode(rawValue: value) ?? .perUser
    }

    /// Sets the RLIMIT accounting mode (`IOMMU_OPTION`, set). Needs
    /// `CAP_SYS_RESOURCE`, and must happen before any memory is pinned.
    public func setRLimitMode(_ mode: RLimitMode) throws(IOMMUFDError) {
        _ = try option(.set, id: UInt32(IOMMU_OPTION_RLIMIT_MODE.rawValue), object: 0, value: mode.rawValue,
                       context: .rlimitMode)
    }

    /// Whether the IOAS combines contiguous pages into huge IOMMU pages
    /// (`IOMMU_OPTION_HUGE_PAGES`, get; on by default).
    public func hugePages(of ioas: IOASID) throws(IOMMUFDError) -> Bool {
        try option(.get, id: UInt32(IOMMU_OPTION_HUGE_PAGES.rawValue), object: ioas.rawValue, value: 0,
                   context: .hugePages) != 0
    }

    /// Turns combining of contiguous pages on or off for an IOAS
    /// (`IOMMU_OPTION_HUGE_PAGES`, set). Off maps everything with base pages,
    /// which is slower but useful for testing.
    public func setHugePages(_ enabled: Bool, of ioas: IOASID) throws(IOMMUFDError) {
        _ = try option(.set, id: UInt32(IOMMU_OPTION_HUGE_PAGES.rawValue), object: ioas.rawValue,
                       value: enabled ? 1 : 0, context: .hugePages)
    }

    private enum OptionOperation { case get, set }

    private func option(
        _ op: OptionOperation, id: UInt32, object: UInt32, value: UInt64,
        context: IOMMUFDError.Context.HardwareOption
    ) throws(IOMMUFDError) -> UInt64 {
        var command = iommu_option()
        command.size = UInt32(MemoryLayout<iommu_option>.size)
        command.option_id = id
        command.op = UInt16(op == .get ? IOMMU_OPTION_OP_GET.rawValue : IOMMU_OPTION_OP_SET.rawValue)
        command.object_id = object
        command.val64 = value
        try perform(.option, CIOMMUFD_IOMMU_OPTION, &command,
                    objects: object == 0 ? [] : [IOASID(rawValue: object).reference], context: .option(context))
        return command.val64
    }
}
