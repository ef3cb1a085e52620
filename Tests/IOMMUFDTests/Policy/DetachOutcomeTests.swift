@testable import IOMMUFD
import Testing

/// `DetachOutcome` keeps its failures as `nil` when there are none: the
/// public `loggedFailures` must still behave as a plain array, and an
/// outcome whose failures were emptied must equal one that never had any.
@Suite("DetachOutcome failures")
struct DetachOutcomeTests {
    static let busy = IOMMUFDError(code: .objectBusy, operation: .destroy, hint: "still attached")
    static let invalid = IOMMUFDError(code: .system, operation: .vfioDeviceDetachIOMMUFDPT, hint: "errno 22")

    @Test("no failures: an empty list, held as nil")
    func empty() {
        let outcome = AutodomainContainer.DetachOutcome()
        #expect(outcome.loggedFailures.isEmpty && outcome.failureStorage == nil)
    }

    @Test("recorded failures read back in order")
    func recordKeepsOrder() {
        var outcome = AutodomainContainer.DetachOutcome()
        outcome.record(Self.busy)
        outcome.record(Self.invalid)
        #expect(outcome.loggedFailures.map(\.code) == [.objectBusy, .system])
        #expect(outcome.loggedFailures.map(\.operation) == [.destroy, .vfioDeviceDetachIOMMUFDPT])
    }

    @Test("set through the public list: an emptied list equals a fresh outcome, also as a hash key")
    func emptiedEqualsFresh() {
        var outcome = AutodomainContainer.DetachOutcome()
        outcome.loggedFailures.append(Self.busy)
        #expect(outcome.loggedFailures.count == 1 && outcome.failureStorage != nil)
        #expect(outcome != AutodomainContainer.DetachOutcome())
        outcome.loggedFailures.removeAll()
        #expect(outcome.failureStorage == nil)
        #expect(outcome == AutodomainContainer.DetachOutcome())
        #expect(Set([outcome, AutodomainContainer.DetachOutcome()]).count == 1)
    }
}
