import IOMMUFD

/// Small, failure-tolerant reads of sysfs through the backend's file-system
/// methods (never an ioctl): a missing attribute is `nil`, not an error.
struct SysfsReader {
    /// The system calls.
    let backend: any SyscallBackend

    /// The text of an attribute, without surrounding blanks and newlines.
    func text(_ path: String) -> String? {
        guard let bytes = backend.readFile(path) else { return nil }
        return trimmed(String(decoding: bytes, as: UTF8.self))
    }

    /// The last path component of what a link (or path) resolves to, e.g.
    /// `vfio-pci` for a device's `driver` link.
    func linkName(_ path: String) -> String? {
        guard let target = backend.canonicalPath(path) else { return nil }
        return target.split(separator: "/").last.map(String.init)
    }

    /// The entries of a directory, or `nil` when it cannot be listed.
    func entries(_ path: String) -> [String]? {
        backend.directoryEntries(path)
    }

    /// Parses a sysfs hexadecimal attribute such as `0x1234` or `d2008c222f0606`.
    func hex(_ path: String, bits: Int = 64) -> UInt64? {
        text(path).flatMap { try? HexValue.parse($0, bits: bits).get() }
    }
}

/// `text` without leading and trailing blanks and line breaks.
func trimmed(_ text: String) -> String {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    var slice = Substring(text).drop(while: blank)
    while let last = slice.last, blank(last) { slice = slice.dropLast() }
    return String(slice)
}

/// The parent directory of an absolute path (`/a/b/c` → `/a/b`).
func parentDirectory(_ path: String, levels: Int = 1) -> String {
    let parts = path.split(separator: "/")
    return "/" + parts.dropLast(min(levels, parts.count)).joined(separator: "/")
}

/// Orders `vfio2` before `vfio10`: by the number after the first digits'
/// prefix, then by name.
func naturalOrder(_ lhs: String, _ rhs: String) -> Bool {
    func split(_ name: String) -> (String, Int?) {
        let prefix = name.prefix { !$0.isASCII || !$0.isNumber }
        let number = Int(name.dropFirst(prefix.count))
        return (String(prefix), number)
    }
    let (lp, ln) = split(lhs), (rp, rn) = split(rhs)
    if lp != rp { return lhs < rhs }
    switch (ln, rn) {
    case let (l?, r?) where l != r: return l < r
    default: return lhs < rhs
    }
}
