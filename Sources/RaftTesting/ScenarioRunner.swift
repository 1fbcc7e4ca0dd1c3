/// Runs golden scenario files (see `ScenarioFile` for the format and docs/simulator.md for the
/// commands).
///
/// ```swift
/// let actual = ScenarioRunner.run(text: expected)
/// #expect(actual == expected)   // or write `actual` back when CAIRN_REWRITE_GOLDEN=1
/// ```
public enum ScenarioRunner {
    /// Runs every command of `text` on a fresh cluster and returns the file with each command's
    /// expected output replaced by what it actually printed.
    public static func run(text: String) -> String {
        let file = ScenarioFile(parsing: text)
        let environment = ScenarioEnvironment()
        let outputs = file.commands.map { environment.run($0) }
        return file.rendered(outputs: outputs)
    }

    /// A unified-style line diff of `expected` against `actual` (empty when equal), for test
    /// failure messages.
    public static func diff(expected: String, actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [String] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                i += 1
                j += 1
                continue
            }
            // Resynchronise on the next line of `new` that appears soon in `old`.
            if j < new.count, let skip = old[i...].prefix(20).firstIndex(of: new[j]) {
                while i < skip {
                    lines.append("-\(i + 1): \(old[i])")
                    i += 1
                }
                continue
            }
            if j < new.count {
                lines.append("+\(j + 1): \(new[j])")
                j += 1
            } else {
                lines.append("-\(i + 1): \(old[i])")
                i += 1
            }
            if lines.count > 60 {
                lines.append("...")
                break
            }
        }
        return lines.joined(separator: "\n")
    }
}
