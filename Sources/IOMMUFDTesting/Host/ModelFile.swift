public import IOMMUFD

/// One entry of the model's file system: what a test can place at a path
/// with ``KernelModel/addFile(_:at:)`` and what the fake host is made of.
public enum ModelFile: Sendable, Hashable {
    /// A regular file with these bytes.
    case regular([UInt8])
    /// A directory (its entries are the files below it).
    case directory
    /// A symbolic link; relative targets resolve against the link's directory.
    case symbolicLink(to: String)
    /// A character device node. Opening it reaches the model's iommufd or
    /// VFIO device when the number is theirs; any other number behaves like
    /// `/dev/null` (every ioctl fails with `ENOTTY`).
    case characterDevice(major: UInt32, minor: UInt32)
    /// A block device node.
    case blockDevice(major: UInt32, minor: UInt32)
    /// A FIFO (named pipe).
    case fifo
    /// A UNIX domain socket.
    case socket

    /// A regular file holding `text` (UTF-8), as sysfs attributes do.
    public static func text(_ text: String) -> ModelFile { .regular(Array(text.utf8)) }

    /// What `stat(2)` reports for the entry.
    public var status: FileStatus {
        switch self {
        case .regular: FileStatus(kind: .regular)
        case .directory: FileStatus(kind: .directory)
        case .symbolicLink: FileStatus(kind: .symbolicLink)
        case .characterDevice(let major, let minor): FileStatus(kind: .characterDevice, deviceMajor: major, deviceMinor: minor)
        case .blockDevice(let major, let minor): FileStatus(kind: .blockDevice, deviceMajor: major, deviceMinor: minor)
        case .fifo: FileStatus(kind: .fifo)
        case .socket: FileStatus(kind: .socket)
        }
    }
}

/// The model's file system: an in-memory tree with symbolic links.
///
/// Paths are absolute; a relative path is taken relative to `/` (the model
/// has no working directory).
struct VirtualFileSystem: Sendable {
    private(set) var nodes: [String: ModelFile] = ["/": .directory]
    private var children: [String: Set<String>] = ["/": []]
    /// Paths whose open fails with `EACCES`.
    var denied: Set<String> = []

    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    static func join(_ components: [String]) -> String {
        "/" + components.joined(separator: "/")
    }

    static func parent(of path: String) -> String {
        var parts = components(path)
        if !parts.isEmpty { parts.removeLast() }
        return join(parts)
    }

    static func lastComponent(_ path: String) -> String {
        components(path).last ?? "/"
    }

    /// Creates `path` and any missing parent directories (the parents are
    /// created as real directories; existing links are not followed).
    mutating func put(_ path: String, _ file: ModelFile) {
        let parts = Self.components(path)
        guard !parts.isEmpty else { return }
        var current: [String] = []
        for part in parts.dropLast() {
            let parent = Self.join(current)
            current.append(part)
            let here = Self.join(current)
            if nodes[here] == nil {
                nodes[here] = .directory
                children[here] = []
                children[parent, default: []].insert(part)
            }
        }
        let parent = Self.join(current)
        let full = Self.join(parts)
        if case .directory = nodes[full], case .directory = file { return }
        if nodes[full] != nil { removeTree(full) }
        nodes[full] = file
        if case .directory = file { children[full] = [] }
        children[parent, default: []].insert(parts.last!)
    }

    /// Removes `path` and everything below it (links are not followed).
    mutating func removeTree(_ path: String) {
        let full = Self.join(Self.components(path))
        guard full != "/", nodes[full] != nil else { return }
        for child in children[full] ?? [] { removeTree(full + "/" + child) }
        nodes[full] = nil
        children[full] = nil
        children[Self.parent(of: full)]?.remove(Self.lastComponent(full))
    }

    /// The canonical path `path` names; symbolic links are followed, the
    /// last one only when `followLast`.
    func resolve(_ path: String, followLast: Bool = true) -> Result<String, ModelErrno> {
        var pending = Self.components(path)[...]
        var current: [String] = []
        var hops = 0
        while let part = pending.first {
            pending = pending.dropFirst()
            if part == "." { continue }
            if part == ".." {
                if !current.isEmpty { current.removeLast() }
                continue
            }
            let candidate = Self.join(current + [part])
            guard let node = nodes[candidate] else { return .failure(.ENOENT) }
            switch node {
            case .symbolicLink(let target) where !pending.isEmpty || followLast:
                hops += 1
                if hops > 40 { return .failure(.ELOOP) }
                if target.hasPrefix("/") { current = [] }
                pending = Self.components(target)[...] + pending
            case .directory:
                current.append(part)
            default:
                if !pending.isEmpty { return .failure(.ENOTDIR) }
                current.append(part)
            }
        }
        return .success(Self.join(current))
    }

    /// `stat(2)` or, with `followLast: false`, `lstat(2)`.
    func status(_ path: String, followLast: Bool = true) -> Result<(path: String, file: ModelFile), ModelErrno> {
        resolve(path, followLast: followLast).flatMap { canonical in
            guard let node = nodes[canonical] else { return .failure(.ENOENT) }
            return .success((canonical, node))
        }
    }

    /// The entry names of a directory, sorted.
    func entries(_ path: String) -> [String]? {
        guard case .success(let (canonical, node)) = status(path), case .directory = node else { return nil }
        return (children[canonical] ?? []).sorted()
    }

    /// Whether an entry exists at exactly this canonical path (links not followed).
}
