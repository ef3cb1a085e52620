#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

/// The errno a throwing call failed with: `nil` on success, 0 when the
/// library refused it without an errno.
func failure<T: ~Copyable>(_ body: () throws -> T) -> CInt? {
    do {
        _ = try body()
        return nil
    } catch let error as IOMMUFDError {
        return error.errno?.rawValue ?? 0
    } catch {
        return -1
    }
}

/// The error a throwing call failed with.
func caught<T: ~Copyable>(_ body: () throws -> T) -> IOMMUFDError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? IOMMUFDError
    }
}

/// 2 MiB-aligned, zeroed memory for mappings, freed with the value.
final class Memory {
    let buffer: UnsafeMutableRawBufferPointer

    init(_ length: Int) {
        buffer = .allocate(byteCount: length, alignment: 2 << 20)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { buffer.deallocate() }

    var all: UnsafeRawBufferPointer { UnsafeRawBufferPointer(buffer) }

    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: all[range])
    }

    var address: UInt64 { UInt64(UInt(bitPattern: buffer.baseAddress)) }
}

/// The ioctl names of the model's trace.
func ioctlNames(_ model: KernelModel) -> [String] { model.ioctlTrace.map(\.operation) }

/// The usable IOVA ranges as text.
func rangesText(_ ranges: IOVARanges) -> String {
    ranges.ranges.map { "0x\(String($0.start, radix: 16))-0x\(String($0.last, radix: 16))" }.joined(separator: ",")
}

/// `_IO(';', nr)`.
func request(_ nr: UInt) -> UInt { 0x3b00 | nr }

/// A raw command as 32-bit words (and 64-bit fields as two words).
func rawCommand(_ model: KernelModel, _ fd: CInt, _ nr: UInt, _ words: inout [UInt32]) -> CInt {
    words.withUnsafeMutableBytes { model.ioctl(fd, request: request(nr), argument: $0.baseAddress!) }
}

/// Ends a non-copyable value's life now (closing what it owns).
func discard<T: ~Copyable>(_ value: consuming T) {}
