import IOMMUFD

/// Builds PCI configuration space images for the model's devices: the
/// standard header, an optional MSI capability and, for PCI Express
/// devices, the extended capabilities an IOMMU cares about.
public struct PCIConfigSpace: Sendable, Hashable {
    /// An extended capability to place in the list at `0x100`.
    public enum ExtendedCapability: Sendable, Hashable {
        /// PASID (ID 0x1b): width in bits (1–20), execute and privileged
        /// support, and whether it is enabled.
        case pasid(width: UInt8, execute: Bool = false, privileged: Bool = false, enabled: Bool = true)
        /// Address Translation Services (ID 0x0f).
        case ats(invalidateQueueDepth: UInt8 = 0, enabled: Bool = false)
        /// Page Request Interface (ID 0x13).
        case pri(outstandingRequests: UInt32 = 32, enabled: Bool = false)
    }

    /// The image bytes (256, or 4096 for PCI Express devices).
    public var bytes: [UInt8]

    /// Builds an image.
    ///
    /// - Parameters:
    ///   - vendor: The vendor ID.
    ///   - device: The device ID.
    ///   - classCode: The 24-bit class code (e.g. `0x00ff00`).
    ///   - revision: The revision ID.
    ///   - express: Whether the device is PCI Express (4 KiB space, an
    ///     Express capability); extended capabilities need it.
    ///   - extended: The extended capabilities, in list order.
    public init(
        vendor: UInt16, device: UInt16, classCode: UInt32, revision: UInt8 = 0x10, express: Bool = false,
        extended: [ExtendedCapability] = []
    ) {
        var bytes = [UInt8](repeating: 0, count: express || !extended.isEmpty ? 4096 : 256)
        func put16(_ at: Int, _ value: UInt16) {
            bytes[at] = UInt8(value & 0xff)
            bytes[at + 1] = UInt8(value >> 8)
        }
        func put32(_ at: Int, _ value: UInt32) {
            put16(at, UInt16(value & 0xffff))
            put16(at + 2, UInt16(value >> 16))
        }
        put16(0x00, vendor)
        put16(0x02, device)
        put16(0x06, 0x0010)                       // status: capability list
        bytes[0x08] = revision
        bytes[0x09] = UInt8(classCode & 0xff)
        bytes[0x0a] = UInt8((classCode >> 8) & 0xff)
        bytes[0x0b] = UInt8((classCode >> 16) & 0xff)
        put32(0x10, 0x0000_0000)                  // BAR0 (memory, virtualised)
        put16(0x2c, vendor)                       // subsystem vendor
        put16(0x2e, 0x1100)                       // subsystem
        bytes[0x34] = 0x40                        // capability pointer
        // MSI capability at 0x40 (ID 0x05), next: Express at 0x60 if any.
        bytes[0x40] = 0x05
        bytes[0x41] = bytes.count > 256 ? 0x60 : 0x00
        if bytes.count > 256 {
            bytes[0x60] = 0x10                    // PCI Express capability
            bytes[0x61] = 0x00
            put16(0x62, 0x0002)                   // version 2, endpoint
        }
        var offset = 0x100
        for (index, capability) in extended.enumerated() {
            let next = index + 1 < extended.count ? offset + 0x10 : 0
            func header(_ id: UInt16) { put32(offset, UInt32(id) | 1 << 16 | UInt32(next) << 20) }
            switch capability {
            case .pasid(let width, let execute, let privileged, let enabled):
                header(0x1b)
                put16(offset + 4, UInt16(width & 0x1f) << 8 | (execute ? 0x2 : 0) | (privileged ? 0x4 : 0))
                put16(offset + 6, (enabled ? 0x1 : 0) | (execute ? 0x2 : 0) | (privileged ? 0x4 : 0))
            case .ats(let depth, let enabled):
                header(0x0f)
                put16(offset + 4, UInt16(depth & 0x1f) | 0x20)
                put16(offset + 6, enabled ? 0x8000 : 0)
            case .pri(let outstanding, let enabled):
                header(0x13)
                put16(offset + 4, enabled ? 0x1 : 0)
                put16(offset + 6, 0x8000)
                put32(offset + 8, outstanding)
                put32(offset + 12, enabled ? outstanding : 0)
            }
            offset += 0x10
        }
        self.bytes = bytes
    }

    /// QEMU's `edu` device (`1234:11e8`, class `0x00ff00`, 256 bytes, MSI).
    public static let qemuEdu = PCIConfigSpace(vendor: 0x1234, device: 0x11e8, classCode: 0x00ff00)
}
