import Foundation
import MVCC
import Raft
import Synchronization
import Testing

@testable import CairnServer

/// Runs `body` with a fresh directory, removed afterwards.
func withNodeDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-node-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url.path)
}

/// A member configuration for tests: small log segments, no zero fill, a small map, fixed seeds.
func testConfiguration(_ id: UInt64, peers: [UInt64], directory: String) -> CairnNode.Configuration {
    var c = CairnNode.Configuration(memberID: id, peers: peers, dataDirectory: directory + "/m\(id)")
    c.logSegmentSize = 1 << 20
    c.logZeroFill = false
    c.storeMapSize = 64 << 20
    c.randomSeed = id * 7919
    c.requestIDSeed = 1000 * id
    return c
}

/// Bytes of a string.
func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Lets the member finish what it has: a loop turn, the applier's queue, another turn (the
/// advance of the applied Ready).
func settle(_ node: CairnNode) async {
    await node.barrier()
    node.applier.drain()
    await node.barrier()
}

/// A counter shared with callbacks.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func add(_ n: Int = 1) { value.add(n, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}
