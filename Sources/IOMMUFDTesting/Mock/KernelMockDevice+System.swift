#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
internal import CIOMMUFD
internal import CIOMMUFDSelftest
public import IOMMUFD
public import SystemPackage

extension KernelMockDevice {
    /// Creates a mock device in `iommufd`, attached to `target`.
    ///
    /// - Parameters:
    ///   - iommufd: The iommufd.
    ///   - target: An IOAS (the kernel finds or makes an automatic domain) or an HWPT.
    ///   - flags: `MOCK_FLAGS_DEVICE_*`.
    /// - Throws: ``IOMMUFDError``; on a kernel without `CONFIG_IOMMUFD_TEST`,
    ///   ``IOMMUFDError/Code/unsupportedByKernel`` (`ENOTTY`).
    public init(in iommufd: borrowing IOMMUFD, attachingTo target: some AttachTargetID, flags: Flags = []) throws(IOMMUFDError) {
        try self.init(iommufdDescriptor: iommufd.descriptor.rawValue, attachingTo: target, flags: flags, backend: iommufd.backend)
    }

    /// Creates a mock device in the iommufd open as `descriptor`.
    public init(
        iommufd descriptor: FileDescriptor, attachingTo target: some AttachTargetID, flags: Flags = [],
        backend: (any SyscallBackend)? = nil
    ) throws(IOMMUFDError) {
        try self.init(iommufdDescriptor: descriptor.rawValue, attachingTo: target, flags: flags, backend: backend)
    }

    // MARK: - Test commands that are not about one device

    /// Reserves an IOVA range of an IOAS (`IOMMU_TEST_OP_ADD_RESERVED`).
    public static func addReservedRange(
        _ range: IOVARange, to ioas: IOASID, iommufd: FileDescriptor, backend: (any SyscallBackend)? = nil
    ) throws(IOMMUFDError) {
        var command = Self.command(Int(IOMMU_TEST_OP_ADD_RESERVED), id: ioas.rawValue)
        command.add_reserved.start = range.start
        command.add_reserved.length = range.last &- range.start &+ 1
        try run(&command, iommufd.rawValue, backend ?? LinuxSyscalls.shared, "ADD_RESERVED", [ioas.reference])
    }

    /// Sets the dirty bits of pages of a mock HWPT as a device write would
    /// (`IOMMU_TEST_OP_DIRTY`): one bit of `bitmap` per `pageSize` page from `iova`.
    ///
    /// - Returns: The number of bits that were set (`out_nr_dirty`).
    @discardableResult
    public static func setDirty(
        hwpt: HWPTID, iova: UInt64, pageSize: UInt64, bitmap: DirtyBitmap, iommufd: FileDescriptor,
        backend: (any SyscallBackend)? = nil
    ) throws(IOMMUFDError) -> UInt64 {
        var command = Self.command(Int(IOMMU_TEST_OP_DIRTY), id: hwpt.rawValue)
        var words = bitmap.words
        let backend = backend ?? LinuxSyscalls.shared
        let rc = words.withUnsafeMutableBytes { bytes in
            command.dirty.iova = bitmap.iova
            command.dirty.length = bitmap.length
            command.dirty.page_size = bitmap.pageSize
            command.dirty.uptr = UInt64(UInt(bitPattern: bytes.baseAddress))
            return call(&command, iommufd.rawValue, backend)
        }
        if rc < 0 { throw error("DIRTY", rc, [hwpt.reference]) }
        return command.dirty.out_nr_dirty
    }

    static func destroyObject(_ id: UInt32, _ fd: CInt, _ backend: any SyscallBackend) throws(IOMMUFDError) {
        var command = iommu_destroy(size: UInt32(MemoryLayout<iommu_destroy>.size), id: id)
        let rc = withUnsafeMutableBytes(of: &command) { backend.ioctl(fd, request: CIOMMUFD_IOMMU_DESTROY, argument: $0.baseAddress!) }
        if rc < 0 {
            let errno = Errno(rawValue: -rc)
            throw IOMMUFDError(code: errno.rawValue == EBUSY ? .objectBusy : .system, operation: .destroy, errno: errno,
                               objects: [ObjectReference(kind: "selftest object", id: id)],
                               hint: "destroying the mock device's selftest object failed")
        }
    }

    static func error(_ name: String, _ rc: CInt, _ objects: [ObjectReference]) -> IOMMUFDError {
        let errno = Errno(rawValue: -rc)
        let (code, hint): (IOMMUFDError.Code, String) = switch errno.rawValue {
        case ENOTTY: (.unsupportedByKernel, "the kernel was built without CONFIG_IOMMUFD_TEST (no mock device)")
        case ENOENT: (.noSuchObject, "no such object, or one of another kind")
        case EINVAL: (.incompatibleDomain, "the page table cannot serve the mock device, or an argument is invalid")
        case EBUSY: (.objectBusy, "the PASID or object is already in use")
        case EOPNOTSUPP: (.unsupportedFeature, "the mock driver or this kernel does not support the request")
        default: (.system, "IOMMU_TEST_CMD(\(name)) failed")
        }
        return IOMMUFDError(code: code, operation: operation(name), errno: errno, objects: objects, hint: hint)
    }

}
