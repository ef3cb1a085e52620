extension RegisterFieldSpec {
    /// The value for the raw bits `raw`, as shown to humans.
    public func displayString(forRaw raw: UInt64) -> String {
        let raw = raw & bits.maxValue
        let value = self.value(forRaw: raw)
        if case .flag(let b) = value { return b ? "+" : "-" }
        let number: UInt64
        if case .number(let n) = value { number = n } else { number = raw }
        let digits = max(1, (bits.width + 3) / 4)
        switch display {
        case .decimal:
            return String(number)
        case .hex:
            return hexString(number, digits: digits)
        case .bits:
            return "\(number) bits"
        case .bytes:
            return "\(hexString(number, digits: 1)) bytes"
        case .names(let names):
            let name = raw < UInt64(names.count) ? names[Int(raw)] : ""
            return "\(raw) (\(name.isEmpty ? "reserved" : name))"
        case .bitNames(let names):
            let set = RegisterBitRange.positions(in: raw).map { bit in
                bit < names.count && !names[bit].isEmpty ? names[bit] : "bit \(bit)"
            }
            return "\(hexString(raw, digits: digits)) (\(set.isEmpty ? "none" : set.joined(separator: ", ")))"
        case .log2(let unit):
            let count = RegisterFieldTransform.powerOfTwo(base: 0, step: 1).apply(raw)
            return "\(raw) (\(count == .max ? "2^\(raw)" : String(count)) \(unit))"
        }
    }
}

/// Text helpers shared by the decoders' human-readable output.
enum DecodedTextFormat {
    /// `size` bytes with a binary suffix when it is a whole multiple: "4K",
    /// "2M", "1G", "512G".
    static func size(_ size: UInt64) -> String {
        let units: [(UInt64, String)] = [(60, "E"), (50, "P"), (40, "T"), (30, "G"), (20, "M"), (10, "K")]
        for (shift, suffix) in units {
            let unit = UInt64(1) << shift
            if size >= unit && size % unit == 0 { return "\(size / unit)\(suffix)" }
        }
        return "\(size)B"
    }

    /// A list of sizes, with runs of three or more consecutive powers of two
    /// collapsed into "4K-256G".
    static func sizes(_ sizes: [UInt64]) -> String {
        let sorted = Array(Set(sizes)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end] <= UInt64.max / 2, sorted[end + 1] == sorted[end] * 2,
                  sorted[end] & (sorted[end] &- 1) == 0 {
                end += 1
            }
            if end - index >= 2 {
                parts.append("\(size(sorted[index]))-\(size(sorted[end]))")
            } else {
                for i in index...end { parts.append(size(sorted[i])) }
            }
            index = end + 1
        }
        return parts.joined(separator: " ")
    }

    /// `text` padded with spaces to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }

    /// A list of integers: "3, 4".
    static func list(_ values: [Int]) -> String {
        values.map(String.init).joined(separator: ", ")
    }
}
