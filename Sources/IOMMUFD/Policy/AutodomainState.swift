extension AutodomainContainer {
    /// An HWPT of the container as the state keeps it: its devices are in
    /// the ``DeviceTable``.
    @usableFromInline
    struct HWPTRecord: Sendable {
        @usableFromInline var id: HWPTID
        @usableFromInline var flags: HWPTAllocFlags
        var dirtyTracking: Bool { flags.contains(.dirtyTracking) }
    }

    /// The container's state behind its lock.
    ///
    /// Not copyable, so the device table it owns can be changed in place:
    /// the policy's attach (reuse) and detach touch only the table and the
    /// device's ioctl — no copy-on-write check, no reference counting, no
    /// call into the runtime. ``AutodomainContainer/Snapshot`` is the
    /// copyable view of it.
    @usableFromInline
    struct State: ~Copyable, Sendable {
        /// The HWPTs, newest first.
        @usableFromInline var hwpts: [HWPTRecord] = []
        /// Which device is on which HWPT.
        @usableFromInline var devices = DeviceTable()
        /// Devices attached to the IOAS directly (mediated devices), newest first.
        @usableFromInline var ioasDevices: [BoundDeviceID] = []
        /// PASID attachments made through the container: device → PASID → HWPT.
        @usableFromInline var pasids: [BoundDeviceID: [UInt32: HWPTID]] = [:]
        var dirtyPagesSupported = false
        var bypassReadOnly = false
        var undestroyedHWPTs: [HWPTID] = []

        /// Whether the device is attached through the container.
        @inlinable @inline(__always)
        func isAttached(_ device: BoundDeviceID) -> Bool {
            devices.hwpt(of: device) != nil || (!ioasDevices.isEmpty && ioasDevices.contains(device))
        }

        /// The HWPT the device is attached to.
        func hwpt(of device: BoundDeviceID) -> HWPTRecord? {
            guard let id = devices.hwpt(of: device) else { return nil }
            return hwpts.first { $0.id == id }
        }

        /// The copyable view.
        var snapshot: Snapshot {
            var snapshot = Snapshot(
                hwpts: hwpts.map { ManagedHWPT(id: $0.id, flags: $0.flags, attachOrder: devices.devices(on: $0.id)) },
                ioasDevices: ioasDevices, pasids: pasids, dirtyPagesSupported: dirtyPagesSupported,
                bypassReadOnly: bypassReadOnly)
            snapshot.undestroyedHWPTs = undestroyedHWPTs
            return snapshot
        }
    }

    /// The devices on the container's HWPTs, each with its HWPT, in the
    /// order they were attached, in storage the table alone owns.
    ///
    /// Sendable because the storage has exactly one owner, which cannot be
    /// copied: moving the table moves the only way to reach it. (Without the
    /// conformance, region-based isolation would tie the locked state to the
    /// caller's device argument.) Entries are plain numbers (`BitwiseCopyable`,
    /// checked by the compiler): the table copies them bitwise and frees its
    /// storage without deinitializing.
    @usableFromInline
    struct DeviceTable: ~Copyable, @unchecked Sendable {
        @usableFromInline
        struct Entry: BitwiseCopyable {
            @usableFromInline var deviceNumber: UInt32
            @usableFromInline var hwptNumber: UInt32
            var device: BoundDeviceID { BoundDeviceID(rawValue: deviceNumber) }
            @inlinable var hwpt: HWPTID { HWPTID(rawValue: hwptNumber) }

            @inlinable
            init(deviceNumber: UInt32, hwptNumber: UInt32) {
                self.deviceNumber = deviceNumber
                self.hwptNumber = hwptNumber
            }
        }

        // Internal (not private) for the inlinable operations below.
        @usableFromInline var entries: UnsafeMutablePointer<Entry>
        @usableFromInline var capacity: Int
        @usableFromInline var count = 0

        init(capacity: Int = 8) {
            precondition(capacity > 0, "a device table needs room for one device")
            self.capacity = capacity
            self.entries = .allocate(capacity: capacity)
        }

        // Inlinable because the policy's inlinable code replaces the state
        // that owns the table: Swift 6.3.1's optimizer stops on an assertion
        // when such a setter would destroy a table whose deinit is not.
        @inlinable deinit {
            entries.deallocate()
        }

        /// The HWPT the device is on.
        @inlinable @inline(__always)
        func hwpt(of device: BoundDeviceID) -> HWPTID? {
            var index = 0
            while index < count {
                if entries[index].deviceNumber == device.rawValue { return entries[index].hwpt }
                index += 1
            }
            return nil
        }

        /// Whether any device is on the HWPT.
        @inlinable @inline(__always)
        func isUsed(_ hwpt: HWPTID) -> Bool {
            var index = 0
            while index < count {
                if entries[index].hwptNumber == hwpt.rawValue { return true }
                index += 1
            }
            return false
        }

        /// The devices on the HWPT, oldest first.
        func devices(on hwpt: HWPTID) -> [BoundDeviceID] {
            UnsafeBufferPointer(start: entries, count: count).filter { $0.hwptNumber == hwpt.rawValue }.map(\.device)
        }

        /// Records a device on an HWPT (the device must not be in the table).
        @inlinable @inline(__always)
        mutating func append(_ device: BoundDeviceID, on hwpt: HWPTID) {
            if count == capacity { grow() }
            (entries + count).initialize(to: Entry(deviceNumber: device.rawValue, hwptNumber: hwpt.rawValue))
            count += 1
        }

        /// Removes a device, keeping the others' order.
        ///
        /// - Returns: The HWPT it was on; `nil` if it was not in the table.
        @inlinable @inline(__always)
        mutating func remove(_ device: BoundDeviceID) -> HWPTID? {
            var index = count - 1
            while index >= 0 {
                if entries[index].deviceNumber == device.rawValue {
                    let hwpt = entries[index].hwpt
                    while index < count - 1 {
                        entries[index] = entries[index + 1]
                        index += 1
                    }
                    count -= 1
                    return hwpt
                }
                index -= 1
            }
            return nil
        }

        @usableFromInline @inline(never)
        mutating func grow() {
            let larger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = larger
            capacity *= 2
        }
    }
}
