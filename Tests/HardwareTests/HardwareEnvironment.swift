#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

/// What the machine running the hardware tests offers, read once.
///
/// Users run these tests as root on their own machine with a device bound to
/// vfio-pci named by `IOMMUFD_TEST_DEVICE` (a `/dev/vfio/devices/vfioN` path,
/// `vfioN` or a PCI address) and optionally `IOMMUFD_TEST_DEVICE2` (a second
/// device, for the two-device policy tests), `IOMMUFD_TEST_MOCK=1` when the
/// kernel has `CONFIG_IOMMUFD_TEST`, and `IOMMUFD_INFO` pointing at a built
/// `iommufd-info`. `scripts/vm-test` sets all of them inside the VM.
enum HardwareEnvironment {
    static func variable(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    static let isRoot = geteuid() == 0

    /// Whether `/dev/iommu` opens.
    static let iommufdAvailable: Bool = {
        let fd = open(IOMMUFD.defaultPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }()

    static let device = variable("IOMMUFD_TEST_DEVICE")
    static let secondDevice = variable("IOMMUFD_TEST_DEVICE2")
    /// The QEMU IOMMU model when running in the project's VM (`intel`, `amd`, `virtio`, …).
    static let vmModel = variable("IOMMUFD_VM_MODEL")

    /// Whether the kernel's mock device can be created (`CONFIG_IOMMUFD_TEST`).
    static let mockAvailable: Bool = {
        guard variable("IOMMUFD_TEST_MOCK") == "1", iommufdAvailable else { return false }
        do {
            let iommufd = try IOMMUFD()
            let ioas = try iommufd.allocateIOAS()
            let mock = try KernelMockDevice(in: iommufd, attachingTo: ioas)
            try mock.destroy()
            return true
        } catch {
            return false
        }
    }()

    static let kernelRelease = LinuxSyscalls.shared.kernelRelease().flatMap { KernelRelease(parsing: $0) }

    static let iommufdReason = isRoot
        ? "no usable /dev/iommu (kernel without CONFIG_IOMMUFD); run the hardware tests in the VM: scripts/vm-test"
        : "needs root for /dev/iommu and the VFIO device; run as root, or in the VM: scripts/vm-test"
}

extension Trait where Self == ConditionTrait {
    /// Root and a usable `/dev/iommu`.
    static var requiresIOMMUFD: Self {
        .enabled(if: HardwareEnvironment.isRoot && HardwareEnvironment.iommufdAvailable,
                 Comment(rawValue: HardwareEnvironment.iommufdReason))
    }

    /// A VFIO device named by `IOMMUFD_TEST_DEVICE`.
    static var requiresDevice: Self {
        .enabled(if: HardwareEnvironment.device != nil,
                 "no device: set IOMMUFD_TEST_DEVICE to a VFIO device (/dev/vfio/devices/vfioN or a PCI address)")
    }

    /// A second VFIO device named by `IOMMUFD_TEST_DEVICE2`.
    static var requiresSecondDevice: Self {
        .enabled(if: HardwareEnvironment.secondDevice != nil,
                 "no second device: set IOMMUFD_TEST_DEVICE2 for the two-device tests")
    }

    /// The kernel's mock device (`CONFIG_IOMMUFD_TEST`, `IOMMUFD_TEST_MOCK=1`).
    static var requiresMockDevice: Self {
        .enabled(if: HardwareEnvironment.mockAvailable,
                 "no kernel mock device: needs CONFIG_IOMMUFD_TEST and IOMMUFD_TEST_MOCK=1 (the VM has both)")
    }
}

/// Records every object a test makes so the test can prove, at the end,
/// that each is gone (`IOMMU_DESTROY` answers `ENOENT`).
final class ObjectLedger {
    private(set) var made: [ObjectReference] = []

    func record(_ id: some DestroyableObjectID) { made.append(id.reference) }

    /// The recorded objects that still exist in `iommufd`.
    func survivors(in iommufd: borrowing IOMMUFD) -> [ObjectReference] {
        made.filter { reference in
            do throws(IOMMUFDError) {
                try iommufd.destroy(HWPTID(rawValue: reference.id))   // any kind: IOMMU_DESTROY takes any ID
                return true    // it existed: a leak (now destroyed)
            } catch {
                return error.code != .noSuchObject
            }
        }
    }
}

/// Page-aligned memory for mappings.
struct AlignedMemory: ~Copyable {
    let buffer: UnsafeMutableRawBufferPointer
    init(bytes: Int, alignment: Int = 1 << 21) {
        buffer = .allocate(byteCount: bytes, alignment: alignment)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }
    var readOnly: UnsafeRawBufferPointer { UnsafeRawBufferPointer(buffer) }
    deinit { buffer.deallocate() }
}
