import IOMMUFD
import SystemPackage
import Testing

/// Descriptors the library owns are closed exactly once.
@Suite("descriptor ownership")
struct OwnershipTests {
    let backend = ScriptedBackend()

    init() {
        backend.addIOMMUNode()
        backend.addVFIODevice(name: "vfio0", pci: "0000:00:03.0")
    }

    @Test func iommufdClosesOnceWhenDropped() throws {
        var fd: CInt = -1
        do {
            let iommufd = try IOMMUFD(backend: backend)
            fd = iommufd.descriptor.rawValue
        }
        #expect(backend.closes == [fd])
    }

    @Test func explicitCloseClosesOnce() throws {
        let iommufd = try IOMMUFD(backend: backend)
        let fd = iommufd.descriptor.rawValue
        try iommufd.close()
        #expect(backend.closes == [fd])
    }

    @Test func relinquishDoesNotClose() throws {
        let iommufd = try IOMMUFD(backend: backend)
        let fd = iommufd.relinquish()
        #expect(backend.closes.isEmpty)
        let adopted = try IOMMUFD(adopting: fd, backend: backend)
        #expect(adopted.path == nil)
        _ = consume adopted
        #expect(backend.closes == [fd.rawValue])
    }

    @Test func deviceClosesOnce() throws {
        var fd: CInt = -1
        do {
            let device = try VFIODevice(opening: "vfio0", backend: backend)
            fd = device.descriptor.rawValue
            device.close()
        }
        #expect(backend.closes == [fd])
    }

    @Test("a failed open leaves nothing open")
    func failedOpen() {
        backend.failOpen("/dev/vfio/devices/vfio0", errno: 16)
        let error = #expect(throws: IOMMUFDError.self) { _ = try VFIODevice(opening: "vfio0", backend: backend) }
        #expect(error?.code == .deviceBusy)
        #expect(backend.closes.isEmpty)
    }
}
