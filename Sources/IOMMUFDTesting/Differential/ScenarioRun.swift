#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import IOMMUFD
import SystemPackage

/// The state of one scenario run: its target, its steps and the labels of
/// the object IDs seen so far.
final class ScenarioRun {
    let target: ScenarioTarget
    var steps: [TranscriptStep] = []
    private var labels: [UInt32: String] = [:]
    /// Memory allocated for mappings, freed at the end.
    private var buffers: [UnsafeMutableRawBufferPointer] = []

    init(target: ScenarioTarget) { self.target = target }

    deinit { for buffer in buffers { buffer.deallocate() } }

    var backend: any SyscallBackend { target.backend }

    /// The label of an object ID: `#1`, `#2`, … by first appearance.
    func label(_ raw: UInt32) -> String {
        if let label = labels[raw] { return label }
        let label = "#\(labels.count + 1)"
        labels[raw] = label
        return label
    }

    func label(_ id: some IOMMUFDObjectID) -> String { label(id.rawValue) }

    func record(_ name: String, _ values: [TranscriptValue] = []) {
        steps.append(TranscriptStep(name, .succeeded(values)))
    }

    func failure(_ name: String, _ error: IOMMUFDError) {
        if let errno = error.errno {
            steps.append(TranscriptStep(name, .failed(errnoName(errno.rawValue))))
        } else {
            steps.append(TranscriptStep(name, .refused(error.code.rawValue)))
        }
    }

    func failure(_ name: String, errno: CInt) {
        steps.append(TranscriptStep(name, .failed(errnoName(errno))))
    }

    /// Runs one step, recording its values or its errno.
    @discardableResult
    func step<T>(_ name: String, _ body: () throws(IOMMUFDError) -> T, _ describe: (T) -> [TranscriptValue]) -> T? {
        do throws(IOMMUFDError) {
            let value = try body()
            record(name, describe(value))
            return value
        } catch {
            failure(name, error)
            return nil
        }
    }

    /// A step without values.
    @discardableResult
    func step(_ name: String, _ body: () throws(IOMMUFDError) -> Void) -> Bool {
        step(name, body) { _ in [] } != nil
    }

    /// Page-aligned memory (2 MiB aligned, so the kernel's IOVA choice does
    /// not depend on where the allocator put it), zeroed and kept until the
    /// run ends.
    func memory(_ length: Int) -> UnsafeRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 2 << 20)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        buffers.append(buffer)
        return UnsafeRawBufferPointer(buffer)
    }
}

// MARK: - Formatting

func hexText<T: FixedWidthInteger>(_ value: T) -> String { "0x" + String(value, radix: 16) }

func rangesText(_ ranges: IOVARanges) -> [TranscriptValue] {
    [TranscriptValue("ranges", ranges.ranges.map { "\(hexText($0.start))-\(hexText($0.last))" }.joined(separator: ",")),
     TranscriptValue("alignment", hexText(ranges.alignment))]
}

func bytesText(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
        let text = String(byte, radix: 16)
        return text.count == 1 ? "0" + text : text
    }.joined()
}

// MARK: - Scoped resources

/// Opens the target's iommufd for `body` and closes it afterwards.
func withIOMMUFD(_ run: ScenarioRun, _ body: (borrowing IOMMUFD) -> Void) {
    do throws(IOMMUFDError) {
        let iommufd = try IOMMUFD(path: run.target.iommufdPath, backend: run.backend)
        run.record("open iommufd")
        body(iommufd)
    } catch {
        run.failure("open iommufd", error)
    }
}

/// Opens the target's VFIO device number `index` for `body` and closes it
/// afterwards (which unbinds it).
func withDevice(_ run: ScenarioRun, _ index: Int, _ body: (inout VFIODevice) -> Void) {
    do throws(IOMMUFDError) {
        var device = try VFIODevice(opening: run.target.vfioDevices[index], backend: run.backend)
        run.record("open device \(index)")
        body(&device)
    } catch {
        run.failure("open device \(index)", error)
    }
}

/// Creates a mock device for `body`; destroys it afterwards.
func withMock(
    _ run: ScenarioRun, _ name: String, in iommufd: borrowing IOMMUFD, on target: some AttachTargetID,
    flags: KernelMockDevice.Flags = [], _ body: (borrowing KernelMockDevice) -> Void
) {
    do throws(IOMMUFDError) {
        let mock = try KernelMockDevice(in: iommufd, attachingTo: target, flags: flags)
        run.record("create \(name)", [TranscriptValue("stdev", run.label(mock.stdevID)),
                                       TranscriptValue("device", run.label(mock.deviceID)),
                                       TranscriptValue("hwpt", run.label(mock.initialHWPT))])
        body(mock)
        if !mock.isDestroyed {
            run.step("destroy \(name)") { () throws(IOMMUFDError) in try mock.detachPageTable() }
        }
    } catch {
        run.failure("create \(name)", error)
    }
}

/// Issues a raw iommufd ioctl with `command` (its `size` already set) and
/// records the errno or the values `describe` reads from the result.
func rawIoctl<T>(
    _ run: ScenarioRun, _ name: String, _ iommufd: borrowing IOMMUFD, _ request: UInt, _ command: inout T,
    _ describe: (T) -> [TranscriptValue] = { _ in [] }
) {
    rawIoctl(run, name, descriptor: iommufd.descriptor.rawValue, request, &command, describe)
}

/// ``rawIoctl(_:_:_:_:_:_:)`` on any descriptor (an iommufd or a VFIO device).
func rawIoctl<T>(
    _ run: ScenarioRun, _ name: String, descriptor fd: CInt, _ request: UInt, _ command: inout T,
    _ describe: (T) -> [TranscriptValue] = { _ in [] }
) {
    let backend = run.backend
    let rc = withUnsafeMutableBytes(of: &command) { backend.ioctl(fd, request: request, argument: $0.baseAddress!) }
    if rc < 0 {
        run.failure(name, errno: -rc)
    } else {
        run.record(name, describe(command))
    }
}

/// The C name of an errno, including the few the library does not name.
func errnoName(_ value: CInt) -> String {
    switch value {
    case EBADFD: "EBADFD"
    default: Errno(rawValue: value).symbolicName
    }
}
