public import CIOMMUFD   // GET_HW_INFO's common case is inlinable
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

extension IOMMUFD {
    /// The vendor data buffer GET_HW_INFO fills on the stack (a
    /// ``VendorDataBuffer``): larger than any vendor structure of the pinned
    /// UAPI, so newer kernels' growth fits.
    static var hardwareInfoBufferSize: Int { MemoryLayout<VendorDataBuffer>.size }

    /// Describes the IOMMU behind a bound device (`IOMMU_GET_HW_INFO`).
    ///
    /// - Parameters:
    ///   - device: A device bound to this iommufd.
    ///   - type: An info type to request (`IOMMU_HW_INFO_FLAG_INPUT_TYPE`,
    ///     Linux 6.17), for IOMMUs that can describe themselves in more than one
    ///     way (e.g. Tegra241 CMDQV or plain SMMUv3). Older kernels refuse any
    ///     flag with `EOPNOTSUPP`; the call then asks again without it and
    ///     reports ``HardwareInfo/requestedTypeFellBack``.
    /// - Returns: The info type, vendor data, capabilities and PASID width.
    ///   Vendor data shorter than the library's structure (an older kernel) is
    ///   zero-extended; longer data (a newer kernel) is read up to what the
    ///   library knows, and ``HardwareInfo/vendorDataLength`` tells the full length.
    @inlinable @inline(__always)
    public func hardwareInfo(
        for device: BoundDeviceID, requesting type: HardwareInfoType? = nil
    ) throws(IOMMUFDError) -> HardwareInfo {
        // The usual call, without a type, is inlined where it is made: the
        // caller issues the system call from its own frame (see perform).
        if let type { return try requestedHardwareInfo(for: device, type: type) }
        return try defaultHardwareInfo(for: device)
    }

    /// ``hardwareInfo(for:requesting:)`` with a requested type (and the
    /// fallback of kernels before 6.17).
    @usableFromInline
    func requestedHardwareInfo(
        for device: BoundDeviceID, type: HardwareInfoType
    ) throws(IOMMUFDError) -> HardwareInfo {
        try withUnsafeTemporaryAllocation(byteCount: Self.hardwareInfoBufferSize, alignment: 16) {
            (buffer) throws(IOMMUFDError) -> HardwareInfo in
            try hardwareInfo(for: device, requesting: type, buffer: buffer)
        }
    }

    /// ``hardwareInfo(for:requesting:)`` without a requested type: the
    /// common case, inlined with its decoding into the caller.
    @inlinable @inline(__always)
    func defaultHardwareInfo(for device: BoundDeviceID) throws(IOMMUFDError) -> HardwareInfo {
        var vendor = VendorDataBuffer()
        return try withUnsafeMutableBytes(of: &vendor) { (buffer) throws(IOMMUFDError) -> HardwareInfo in
            var command = Self.hardwareInfoCommand(for: device, buffer: buffer, requesting: nil)
            try perform(.getHWInfo, CIOMMUFD_IOMMU_GET_HW_INFO, &command, objects: [device.reference],
                        context: .hardwareInfo(requestedType: false))
            return decodeHardwareInfo(command, buffer, requesting: nil, fellBack: false)
        }
    }

    /// The GET_HW_INFO structure asking about `device` into `buffer`, with
    /// `IOMMU_HW_INFO_FLAG_INPUT_TYPE` when a type is requested.
    @inlinable @inline(__always)
    static func hardwareInfoCommand(
        for device: BoundDeviceID, buffer: UnsafeMutableRawBufferPointer, requesting type: HardwareInfoType?
    ) -> iommu_hw_info {
        var command = iommu_hw_info()
        command.size = UInt32(MemoryLayout<iommu_hw_info>.size)
        command.dev_id = device.rawValue
        command.data_len = UInt32(buffer.count)
        command.data_uptr = UInt64(UInt(bitPattern: buffer.baseAddress))
        if let type {
            command.flags = UInt32(IOMMU_HW_INFO_FLAG_INPUT_TYPE.rawValue)
            command.in_data_type = type.rawValue
        }
        return command
    }

    /// The vendor data buffer of GET_HW_INFO, on the stack: 128 zeroed bytes.
    @usableFromInline
    struct VendorDataBuffer {
        @usableFromInline
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

