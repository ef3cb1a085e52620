import Testing

/// The root of the hardware tests: every suite below shares the machine's
/// devices and kernel state, so they run one test at a time (`.serialized`
/// applies to the nested suites too). Filter on `HardwareTests` to run them.
@Suite("HardwareTests", .serialized)
enum HardwareTests {}
