@testable import IOMMUFD
import IOMMUFDTesting
import SystemPackage
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

    @Test("a VFIODevice's detach (its own method, called directly) keeps nil when nothing failed, and a failure naming the device when something did")
    func detachOfAVFIODevice() throws {
        let f = try PolicyFixture(host: .qemuIntelVTd(devices: 2))
        try f.container.attach(f.first, iommufd: f.iommufd, wants: [])
        try f.container.attach(f.second, iommufd: f.iommufd, wants: [])
        let clean = f.container.detach(f.first, iommufd: f.iommufd)
        #expect(clean.failureStorage == nil && clean.ioctlCount == 1)

        f.model.injectFault(Errno(rawValue: 5), on: .nextCall(to: "VFIO_DEVICE_DETACH_IOMMUFD_PT"))
        let failed = f.container.detach(f.second, iommufd: f.iommufd)
        #expect(failed.failureStorage?.first?.errno == Errno(rawValue: 5))
        #expect(failed.loggedFailures == failed.failureStorage)
        // The error names the operation, the device's node and its ID.
        let failure = try #require(failed.failureStorage?.first)
        let path = f.second.location.devicePath
        let id = f.second.deviceID
        #expect(failure.operation == .vfioDeviceDetachIOMMUFDPT)
        #expect(failure.path == path && path == "/dev/vfio/devices/vfio1")
        #expect(id != nil && failure.objects == id.map { [$0.reference] })
    }

    @Test("the same through the generic path, inlined into this module (kernel mock devices), owned and shared")
    func detachThroughTheGenericPath() throws {
        let f = try MockPolicyFixture()
        // A mock device's detach destroys it: two new devices for each.
        let container = f.container()
        let a = try f.mock(), b = try f.mock()
        try container.attach(a, iommufd: f.iommufd, wants: [])
        try container.attach(b, iommufd: f.iommufd, wants: [])
        let sharedKept = container.detach(a, iommufd: f.iommufd)
        let sharedLast = container.detach(b, iommufd: f.iommufd)
        #expect(sharedKept.failureStorage == nil && !sharedKept.destroyedHWPT)
        #expect(sharedLast.failureStorage == nil && sharedLast.destroyedHWPT)

        var policy = AutodomainPolicy(ioas: f.ioas, iommufd: f.iommufd)
        let c = try f.mock(), d = try f.mock()
        try policy.attach(c, iommufd: f.iommufd, wants: [])
        try policy.attach(d, iommufd: f.iommufd, wants: [])
        let ownedKept = policy.detach(c, iommufd: f.iommufd)
        let ownedLast = policy.detach(d, iommufd: f.iommufd)
        #expect(ownedKept.failureStorage == nil && !ownedKept.destroyedHWPT)
        #expect(ownedLast.failureStorage == nil && ownedLast.destroyedHWPT)
    }
}
