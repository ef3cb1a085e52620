import Logging
import SystemPackage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension AutodomainPolicy {
    /// Starts or stops dirty tracking on every dirty-tracking HWPT. When one
    /// fails, those already changed are set back and the error is thrown.
    public func setDirtyTracking(_ enabled: Bool, iommufd: borrowing IOMMUFD) throws(IOMMUFDError) {
        try checkIOMMUFD(iommufd, operation: .hwptSetDirtyTracking)
        var changed: [HWPTID] = []
        for hwpt in state.hwpts where hwpt.dirtyTracking {
            do throws(IOMMUFDError) {
                try iommufd.setDirtyTracking(enabled, for: hwpt.id)
                changed.append(hwpt.id)
            } catch {
                for done in changed {
                    do throws(IOMMUFDError) {
                        try iommufd.setDirtyTracking(!enabled, for: done)
                    } catch let rollback {
                        logger.warning("rolling back dirty tracking of \(done) failed: \(rollback)")
                    }
                }
                throw error
            }
        }
        logger.debug("dirty tracking \(enabled ? "started" : "stopped") on \(changed.count) HWPT(s)")
    }

    /// The IDs of the dirty-tracking HWPTs.
    var dirtyTrackingHWPTs: [HWPTID] { state.hwpts.filter(\.dirtyTracking).map(\.id) }

    /// Reads the union of the dirty bitmaps of every dirty-tracking HWPT into
    /// `bitmap` (bits already set stay set).
    public func readDirtyBitmap(into bitmap: inout DirtyBitmap, iommufd: borrowing IOMMUFD, clear: Bool = true) throws(IOMMUFDError) {
        try checkIOMMUFD(iommufd, operation: .hwptGetDirtyBitmap)
        try Self.readDirtyBitmaps(of: dirtyTrackingHWPTs, into: &bitmap, iommufd: iommufd, clear: clear)
    }

    /// The union of the dirty bitmaps of `hwpts` into `bitmap`: the policy's
    /// read, and the container's once it has listed the HWPTs under its lock.
    static func readDirtyBitmaps(
        of hwpts: [HWPTID], into bitmap: inout DirtyBitmap, iommufd: borrowing IOMMUFD, clear: Bool
    ) throws(IOMMUFDError) {
        for hwpt in hwpts {
            try iommufd.readDirtyBitmap(of: hwpt, into: &bitmap, clear: clear)
        }
    }
}
