import Foundation
import Synchronization
import Testing

/// Golden outputs: the expected output of a command, compared byte for byte.
///
/// Each golden lives in `Tests/IOMMUFDInfoTests/Golden/<name>.swift` as a raw
/// string literal, so the test target needs no resources and the build stays
/// free of warnings about unhandled files; `GoldenIndex.swift` maps names to
/// them. Run the tests with `IOMMUFD_INFO_UPDATE_GOLDEN=1` to rewrite the
/// goldens (and the index) from the actual output, then rebuild and review
/// the diff.
enum Golden {
    /// The golden directory, found from this source file.
    static let directory: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(2)  // Support/Golden.swift
        return parts.joined(separator: "/") + "/Golden"
    }()

    /// Whether goldens are rewritten instead of compared.
    static let updating = ProcessInfo.processInfo.environment["IOMMUFD_INFO_UPDATE_GOLDEN"] == "1"

    /// Serialises rewriting (tests run in parallel).
    private static let writing = Mutex(())

    /// The Swift identifier of a golden's constant: `list-vm-vtd.txt` → `list_vm_vtd_txt`.
    static func identifier(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Compares `actual` with the golden `name`; records an issue with the
    /// first differing line when they differ.
    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if updating {
            write(actual, name)
            return
        }
        guard let expected = GoldenIndex.all[name] else {
            Issue.record("golden \(name) is missing; run the tests with IOMMUFD_INFO_UPDATE_GOLDEN=1 to create it",
                         sourceLocation: sourceLocation)
            return
        }
        guard actual != expected else { return }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        let got = line < a.count ? String(a[line]) : "<end>"
        let want = line < e.count ? String(e[line]) : "<end>"
        Issue.record("output differs from golden \(name) at line \(line + 1):\n  got:  \(got)\n  want: \(want)",
                     sourceLocation: sourceLocation)
    }

    /// Writes the golden `name` and regenerates the index from the directory.
    private static func write(_ text: String, _ name: String) {
        writing.withLock { _ in
            let source = """
                // Golden output `\(name)` of iommufd-info. Generated: run the tests with
                // IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

                extension GoldenIndex {
                    static let \(identifier(name)) = ##\"\"\"

                """ + text + "\n\"\"\"##\n}\n"
            save(source, "\(directory)/\(name).swift")
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            let names = files.filter { $0.hasSuffix(".swift") && $0 != "GoldenIndex.swift" }
                .map { String($0.dropLast(".swift".count)) }.sorted()
            var index = "// The golden outputs by name. Generated with the goldens; see Support/Golden.swift.\n\n"
            index += "enum GoldenIndex {\n    static let all: [String: String] = [\n"
            for golden in names { index += "        \"\(golden)\": \(identifier(golden)),\n" }
            index += "    ]\n}\n"
            save(index, "\(directory)/GoldenIndex.swift")
        }
    }

    /// Writes a regenerated file; a failure fails the test (a golden that was
    /// not written must not pass as updated).
    private static func save(_ text: String, _ path: String) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            Issue.record("could not write \(path): \(error)")
        }
    }
}
