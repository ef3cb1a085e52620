internal import CIOMMUFD

/// A Linux release number such as 6.15, ordered by version.
public struct KernelRelease: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major number (the 6 of 6.15).
    public var major: Int
    /// The minor number (the 15 of 6.15).
    public var minor: Int

    /// Creates a release number.
    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses the leading `MAJOR.MINOR` of a release string such as
    /// `6.1.0-18-amd64` or `7.2.13`; `nil` if it has none.
    public init?(parsing text: some StringProtocol) {
        let numbers = text.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2, let first = text.first, first.isNumber else { return nil }
        self.init(numbers[0], numbers[1])
    }

    /// The release whose UAPI the library's declarations are pinned to.
    public static let pinned = KernelRelease(Int(CIOMMUFD_UAPI_LINUX_MAJOR), Int(CIOMMUFD_UAPI_LINUX_MINOR))

    /// `"6.15"`.
    public var description: String { "\(major).\(minor)" }

    /// Orders by major, then minor number.
    public static func < (lhs: KernelRelease, rhs: KernelRelease) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
