import IOMMUFD
import IOMMUFDTesting
import Testing

/// Random arguments never trap: the status is 0, 1 or 64, a failure is one
/// line on standard error, no ioctl reaches a file that is not a VFIO device
/// or the iommufd, and nothing leaks.
@Suite struct FuzzTests {
    /// SplitMix64: deterministic, so a failure can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = ["0", "1", "f", "F", "9", "a", "x", "0x", "0X", ":", ".", "/", "-", "vfio", "dev", "0000",
                         "00:01.0", "/dev/vfio/devices/", "/dev/null", "/tmp", ",", " ", "\n", "\t", "'", "\"", "\\",
                         "٣", "０", "é", "🙂", "\u{0}", "ffffffffffffffff", "..", "~", "*", "$(x)", "%s", "-1", "+",
                         "--json", "-v"]

    static func text(_ generator: inout Generator) -> String {
        let count = Int(generator.next() % 8)
        var text = ""
        for _ in 0..<count { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
        if generator.next() % 20 == 0 { text += String(repeating: "f", count: Int(generator.next() % 300)) }
        return text
    }

    @Test(arguments: 0..<8)
    func randomArguments(seed: Int) {
        var generator = Generator(state: UInt64(seed) &* 7919)
        for _ in 0..<60 {
            let model = Hosts.vm()
            model.addFile(.text("x"), at: "/tmp/regular")
            let a = Self.text(&generator), b = Self.text(&generator)
            let arguments: [String] = switch generator.next() % 6 {
            case 0: ["show", a]
            case 1: ["probe", a, "--iommufd", b]
            case 2: ["decode", "vtd", "--cap", a, "--ecap", b]
            case 3: ["decode", "smmuv3", "--idr", a, "--iidr", b]
            case 4: ["decode", "amd", "--efr", a, "--efr2", b]
            default: [a, b]
            }
            let run = runInfo(arguments, on: model)
            #expect([0, 1, 64].contains(run.status), "\(arguments)")
            if run.status != 0 {
                #expect(run.errorLines.count == 1, "\(arguments): \(run.errorOutput)")
                #expect(run.output == "", "\(arguments)")
            }
            #expect(ioctlsOnlyOnVFIODevicesAndIOMMUFD(model), "\(arguments)")
            #expect(model.isQuiescent, "\(arguments)")
        }
    }
}
