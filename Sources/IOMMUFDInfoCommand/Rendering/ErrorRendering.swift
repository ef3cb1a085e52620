import IOMMUFD
import SystemPackage

/// A library error as JSON: `{"errno", "errno_value", "code", "message", "meaning"}`.
func errorJSON(_ error: IOMMUFDError) -> JSONValue {
    .object([
        "errno": error.errno.map { .string($0.symbolicName) } ?? .null,
        "errno_value": error.errno.map { .int(Int64($0.rawValue)) } ?? .null,
        "code": .string(error.code.rawValue),
        "message": .string(CommandFailure.summary(of: error)),
        "meaning": .string(error.hint),
    ])
}

/// A library error as text: `EOPNOTSUPP (Operation not supported)`, or the
/// summary when there is no errno.
func errnoText(_ error: IOMMUFDError) -> String {
    error.errno.map { "\($0.symbolicName) (\($0.description))" } ?? CommandFailure.summary(of: error)
}
