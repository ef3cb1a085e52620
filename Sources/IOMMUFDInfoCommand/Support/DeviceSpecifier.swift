import IOMMUFD

/// The DEVICE argument of `show` and `probe`, checked for form before
/// anything is looked up: a path, a cdev name or a PCI address.
struct DeviceSpecifier: Sendable, Equatable {
    /// The forms DEVICE can take.
    enum Form: Sendable, Equatable {
        /// A path (`/dev/vfio/devices/vfio0`, a link to it, `./vfio0`).
        case path
        /// A cdev name (`vfio0`).
        case name
        /// A PCI address, with or without the domain.
        case pciAddress(PCIAddress)
    }

    /// What the user typed.
    var text: String
    /// How it was understood.
    var form: Form

    /// Classifies `text`, or throws the usage error saying what is wrong with it.
    init(_ text: String) throws(CommandFailure) {
        self.text = text
        if text.hasPrefix("/") || text.hasPrefix(".") {
            form = .path
        } else if text.hasPrefix("vfio"), text.count > 4, text.dropFirst(4).allSatisfy({ $0.isASCII && $0.isNumber }) {
            form = .name
        } else if let address = PCIAddress(parsing: text) {
            form = .pciAddress(address)
        } else if text.contains(":") {
            throw .usage(quotedArgument(text), "not a valid PCI address",
                         "write it as DDDD:BB:DD.F or BB:DD.F in hexadecimal, with device 00 to 1f and function "
                             + "0 to 7 (e.g. 0000:00:03.0 or 00:03.0); `lspci -D` lists them")
        } else if text.hasPrefix("vfio") {
            throw .usage(quotedArgument(text), "not a VFIO device name",
                         "VFIO device cdevs are named vfioN (e.g. vfio0); `iommufd-info list` shows them")
        } else {
            throw .usage(quotedArgument(text), "not a device",
                         "give a VFIO device path (/dev/vfio/devices/vfioN), its name (vfioN) or its PCI address "
                             + "(0000:00:03.0 or 00:03.0); `iommufd-info list` shows them")
        }
    }
}
