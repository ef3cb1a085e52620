// How the model reads and writes the memory of the calling process, the way
// the kernel's copy_from_user / copy_to_user would.

/// A kernel-side copy of an ioctl argument structure.
///
/// The buffer always has the size of the pinned (Linux 7.2) C structure, so
/// it can be loaded as that structure. Bytes past what the modelled release
/// knows stay zero, which is exactly how an older kernel sees them.
struct KernelCopy<Command> {
    var command: Command
    /// The number of bytes user space said it passed (`size` / `argsz`).
    let userSize: Int
    /// The size of the structure in the modelled release.
    let kernelSize: Int
}

enum UserMemory {
    /// Reads a little-endian `UInt32` at `offset` of `base`.
    static func u32(_ base: UnsafeRawPointer, _ offset: Int = 0) -> UInt32 {
        base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    }

    /// `copy_struct_from_user`: copies `min(userSize, kernelSize)` bytes into
    /// a zeroed structure; a longer user structure must be zero past
    /// `kernelSize` (else `E2BIG`).
    static func copyStruct<Command>(
        _ type: Command.Type, from user: UnsafeRawPointer, userSize: Int, kernelSize: Int
    ) -> Result<KernelCopy<Command>, ModelErrno> {
        let full = MemoryLayout<Command>.size
        precondition(kernelSize <= full)
        var bytes = [UInt8](repeating: 0, count: full)
        let copied = min(userSize, kernelSize)
        bytes.withUnsafeMutableBytes { dst in
            dst.baseAddress!.copyMemory(from: user, byteCount: copied)
        }
        if userSize > kernelSize {
            let tail = UnsafeRawBufferPointer(start: user + kernelSize, count: userSize - kernelSize)
            if tail.contains(where: { $0 != 0 }) { return .failure(.E2BIG) }
        }
        let command = bytes.withUnsafeBytes { $0.loadUnaligned(as: Command.self) }
        return .success(KernelCopy(command: command, userSize: userSize, kernelSize: kernelSize))
    }

    /// `iommufd_ucmd_respond`: writes back `min(userSize, kernelSize)` bytes.
    static func respond<Command>(_ copy: KernelCopy<Command>, to user: UnsafeMutableRawPointer) {
        var command = copy.command
        let count = min(copy.userSize, copy.kernelSize)
        withUnsafeBytes(of: &command) { src in
            user.copyMemory(from: src.baseAddress!, byteCount: count)
        }
    }

    /// Writes a value at a byte offset of user memory.
    static func store<T>(_ value: T, to user: UnsafeMutableRawPointer, at offset: Int) {
        var value = value
        withUnsafeBytes(of: &value) { (user + offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    /// A user pointer from a `__u64` field; `nil` for 0.
    static func pointer(_ address: UInt64) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: UInt(address))
    }
}

/// A negative errno as the model returns it, by name.
struct ModelErrno: Error, Hashable {
    let value: Int32
    init(_ value: Int32) { self.value = value }
}
