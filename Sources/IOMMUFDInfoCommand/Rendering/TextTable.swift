/// Left-aligned columns separated by two spaces, for the text reports.
struct TextTable {
    /// The rows, header first when there is one.
    var rows: [[String]] = []

    /// Adds a row.
    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The rows as lines, each starting with `indent`; trailing blanks removed.
    func lines(indent: String = "\t") -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            var line = indent
            for (index, cell) in row.enumerated() {
                line += cell
                if index + 1 < row.count { line += String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            return line
        }
    }
}

/// `label` padded to `width` characters, then `value`: one aligned line of a
/// key/value section.
func field(_ label: String, _ value: String, width: Int = 16) -> String {
    let padded = label.count >= width ? label + " " : label + String(repeating: " ", count: width - label.count)
    return "\t" + padded + value
}
