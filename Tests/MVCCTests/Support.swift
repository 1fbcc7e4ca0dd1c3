import Foundation
import Testing

@testable import MVCC

/// A fresh directory under the system temp dir, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("mvcc-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// SplitMix64: a small seeded generator, so every sequence is repeatable from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

/// Test configuration: no fsync (the process does not really crash), small initial map.
func testConfiguration(maxTxnOps: Int = 128) -> MVCCStore.Configuration {
    MVCCStore.Configuration(
        maxTxnOps: maxTxnOps,
        environment: .init(mapSize: 1 << 20, maxDatabases: 8, noSync: true))
}

/// Opens a store in a new temp dir and runs `body`; the directory is removed afterwards.
func withStore<R>(maxTxnOps: Int = 128, _ body: (MVCCStore, TemporaryDirectory) throws -> R) throws -> R {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let store = try MVCCStore(path: dir.path, configuration: testConfiguration(maxTxnOps: maxTxnOps))
    return try body(store, dir)
}

extension MVCCStore {
    /// Applies one operation as its own batch at the next index and returns its result.
    func one(_ operation: WriteOperation) throws -> OperationResult {
        let index = try state().appliedIndex + 1
        return try apply([operation], index: index)!.results[0]
    }

    @discardableResult
    func put(_ key: String, _ value: String, lease: Int64 = 0) throws -> Int64 {
        let result = try one(.put(PutRequest(key: key.bytes, value: value.bytes, lease: lease)))
        guard case .success(.put(let response)) = result.response else { throw result.response.failure! }
        return response.revision
    }

    func get(_ key: String, revision: Int64 = 0) throws -> KeyValue? {
        try range(RangeRequest(key: key.bytes, revision: revision)).kvs.first
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// `value` described with runs of 8 or more equal numbers collapsed ("107 ×600"), so that failures
/// involving long keys stay readable.
func brief(_ value: Any) -> String {
    let text = String(describing: value)
    guard let regex = try? NSRegularExpression(pattern: #"\b(\d+)(, \1\b){7,}"#) else { return text }
    var result = text
    for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
        guard let range = Range(match.range, in: result), let number = Range(match.range(at: 1), in: text) else {
            continue
        }
        let count = result[range].components(separatedBy: ", ").count
        result.replaceSubrange(range, with: "\(text[number]) ×\(count)")
    }
    return result
}

/// Records a failure with brief descriptions when `got != want`; returns whether they matched.
@discardableResult
func expectEqual<T: Equatable>(
    _ got: T, _ want: T, _ context: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
) -> Bool {
    if got == want { return true }
    Issue.record("\(context())\n  got:  \(brief(got))\n  want: \(brief(want))", sourceLocation: sourceLocation)
    return false
}
