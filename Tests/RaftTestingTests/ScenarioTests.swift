import Foundation
import RaftTesting
import Testing

/// Golden scenario files: each file's full output must equal the checked-in text.
/// `CAIRN_REWRITE_GOLDEN=1 swift test --filter ScenarioTests` rewrites them; review the diff.
struct ScenarioTests {
    /// The source folder, so a rewrite lands in the repository, not in the build's resource copy.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scenarios")

    static func scenarioNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }

    @Test("there are at least 25 golden scenarios")
    func scenarioCount() {
        #expect(Self.scenarioNames().count >= 25)
    }

    @Test("golden scenario", arguments: scenarioNames())
    func scenario(name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        let expected = try String(contentsOf: url, encoding: .utf8)
        let actual = ScenarioRunner.run(text: expected)
        if ProcessInfo.processInfo.environment["CAIRN_REWRITE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(actual == expected, "\(name) differs:\n\(ScenarioRunner.diff(expected: expected, actual: actual))")
    }

    @Test("the scenario file format round-trips")
    func formatRoundTrip() {
        let text = """
            # a comment
            raft-state
            ----
            ok

            # another
            log-level none
            ----
            ok

            """
        #expect(ScenarioRunner.run(text: text) == text)
    }

    @Test("an unknown command prints an error instead of crashing")
    func unknownCommand() {
        let out = ScenarioRunner.run(text: "frobnicate 1\n----\n")
        #expect(out.contains("error: unknown command frobnicate"))
    }

    @Test("the diff names the differing lines")
    func diff() {
        let d = ScenarioRunner.diff(expected: "a\nb\nc", actual: "a\nx\nc")
        #expect(d.contains("-2: b"))
        #expect(d.contains("+2: x"))
    }
}
