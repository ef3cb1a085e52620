@testable import IOMMUFD
import Testing

/// `AttachDecision` keeps its facts in two packed words: every fact must
/// read back as it was given, at the edges of its range, and none may
/// leak into another.
@Suite("AttachDecision packing")
struct AttachDecisionPackingTests {
    static let outcomes: [AttachDecision.Outcome] = [
        .attachedToIOAS(IOASID(rawValue: .max)), .reused(HWPTID(rawValue: 0)), .allocated(HWPTID(rawValue: 0x8000_0001)),
        .resumed(HWPTID(rawValue: 7)), .recordedSaved(HWPTID(rawValue: .max)),
    ]

    @Test("every outcome, device and flag word reads back; the one-bit facts stay clear", arguments: outcomes)
    func outcomeRoundTrip(outcome: AttachDecision.Outcome) {
        for (device, flags) in [(UInt32.max, UInt32.max), (0, 0), (0x1234_5678, 0x8000_0001)] {
            let attempt = AutodomainPolicy.Attempt(device: BoundDeviceID(rawValue: device), wants: [.pasidAttach],
                                                   liveUpdate: false, ioctls: 65_535)
            let decision = AttachDecision(attempt, outcome: outcome, flags: HWPTAllocFlags(rawValue: flags))
            #expect(decision.outcome == outcome)
            #expect(decision.device.rawValue == device && decision.flags.rawValue == flags)
            #expect(decision.wants == [.pasidAttach] && decision.ioctlCount == 65_535)
            #expect(!decision.liveUpdate && !decision.bypassReadOnly && !decision.droppedDirtyTracking
                    && !decision.lacksContainerDirtyTracking)
            #expect(decision.rejections.isEmpty && decision.hardwareInfo == nil)
        }
    }

    @Test("each one-bit fact reads back alone, next to an all-ones object ID")
    func bitsRoundTrip() {
        let info = HardwareInfo(type: .intelVTd, vendorData: .intelVTd(IntelVTdHardwareInfo(capReg: 1, ecapReg: 2)))
        for bit in 0..<4 {
            let attempt = AutodomainPolicy.Attempt(device: BoundDeviceID(rawValue: 3), wants: [],
                                                   liveUpdate: bit == 0, ioctls: 0)
            let decision = AttachDecision(attempt, outcome: .allocated(HWPTID(rawValue: .max)), flags: .dirtyTracking,
                                          hardwareInfo: info, bypassReadOnly: bit == 1, droppedDirtyTracking: bit == 2,
                                          lacksContainerDirtyTracking: bit == 3)
            #expect([decision.liveUpdate, decision.bypassReadOnly, decision.droppedDirtyTracking,
                     decision.lacksContainerDirtyTracking] == (0..<4).map { $0 == bit })
            #expect(decision.outcome == .allocated(HWPTID(rawValue: .max)) && decision.ioctlCount == 0)
            #expect(decision.dirtyTracking && decision.hardwareInfo == info)
        }
    }

    @Test("the common reuse is one ioctl with nothing out of line, equal to the same facts built the long way")
    func fastPathMatchesGeneral() {
        let fast = AttachDecision(device: BoundDeviceID(rawValue: 5), reused: HWPTID(rawValue: 9), flags: .pasid,
                                  wants: [.pasidSupported])
        let attempt = AutodomainPolicy.Attempt(device: BoundDeviceID(rawValue: 5), wants: [.pasidSupported],
                                               liveUpdate: false, ioctls: 1)
        let general = AttachDecision(attempt, outcome: .reused(HWPTID(rawValue: 9)), flags: .pasid)
        #expect(fast == general && fast.hashValue == general.hashValue)
        #expect(fast.details == nil && fast.ioctlCount == 1)
        #expect(MemoryLayout<AttachDecision>.size == 4 * MemoryLayout<UInt64>.size,
                "four words: passed and returned in registers")
    }
}
