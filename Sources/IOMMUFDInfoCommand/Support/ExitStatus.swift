/// The exit statuses of `iommufd-info` (documented in `Docs/iommufd-info.md`).
public enum ExitStatus {
    /// The command did what was asked (a probe that found refusals succeeded too).
    public static let success: Int32 = 0
    /// A runtime failure: the device, the iommufd node or the kernel refused
    /// something (missing file, not a VFIO device, permission, EBUSY, …).
    public static let runtimeFailure: Int32 = 1
    /// A usage error (`EX_USAGE` of `sysexits.h`): malformed arguments, an
    /// unknown subcommand or option, bad hexadecimal, a value too wide for
    /// its register, a malformed device name or PCI address.
    public static let usageError: Int32 = 64
}
