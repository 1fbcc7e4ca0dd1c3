import Foundation
import Raft

@testable import CairnServer

/// Runs `body` with a fresh directory under the system temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-log-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

/// Default options but 1 MiB segments, so that tests do not write 64 MiB of zeros per log.
var smallSegments: DurableLogOptions { DurableLogOptions(segmentSize: 1 << 20) }

/// A deterministic, non-zero payload for the entry at `index` (non-zero so that a flipped byte is
/// never mistaken for an unwritten sector).
func payload(_ index: UInt64, size: Int) -> [UInt8] {
    (0..<size).map { UInt8(truncatingIfNeeded: (index &* 31 &+ UInt64($0)) % 251 + 1) }
}

/// Entries `range` in `term`, each with a `size`-byte payload.
func makeEntries(_ range: ClosedRange<UInt64>, term: UInt64, size: Int = 64) -> [Entry] {
    range.map { Entry(term: Term($0 == 0 ? 0 : term), index: LogIndex($0), data: payload($0, size: size)) }
}

/// The whole live log, read through the `LogStorage` interface.
func allEntries(_ storage: some LogStorage) throws -> [Entry] {
    let first = try storage.firstIndex()
    let last = try storage.lastIndex()
    if last < first { return [] }
    return try storage.entries(first, last + 1, maxSize: .max)
}

/// The path of a segment file of the log in `directory`.
func segmentPath(_ directory: String, _ sequence: UInt64) -> String {
    directory + "/" + SegmentFile.fileName(sequence: sequence)
}

/// The bytes of a file.
func readFile(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Replaces a file's bytes.
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// A small, fast, seedable generator (SplitMix64) so that failures reproduce from the seed.
struct SeededGenerator: RandomNumberGenerator {
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
