import IOMMUFD
import IOMMUFDInfoCommand
import IOMMUFDTesting

/// One run of `iommufd-info` over a kernel model: status and both outputs.
struct InfoRun: Sendable {
    /// The exit status.
    let status: Int32
    /// Standard output.
    let output: String
    /// Standard error.
    let errorOutput: String

    /// The lines of standard error.
    var errorLines: [String] {
        errorOutput.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}

/// Runs `iommufd-info` with `arguments` against `model`, capturing its output.
func runInfo(_ arguments: [String], on model: KernelModel, iommufdPath: String = "/dev/iommu") -> InfoRun {
    let output = CapturedOutput()
    let errorOutput = CapturedOutput()
    let environment = InfoEnvironment(backend: model, output: output, errorOutput: errorOutput, iommufdPath: iommufdPath)
    let status = IOMMUFDInfo.run(arguments: arguments, environment: environment)
    return InfoRun(status: status, output: output.text, errorOutput: errorOutput.text)
}

/// Runs `iommufd-info` for an offline command (no model needed, but one is
/// given so that any stray system call would land in it).
func runOffline(_ arguments: [String]) -> (InfoRun, KernelModel) {
    let model = KernelModel(host: .empty)
    return (runInfo(arguments, on: model), model)
}
