import Foundation
import IOMMUFD
import IOMMUFDInfoCommand
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `iommufd-info` on the real kernel, in the QEMU test VM (`scripts/vm-test`
/// runs every test whose name contains "HardwareTests"): the executable
/// (`$IOMMUFD_INFO`) and the in-process command over the real system calls.
/// Serialized: the tests use the same device, which only one user can bind. Skipped elsewhere.
/// What the test VM provides.
enum TestVM {
    /// The VFIO device the VM provides (`$IOMMUFD_TEST_DEVICE`, else vfio0), when running in the VM.
    static let device: String? = {
        let environment = ProcessInfo.processInfo.environment
        guard environment["IOMMUFD_IN_VM"] == "1", FileManager.default.fileExists(atPath: "/dev/iommu") else { return nil }
        let device = environment["IOMMUFD_TEST_DEVICE"] ?? "/dev/vfio/devices/vfio0"
        return FileManager.default.fileExists(atPath: device) ? device : nil
    }()
}

@Suite(.serialized, .enabled(if: TestVM.device != nil, "needs the VM: IOMMUFD_IN_VM=1, /dev/iommu and a VFIO device"))
struct InfoHardwareTests {
    /// The VFIO device.
    static var device: String? { TestVM.device }

    /// The executable, when the hardware job exports it.
    static let executable = ProcessInfo.processInfo.environment["IOMMUFD_INFO"]

    /// Runs the executable, or the command in process when there is none.
    func info(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        guard let executable = Self.executable else {
            let output = CapturedOutput(), error = CapturedOutput()
            let environment = InfoEnvironment(backend: LinuxSyscalls.shared, output: output, errorOutput: error)
            let status = IOMMUFDInfo.run(arguments: arguments, environment: environment)
            return (status, output.text, error.text)
        }
        return spawn(executable, arguments)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func list() throws {
        let run = try info(["list"])
        #expect(run.status == 0)
        #expect(run.error == "")
        #expect(run.output.contains("/dev/iommu (10:"))
        #expect(run.output.contains("): usable"))
        #expect(run.output.contains("vfio-pci"))
        let listed = try json(try info(["list", "--json"]).output)
        #expect((listed["devices"] as? [Any])?.isEmpty == false)
    }

    @Test func show() throws {
        let device = try #require(Self.device)
        let run = try info(["show", device])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error == "")
        #expect(run.output.contains("IOMMU_GET_HW_INFO:"))
        let shown = try json(try info(["show", device, "--json"]).output)
        let hardwareInfo = try #require(shown["hardware_info"] as? [String: Any])
        #expect(hardwareInfo["type"] is String)
        #expect((shown["policy"] as? [Any])?.count == VIOMMUProfile.standard.count)
    }

    @Test func probeTwiceLeavesNothingBehind() throws {
        let device = try #require(Self.device)
        for _ in 0..<2 {
            let run = try info(["probe", device, "--json"])
            #expect(run.status == 0, "\(run.error)")
            let probed = try json(run.output)
            let attempts = try #require(probed["hwpt_alloc"] as? [[String: Any]])
            #expect(attempts.count == 8)
            #expect(attempts.first?["result"] as? String == "accepted", "a plain paging HWPT is always possible")
            let cleanup = try #require(probed["cleanup"] as? [String: Any])
            #expect(cleanup["ioas_destroyed"] as? Bool == true)
            #expect((cleanup["failures"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: [
        (["show", "/dev/null"], "iommufd-info: /dev/null: not a VFIO device."),
        (["probe", "/dev"], "iommufd-info: /dev: not a VFIO device. It is a directory"),
        (["show", "/dev/vfio/devices/vfio99"], "iommufd-info: /dev/vfio/devices/vfio99: check VFIO device: no such file"),
        (["show", "0000:00:1f.7"], "iommufd-info: 0000:00:1f.7: no such device."),
        (["show", "vfio0", "--iommufd", "/dev/null"], "iommufd-info: /dev/null: not an iommufd node"),
    ])
    func badInputOnTheRealKernel(arguments: [String], start: String) throws {
        let run = try info(arguments)
        #expect(run.status == 1)
        #expect(run.output == "")
        let lines = run.error.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(start) == true, "\(run.error)")
    }

    @Test func deviceWhoseGroupIsOpenIsBusy() throws {
        let device = try #require(Self.device)
        let name = String(device.split(separator: "/").last ?? "")
        let group = try FileManager.default.destinationOfSymbolicLink(
            atPath: "/sys/class/vfio-dev/\(name)/device/iommu_group")
        let node = "/dev/vfio/" + (group.split(separator: "/").last.map(String.init) ?? "")
        let fd = open(node, O_RDWR | O_CLOEXEC)
        try #require(fd >= 0, "cannot open \(node)")
        defer { close(fd) }
        let run = try info(["show", device])
        #expect(run.status == 1)
        #expect(run.error.contains("VFIO_DEVICE_BIND_IOMMUFD failed: EBUSY (Device or resource busy)."), "\(run.error)")
        #expect(run.error.split(separator: "\n").count == 1)
    }
}
