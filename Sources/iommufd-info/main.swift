// iommufd-info: the command line. All logic is in IOMMUFDInfoCommand, so the
// tests can run the very same code over the in-memory kernel model.
import IOMMUFDInfoCommand
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

exit(IOMMUFDInfo.main(Array(CommandLine.arguments.dropFirst())))