        @inlinable init() { words = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) }
    }

    private func hardwareInfo(
        for device: BoundDeviceID, requesting type: HardwareInfoType, buffer: UnsafeMutableRawBufferPointer
    ) throws(IOMMUFDError) -> HardwareInfo {
        var command = iommu_hw_info()
        var fellBack = false
        func ask(withType: Bool) throws(IOMMUFDError) {
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            command = Self.hardwareInfoCommand(for: device, buffer: buffer, requesting: withType ? type : nil)
            try perform(.getHWInfo, CIOMMUFD_IOMMU_GET_HW_INFO, &command, objects: [device.reference],
                        context: .hardwareInfo(requestedType: withType))
        }
        do throws(IOMMUFDError) {
            try ask(withType: true)
        } catch where error.errno == Errno(rawValue: EOPNOTSUPP) {
            // Kernels before 6.17 refuse every GET_HW_INFO flag.
            fellBack = true
            try ask(withType: false)
        }
        return decodeHardwareInfo(command, buffer, requesting: type, fellBack: fellBack)
    }

    /// Turns what GET_HW_INFO returned into a ``HardwareInfo``.
    @inlinable @inline(__always)
    func decodeHardwareInfo(
        _ command: iommu_hw_info, _ buffer: UnsafeMutableRawBufferPointer,
        requesting type: HardwareInfoType?, fellBack: Bool
    ) -> HardwareInfo {
        let infoType = HardwareInfoType(rawValue: command.out_data_type)
        let validBytes = min(Int(command.data_len), buffer.count)
        // Bytes past what the kernel reported are not trusted, even though the
        // kernel zeroes them: the structure is decoded as if they were zero.
        // Only the structure's own bytes are cleared, and only when the kernel
        // reported fewer (an older kernel): usually there is nothing to clear.
        @inline(__always) func load<Raw>(_: Raw.Type) -> Raw {
            let size = min(MemoryLayout<Raw>.size, buffer.count)
            if validBytes < size {
                UnsafeMutableRawBufferPointer(rebasing: buffer[validBytes..<size])
                    .initializeMemory(as: UInt8.self, repeating: 0)
            }
            return buffer.loadUnaligned(as: Raw.self)
        }
        let vendor: VendorData
        switch infoType {
        case .none:
            vendor = .none
        case .intelVTd:
            let raw = load(iommu_hw_info_vtd.self)
            vendor = .intelVTd(IntelVTdHardwareInfo(
                flags: .init(rawValue: raw.flags), capReg: raw.cap_reg, ecapReg: raw.ecap_reg))
        case .armSMMUv3:
            let raw = load(iommu_hw_info_arm_smmuv3.self)
            vendor = .armSMMUv3(ARMSMMUv3HardwareInfo(
                flags: raw.flags, idr0: raw.idr.0, idr1: raw.idr.1, idr2: raw.idr.2, idr3: raw.idr.3,
                idr4: raw.idr.4, idr5: raw.idr.5, iidr: raw.iidr, aidr: raw.aidr))
        case .tegra241CMDQV:
            let raw = load(iommu_hw_info_tegra241_cmdqv.self)
            vendor = .tegra241CMDQV(Tegra241CMDQVHardwareInfo(
                flags: raw.flags, version: raw.version, log2VCMDQs: raw.log2vcmdqs, log2VSIDs: raw.log2vsids))
        case .amd:
            let raw = load(iommu_hw_info_amd.self)
            vendor = .amd(AMDHardwareInfo(efr: raw.efr, efr2: raw.efr2))
        case .unknown(let rawType):
            vendor = .unknown(type: rawType, bytes: Self.unknownVendorBytes(buffer, count: validBytes))
        }
        return HardwareInfo(
            typeNumber: command.out_data_type, vendorData: vendor,
            capabilities: HardwareCapabilities(rawValue: command.out_capabilities),
            maxPASIDLog2: command.out_max_pasid_log2, vendorDataLength: command.data_len,
            requestedTypeNumber: type?.rawValue, requestedTypeFellBack: fellBack)
    }

    /// The valid bytes of the buffer, for an info type the library does not
    /// decode (out of line: rare).
    @usableFromInline @inline(never)
    static func unknownVendorBytes(_ buffer: UnsafeMutableRawBufferPointer, count: Int) -> VendorDataBytes {
        VendorDataBytes(truncating: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
    }

    /// Reads the vendor data of GET_HW_INFO as raw bytes, all of them: for
    /// vendor data longer than ``VendorDataBytes/capacity`` (see
    /// ``HardwareInfo/vendorDataLength``), or to keep or decode the registers
    /// elsewhere.
    ///
    /// - Parameters:
    ///   - device: A device bound to this iommufd.
    ///   - type: An info type to request, as in ``hardwareInfo(for:requesting:)``
    ///     (and, as there, not requested from kernels that predate it).
    /// - Returns: The kernel's `data_len` bytes.
    public func vendorDataBytes(
        for device: BoundDeviceID, requesting type: HardwareInfoType? = nil
    ) throws(IOMMUFDError) -> [UInt8] {
        let info = try hardwareInfo(for: device, requesting: type)
        let requested = info.requestedTypeFellBack ? nil : type
        var length = Int(info.vendorDataLength)
        var bytes: [UInt8] = []
        // The length is the IOMMU driver's structure size; should it grow
        // between the calls, ask again with the new one (a few times at most).
        for _ in 0..<3 where length > 0 {
            bytes = [UInt8](repeating: 0, count: length)
            let reported: UInt32 = try bytes.withMutableBytes { (buffer) throws(IOMMUFDError) -> UInt32 in
                var command = Self.hardwareInfoCommand(for: device, buffer: buffer, requesting: requested)
                try perform(.getHWInfo, CIOMMUFD_IOMMU_GET_HW_INFO, &command, objects: [device.reference],
                            context: .hardwareInfo(requestedType: requested != nil))
                return command.data_len
            }
            if Int(reported) <= length { return Array(bytes.prefix(Int(reported))) }
            length = Int(reported)
        }
        return bytes
    }
}
