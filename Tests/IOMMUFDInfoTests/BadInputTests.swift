import IOMMUFD
import IOMMUFDTesting
import SystemPackage
import Testing

/// Every bad input of the issue: one line on standard error naming the input
/// and what to do, the right exit status, nothing on standard output, no
/// ioctl on a file that is not a VFIO device, nothing leaked.
@Suite struct BadInputTests {
    /// One bad input.
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        let expected: String
        let status: Int32
        /// Whether no ioctl at all may be issued (the input is refused before).
        let noIoctl: Bool
        let host: @Sendable () -> KernelModel
        let setup: @Sendable (KernelModel) -> Void

        init(_ label: String, _ arguments: [String], _ expected: String, status: Int32 = 1, noIoctl: Bool = true,
             host: @escaping @Sendable () -> KernelModel = Hosts.vm,
             setup: @escaping @Sendable (KernelModel) -> Void = { _ in }) {
            self.label = label
            self.arguments = arguments
            self.expected = expected
            self.status = status
            self.noIoctl = noIoctl
            self.host = host
            self.setup = setup
        }

        var testDescription: String { label }
    }

    static let notVFIO = "no ioctl was issued; `iommufd-info list` shows the VFIO devices of this system."
    static let listHint = "`iommufd-info list` shows the VFIO devices of this system."
    static let pciForm = "Write it as DDDD:BB:DD.F or BB:DD.F in hexadecimal, with device 00 to 1f and function 0 to 7 "
        + "(e.g. 0000:00:03.0 or 00:03.0); `lspci -D` lists them."

    static let files: @Sendable (KernelModel) -> Void = { model in
        model.addFile(.text("hello\n"), at: "/tmp/regular")
        model.addFile(.directory, at: "/tmp/dir")
        model.addFile(.fifo, at: "/tmp/fifo")
        model.addFile(.socket, at: "/tmp/socket")
        model.addFile(.blockDevice(major: 8, minor: 0), at: "/dev/sda")
        model.addFile(.symbolicLink(to: "/dev/null"), at: "/tmp/link-to-null")
        model.addFile(.symbolicLink(to: "/tmp/regular"), at: "/tmp/link-to-regular")
        model.addFile(.symbolicLink(to: "/tmp/dir"), at: "/tmp/link-to-dir")
        model.addFile(.symbolicLink(to: "/tmp/fifo"), at: "/tmp/link-to-fifo")
        model.addFile(.symbolicLink(to: "/tmp/nothing"), at: "/tmp/dangling")
        model.addFile(.symbolicLink(to: "/tmp/loop-b"), at: "/tmp/loop-a")
        model.addFile(.symbolicLink(to: "/tmp/loop-a"), at: "/tmp/loop-b")
    }

    static let deviceFiles: [Case] = [
        Case("non-existent path", ["show", "/dev/vfio/devices/vfio7"],
             "iommufd-info: /dev/vfio/devices/vfio7: check VFIO device: no such file or directory (ENOENT). " + listHint),
        Case("non-existent name", ["probe", "vfio7"],
             "iommufd-info: vfio7 (/dev/vfio/devices/vfio7): check VFIO device: no such file or directory (ENOENT). "
                + listHint),
        Case("regular file", ["show", "/tmp/regular"],
             "iommufd-info: /tmp/regular: not a VFIO device. It is a regular file, not a VFIO device cdev "
                + "(/dev/vfio/devices/vfioN); " + notVFIO, setup: files),
        Case("directory", ["probe", "/tmp/dir"],
             "iommufd-info: /tmp/dir: not a VFIO device. It is a directory, not a VFIO device cdev "
                + "(/dev/vfio/devices/vfioN); " + notVFIO, setup: files),
        Case("FIFO", ["show", "/tmp/fifo"],
             "iommufd-info: /tmp/fifo: not a VFIO device. It is a FIFO, not a VFIO device cdev "
                + "(/dev/vfio/devices/vfioN); " + notVFIO, setup: files),
        Case("socket", ["show", "/tmp/socket"],
             "iommufd-info: /tmp/socket: not a VFIO device. It is a socket, not a VFIO device cdev "
                + "(/dev/vfio/devices/vfioN); " + notVFIO, setup: files),
        Case("block device", ["probe", "/dev/sda"],
             "iommufd-info: /dev/sda: not a VFIO device. It is a block device, not a VFIO device cdev "
                + "(/dev/vfio/devices/vfioN); " + notVFIO, setup: files),
        Case("/dev/null", ["show", "/dev/null"],
             "iommufd-info: /dev/null: not a VFIO device. Character device 1:3 is not a VFIO device cdev according "
                + "to sysfs (its class is not vfio-dev); " + notVFIO),
        Case("/dev/null, probed", ["probe", "/dev/null"],
             "iommufd-info: /dev/null: not a VFIO device. Character device 1:3 is not a VFIO device cdev according "
                + "to sysfs (its class is not vfio-dev); " + notVFIO),
        Case("another character device: /dev/iommu", ["show", "/dev/iommu"],
             "iommufd-info: /dev/iommu: not a VFIO device. Character device 10:257 is not a VFIO device cdev "
                + "according to sysfs (its class is not vfio-dev); " + notVFIO),
        Case("a legacy VFIO group node", ["probe", "/dev/vfio/1"],
             "iommufd-info: /dev/vfio/1: not a VFIO device. Character device 253:1 is not a VFIO device cdev "
                + "according to sysfs (its class is not vfio-dev); " + notVFIO),
        Case("symbolic link to /dev/null", ["show", "/tmp/link-to-null"],
             "iommufd-info: /tmp/link-to-null: not a VFIO device. Character device 1:3 is not a VFIO device cdev "
                + "according to sysfs (its class is not vfio-dev); " + notVFIO, setup: files),
        Case("symbolic link to a regular file", ["show", "/tmp/link-to-regular"],
             "iommufd-info: /tmp/link-to-regular: not a VFIO device. It is a regular file, not a VFIO device cdev "
                + "(/dev/vfio/devices/vfioN); " + notVFIO, setup: files),
        Case("symbolic link to a directory", ["probe", "/tmp/link-to-dir"],
             "iommufd-info: /tmp/link-to-dir: not a VFIO device. It is a directory, not a VFIO device cdev "
                + "(/dev/vfio/devices/vfioN); " + notVFIO, setup: files),
        Case("symbolic link to a FIFO", ["show", "/tmp/link-to-fifo"],
             "iommufd-info: /tmp/link-to-fifo: not a VFIO device. It is a FIFO, not a VFIO device cdev "
                + "(/dev/vfio/devices/vfioN); " + notVFIO, setup: files),
        Case("dangling symbolic link", ["show", "/tmp/dangling"],
             "iommufd-info: /tmp/dangling: check VFIO device: no such file or directory (ENOENT). " + listHint,
             setup: files),
        Case("symbolic link loop", ["show", "/tmp/loop-a"],
             "iommufd-info: /tmp/loop-a: check VFIO device: too many levels of symbolic links (ELOOP). "
                + "Cannot inspect the file.", setup: files),
        Case("relative path", ["show", "./nothing"],
             "iommufd-info: ./nothing: check VFIO device: no such file or directory (ENOENT). " + listHint),
    ]

    static let deviceNames: [Case] = [
        Case("PCI address with a bad function", ["show", "0000:00:03.8"],
             "iommufd-info: 0000:00:03.8: not a valid PCI address. " + pciForm, status: 64),
        Case("PCI address with a bad device", ["show", "00:20.0"],
             "iommufd-info: 00:20.0: not a valid PCI address. " + pciForm, status: 64),
        Case("PCI address with too many parts", ["probe", "00:3.0.1"],
             "iommufd-info: 00:3.0.1: not a valid PCI address. " + pciForm, status: 64),
        Case("PCI address with a non-hex bus", ["show", "0000:zz:03.0"],
             "iommufd-info: 0000:zz:03.0: not a valid PCI address. " + pciForm, status: 64),
        Case("PCI address without a function", ["show", "0000:00:03"],
             "iommufd-info: 0000:00:03: not a valid PCI address. " + pciForm, status: 64),
        Case("PCI address with four colons", ["show", "1:2:3:4.0"],
             "iommufd-info: 1:2:3:4.0: not a valid PCI address. " + pciForm, status: 64),
        Case("PCI address with an empty bus", ["show", ":03.0"],
             "iommufd-info: :03.0: not a valid PCI address. " + pciForm, status: 64),
        Case("a name without a number", ["show", "vfio"],
             "iommufd-info: vfio: not a VFIO device name. VFIO device cdevs are named vfioN (e.g. vfio0); "
                + "`iommufd-info list` shows them.", status: 64),
        Case("a name with a sign", ["probe", "vfio-1"],
             "iommufd-info: vfio-1: not a VFIO device name. VFIO device cdevs are named vfioN (e.g. vfio0); "
                + "`iommufd-info list` shows them.", status: 64),
        Case("a network interface name", ["show", "eth0"],
             "iommufd-info: eth0: not a device. Give a VFIO device path (/dev/vfio/devices/vfioN), its name (vfioN) "
                + "or its PCI address (0000:00:03.0 or 00:03.0); `iommufd-info list` shows them.", status: 64),
        Case("an empty device", ["show", ""],
             "iommufd-info: '': not a device. Give a VFIO device path (/dev/vfio/devices/vfioN), its name (vfioN) "
                + "or its PCI address (0000:00:03.0 or 00:03.0); `iommufd-info list` shows them.", status: 64),
        Case("non-existent PCI address", ["show", "0000:00:1f.7"],
             "iommufd-info: 0000:00:1f.7: no such device. No PCI device 0000:00:1f.7 on this system (see `lspci -D`)."),
        Case("non-existent PCI address without domain", ["probe", "00:1f.7"],
             "iommufd-info: 00:1f.7: no such device. No PCI device 0000:00:1f.7 on this system (see `lspci -D`)."),
        Case("PCI device bound to another driver", ["show", "00:03.0"],
             "iommufd-info: 00:03.0: not a VFIO device. PCI device 0000:00:03.0 is bound to e1000e, not vfio-pci "
                + "with a device cdev; as root: `echo vfio-pci > /sys/bus/pci/devices/0000:00:03.0/driver_override; "
                + "echo 0000:00:03.0 > /sys/bus/pci/devices/0000:00:03.0/driver/unbind; echo 0000:00:03.0 > "
                + "/sys/bus/pci/drivers_probe` (needs CONFIG_VFIO_DEVICE_CDEV).",
             setup: { model in
                 model.addDevice(HostDevice(address: PCIAddress(bus: 0, device: 3, function: 0)!, vfioIndex: nil,
                                            driver: "e1000e", iommuGroup: 3, iommu: "dmar0", profile: .intelVTd()))
             }),
    ]

    static let system: [Case] = [
        Case("missing /dev/iommu", ["show", "vfio0"],
             "iommufd-info: /dev/iommu: no iommufd node (ENOENT). The kernel was built without CONFIG_IOMMUFD or the "
                + "iommufd module is not loaded (try `modprobe iommufd`); Debian's and many distributions' kernels "
                + "ship without it.", host: Hosts.noIOMMUFD),
        Case("missing /dev/iommu, probed", ["probe", "0000:00:01.0"],
             "iommufd-info: /dev/iommu: no iommufd node (ENOENT). The kernel was built without CONFIG_IOMMUFD or the "
                + "iommufd module is not loaded (try `modprobe iommufd`); Debian's and many distributions' kernels "
                + "ship without it.", host: Hosts.noIOMMUFD),
        Case("--iommufd naming a missing file", ["show", "vfio0", "--iommufd", "/dev/iommu0"],
             "iommufd-info: /dev/iommu0: no iommufd node (ENOENT). The iommufd node is normally /dev/iommu."),
        Case("--iommufd naming a regular file", ["probe", "vfio0", "--iommufd", "/tmp/regular"],
             "iommufd-info: /tmp/regular: not an iommufd node: it is a regular file. Give the iommufd character "
                + "device (/dev/iommu); nothing was opened.", setup: files),
        Case("--iommufd naming a directory", ["show", "vfio0", "--iommufd", "/tmp/dir"],
             "iommufd-info: /tmp/dir: not an iommufd node: it is a directory. Give the iommufd character device "
                + "(/dev/iommu); nothing was opened.", setup: files),
        Case("--iommufd naming a FIFO", ["show", "vfio0", "--iommufd", "/tmp/link-to-fifo"],
             "iommufd-info: /tmp/link-to-fifo: not an iommufd node: it is a FIFO. Give the iommufd character device "
                + "(/dev/iommu); nothing was opened.", setup: files),
        Case("--iommufd naming /dev/null", ["probe", "vfio0", "--iommufd", "/dev/null"],
             "iommufd-info: /dev/null: not an iommufd node: character device 1:3 is not misc/iommu (sysfs calls it "
                + "null). Give the iommufd character device (/dev/iommu); nothing was opened."),
        Case("--iommufd naming a VFIO device", ["show", "vfio0", "--iommufd", "/dev/vfio/devices/vfio1"],
             "iommufd-info: /dev/vfio/devices/vfio1: not an iommufd node: character device 252:1 is not misc/iommu "
                + "(sysfs calls it vfio1). Give the iommufd character device (/dev/iommu); nothing was opened."),
        Case("no permission on the device", ["show", "vfio0"],
             "iommufd-info: vfio0 (/dev/vfio/devices/vfio0): open VFIO device: permission denied (EACCES). Run as "
                + "root or grant access to /dev/vfio/devices/vfio0.",
             setup: { $0.denyAccess(to: "/dev/vfio/devices/vfio0") }),
        Case("no permission on /dev/iommu", ["probe", "vfio0"],
             "iommufd-info: /dev/iommu: open iommufd: permission denied (EACCES). Run as root, or give your user "
                + "read-write access to /dev/iommu (a udev rule or group).",
             setup: { $0.denyAccess(to: "/dev/iommu") }),
        Case("device open refused with EBUSY", ["show", "vfio0"],
             "iommufd-info: vfio0 (/dev/vfio/devices/vfio0): open VFIO device: device or resource busy (EBUSY). "
                + "The device is in use by another process or its VFIO group is open.",
             setup: { $0.injectFault(.resourceBusy, on: .nextCall(to: "open", path: "/dev/vfio/devices/vfio0")) }),
        Case("device bound elsewhere: its VFIO group is open (EBUSY)", ["show", "vfio0"],
             "iommufd-info: vfio0 (/dev/vfio/devices/vfio0): VFIO_DEVICE_BIND_IOMMUFD failed: EBUSY (Device or resource busy). The device is "
                + "already bound to an iommufd or open through its VFIO group (/dev/vfio/N); close the other user first.",
             noIoctl: false, host: {
                 var host = ModelHost.qemuIntelVTd(devices: 1)
                 host.devices[0].use = .groupOpenedByLegacyVFIO
                 return KernelModel(host: host)
             }),
        Case("device bound by another process (EINVAL)", ["probe", "vfio0"],
             "iommufd-info: vfio0 (/dev/vfio/devices/vfio0): VFIO_DEVICE_BIND_IOMMUFD failed: EINVAL (Invalid argument). The "
                + "device is already bound to an iommufd (through another descriptor or process), or the descriptor "
                + "passed is not an iommufd.",
             noIoctl: false, host: {
                 var host = ModelHost.qemuIntelVTd(devices: 1)
                 host.devices[0].use = .boundByAnotherProcess
                 return KernelModel(host: host)
             }),
        Case("device's IOMMU group owned elsewhere (EPERM)", ["show", "vfio0"],
             "iommufd-info: vfio0 (/dev/vfio/devices/vfio0): VFIO_DEVICE_BIND_IOMMUFD failed: EPERM (Operation not permitted). The kernel "
                + "refuses to bind: without interrupt remapping (MSI isolation) it needs "
                + "`iommufd.allow_unsafe_interrupts=1`, or the process lacks privilege.",
             noIoctl: false, host: {
                 var host = ModelHost.qemuIntelVTd(devices: 1)
                 host.devices[0].use = .groupClaimedElsewhere
                 return KernelModel(host: host)
             }),
        Case("GET_HW_INFO missing from the kernel", ["show", "vfio0"],
             "iommufd-info: vfio0: IOMMU_GET_HW_INFO failed: ENOTTY (Inappropriate ioctl for device). Linux 7.2 does "
                + "not know IOMMU_GET_HW_INFO (added in Linux 6.6), or the descriptor is not an iommufd.",
             noIoctl: false, setup: { $0.injectFault(.inappropriateIOCTLForDevice, on: .nextIoctl(.getHWInfo)) }),
    ]

    static let values: [Case] = [
        Case("not hexadecimal", ["decode", "vtd", "--cap", "zz", "--ecap", "0"],
             "iommufd-info: --cap zz: not a hexadecimal number ('z' is not a hex digit). Give the VT-d capability "
                + "register (CAP_REG) in hexadecimal, with or without 0x (e.g. 0x00d2008c222f0606).", status: 64),
        Case("a bad digit inside", ["decode", "vtd", "--cap", "0", "--ecap", "0x12g4"],
             "iommufd-info: --ecap 0x12g4: not a hexadecimal number ('g' is not a hex digit). Give the VT-d extended "
                + "capability register (ECAP_REG) in hexadecimal, with or without 0x (e.g. 0x0000490080f00f4a).",
             status: 64),
        Case("only the prefix", ["decode", "amd", "--efr", "0x"],
             "iommufd-info: --efr 0x: no value given. Give the AMD Extended Feature Register in hexadecimal, with or "
                + "without 0x (e.g. 0x29d3).", status: 64),
        Case("an empty value", ["decode", "amd", "--efr", "0x29d3", "--efr2", ""],
             "iommufd-info: --efr2 '': no value given. Give the AMD Extended Feature 2 Register in hexadecimal, with "
                + "or without 0x (e.g. 0x0).", status: 64),
        Case("a negative number", ["decode", "amd", "--efr=-1"],
             "iommufd-info: --efr -1: not a hexadecimal number ('-' is not a hex digit). Give the AMD Extended Feature "
                + "Register in hexadecimal, with or without 0x (e.g. 0x29d3).", status: 64),
        Case("decimal digits of another script", ["decode", "amd", "--efr", "٣"],
             "iommufd-info: --efr '٣': not a hexadecimal number ('٣' is not a hex digit). Give the AMD Extended "
                + "Feature Register in hexadecimal, with or without 0x (e.g. 0x29d3).", status: 64),
        Case("65 bits", ["decode", "vtd", "--cap", "0x10000000000000000", "--ecap", "0"],
             "iommufd-info: --cap 0x10000000000000000: the value overflows 64 bits. The VT-d capability register "
                + "(CAP_REG) is 64 bits wide: give at most 16 significant hex digits.", status: 64),
        Case("far beyond 64 bits", ["decode", "amd", "--efr", "ffffffffffffffffffffffffffffffffffff"],
             "iommufd-info: --efr ffffffffffffffffffffffffffffffffffff: the value overflows 64 bits. The AMD Extended "
                + "Feature Register is 64 bits wide: give at most 16 significant hex digits.", status: 64),
        Case("flags beyond 32 bits", ["decode", "vtd", "--cap", "0", "--ecap", "0", "--flags", "0x100000000"],
             "iommufd-info: --flags 0x100000000: the value overflows 32 bits. The iommu_hw_info_vtd flags word is 32 "
                + "bits wide: give at most 8 significant hex digits.", status: 64),
        Case("an IDR beyond 32 bits", ["decode", "smmuv3", "--idr", "0,0,0,0,0,1ffffffff"],
             "iommufd-info: --idr 0,0,0,0,0,1ffffffff: SMMU_IDR5 1ffffffff overflows 32 bits. SMMU_IDR registers are "
                + "32 bits wide: give at most 8 significant hex digits.", status: 64),
        Case("a bad IDR", ["decode", "smmuv3", "--idr", "0,0,x,0,0,0"],
             "iommufd-info: --idr 0,0,x,0,0,0: SMMU_IDR2 x is not a hexadecimal number ('x' is not a hex digit). Give "
                + "six 32-bit hexadecimal values separated by commas, with or without 0x.", status: 64),
        Case("an empty IDR", ["decode", "smmuv3", "--idr", "0,0,,0,0,0"],
             "iommufd-info: --idr 0,0,,0,0,0: SMMU_IDR2 is empty. Give six 32-bit hexadecimal values separated by "
                + "commas.", status: 64),
        Case("five IDRs", ["decode", "smmuv3", "--idr", "1,2,3,4,5"],
             "iommufd-info: --idr 1,2,3,4,5: expected six values (SMMU_IDR0 to SMMU_IDR5), got 5. Separate the six "
                + "32-bit hexadecimal values with commas, e.g. --idr 0x0d40101a,0x02730010,0,0x404,0,0x54.", status: 64),
        Case("seven IDRs", ["decode", "smmuv3", "--idr", "1,2,3,4,5,6,7"],
             "iommufd-info: --idr 1,2,3,4,5,6,7: expected six values (SMMU_IDR0 to SMMU_IDR5), got 7. Separate the six "
                + "32-bit hexadecimal values with commas, e.g. --idr 0x0d40101a,0x02730010,0,0x404,0,0x54.", status: 64),
        Case("IIDR beyond 32 bits", ["decode", "smmuv3", "--idr", "0,0,0,0,0,0", "--iidr", "123456789"],
             "iommufd-info: --iidr 123456789: the value overflows 32 bits. SMMU_IIDR is 32 bits wide: give at most 8 "
                + "significant hex digits.", status: 64),
    ]

    static let usage: [Case] = [
        Case("unknown subcommand", ["frobnicate"],
             "iommufd-info: Unexpected argument 'frobnicate'. Run `iommufd-info --help` for usage.", status: 64),
        Case("unknown option", ["show", "--bogus", "vfio0"],
             "iommufd-info: Unknown option '--bogus'. Run `iommufd-info show --help` for usage.", status: 64),
        Case("misspelt option", ["probe", "vfio0", "--jsn"],
             "iommufd-info: Unknown option '--jsn'. Did you mean '--json'? Run `iommufd-info probe --help` for usage.",
             status: 64),
        Case("missing DEVICE", ["show"],
             "iommufd-info: Missing expected argument '<device>'. Run `iommufd-info show --help` for usage.", status: 64),
        Case("two DEVICEs", ["probe", "vfio0", "vfio1"],
             "iommufd-info: Unexpected argument 'vfio1'. Run `iommufd-info probe --help` for usage.", status: 64),
        Case("missing register kind", ["decode"],
             "iommufd-info: Missing the register kind after 'decode': vtd, smmuv3 or amd. Run `iommufd-info decode "
                + "--help` for usage.", status: 64),
        Case("unknown register kind", ["decode", "intel"],
             "iommufd-info: Unexpected argument 'intel'. Run `iommufd-info decode --help` for usage.", status: 64),
        Case("missing --ecap", ["decode", "vtd", "--cap", "0"],
             "iommufd-info: Missing expected argument '--ecap <hex>'. Run `iommufd-info decode vtd --help` for usage.",
             status: 64),
        Case("--iommufd without its value", ["list", "--iommufd"],
             "iommufd-info: Missing value for '--iommufd <path>'. Run `iommufd-info list --help` for usage.",
             status: 64),
    ]

    @Test(arguments: deviceFiles + deviceNames + system + values + usage)
    func badInput(_ input: Case) {
        let model = input.host()
        input.setup(model)
        let run = runInfo(input.arguments, on: model)
        #expect(run.errorLines == [input.expected])
        #expect(run.errorOutput.hasSuffix("\n"))
        #expect(run.status == input.status)
        #expect(run.output == "")
        if input.noIoctl {
            #expect(model.ioctlTrace.isEmpty, "\(model.ioctlTrace)")
        }
        #expect(ioctlsOnlyOnVFIODevicesAndIOMMUFD(model), "an ioctl reached another file: \(model.trace)")
        #expect(model.isQuiescent, "leaked: \(model.liveObjects) \(model.openDescriptors)")
    }

    @Test func errorsWithJSONStillGoToStandardErrorAsOneLine() {
        let run = runInfo(["show", "/dev/null", "--json"], on: Hosts.vm())
        #expect(run.status == 1)
        #expect(run.output == "")
        #expect(run.errorLines.count == 1)
    }

    @Test func helpIsNotAnError() {
        for arguments in [["--help"], ["show", "--help"], ["help", "probe"], ["decode", "vtd", "-h"]] {
            let run = runInfo(arguments, on: Hosts.vm())
            #expect(run.status == 0, "\(arguments)")
            #expect(run.output.contains("USAGE: iommufd-info"), "\(arguments)")
            #expect(run.errorOutput == "")
        }
    }
}
