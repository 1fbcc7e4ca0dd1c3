import Foundation
import Testing

@testable import MVCC

/// Batches, the applied index, and what survives a crash (simulated by failing the write
/// transaction before commit, which is exactly what LMDB leaves on disk after a crash at that
/// point: the previous committed state).
@Suite struct DurabilityTests {
    struct Crash: Error {}

    @Test func uncommittedBatchIsInvisibleAfterReopen() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var store: MVCCStore? = try MVCCStore(path: dir.path, configuration: testConfiguration())
        let first = try store!.apply(
            [.put(PutRequest(key: "a".bytes, value: "1".bytes)), .put(PutRequest(key: "b".bytes, value: "1".bytes))],
            index: 5)
        #expect(first?.revision == 3)
        let before = try store!.state()
        #expect(throws: MVCCError.self) {
            try store!.apply(
                [
                    .put(PutRequest(key: "a".bytes, value: "2".bytes)),
                    .deleteRange(DeleteRangeRequest(key: "b".bytes)),
                    .compact(CompactionRequest(revision: 3)), .leaseGrant(LeaseGrantRequest(id: 1, ttl: 5)),
                ], index: 6, beforeCommit: { throw Crash() })
        }
        // Also invisible before reopening.
        #expect(try store!.state() == before)
        store = nil
        store = try MVCCStore(path: dir.path, configuration: testConfiguration())
        #expect(try store!.state() == MVCCStore.State(appliedIndex: 5, currentRevision: 3, compactRevision: -1))
        #expect(try store!.get("a")?.value == "1".bytes)
        #expect(try store!.get("b")?.value == "1".bytes)
        #expect(try store!.leases().isEmpty)
        #expect(try store!.hashKV().compactRevision == -1)
        // The same batch replays cleanly after the "crash", exactly once.
        let replay = try store!.apply([.put(PutRequest(key: "a".bytes, value: "2".bytes))], index: 6)
        #expect(replay?.revision == 4)
        #expect(try store!.apply([.put(PutRequest(key: "a".bytes, value: "3".bytes))], index: 6) == nil)
        #expect(try store!.apply([.put(PutRequest(key: "a".bytes, value: "3".bytes))], index: 2) == nil)
        #expect(try store!.get("a")?.value == "2".bytes)
        // Metadata commits with its batch, and not with a failed one; an empty batch records the index.
        _ = try store!.apply([], index: 7, metadata: ["term": [3], "members": [1, 2]])
        #expect(throws: MVCCError.self) {
            try store!.apply([], index: 8, metadata: ["term": [4]], beforeCommit: { throw Crash() })
        }
        store = nil
        store = try MVCCStore(path: dir.path, configuration: testConfiguration())
        #expect(try store!.metadata("term") == [3])
        #expect(try store!.metadata("members") == [1, 2])
        #expect(try store!.metadata("absent") == nil)
        #expect(try store!.state().appliedIndex == 7)
    }

    @Test func appliedIndexAlwaysMatchesTheState() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var store: MVCCStore? = try MVCCStore(path: dir.path, configuration: testConfiguration())
        var rng = SplitMix64(seed: 42)
        var expectedRevision: Int64 = 1
        for index in UInt64(1)...60 {
            let crash = Int.random(in: 0..<3, using: &rng) == 0
            let ops = (0..<Int.random(in: 1...20, using: &rng)).map { i in
                WriteOperation.put(PutRequest(key: Array("k\(i % 7)".utf8), value: Array("\(index)".utf8)))
            }
            do {
                _ = try store!.apply(ops, index: index, beforeCommit: crash ? { throw Crash() } : nil)
                expectedRevision += Int64(ops.count)
            } catch {
                #expect(crash)
                // Restart after the crash; the batch is retried by the log, as Raft would.
                store = nil
                store = try MVCCStore(path: dir.path, configuration: testConfiguration())
                #expect(try store!.state().appliedIndex == index - 1)
                _ = try store!.apply(ops, index: index)
                expectedRevision += Int64(ops.count)
            }
            let state = try store!.state()
            #expect(state.appliedIndex == index && state.currentRevision == expectedRevision)
            #expect(try store!.range(RangeRequest(key: "k0".bytes)).kvs.first?.modRevision ?? 0 <= expectedRevision)
        }
    }

    @Test func serializableReadsRunConcurrentlyWithBatches() throws {
        try withStore { (store, _) throws in
            try store.put("x", "0")
            try store.put("y", "0")
            let torn = Counter()
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                if worker == 0 {
                    for i in 1...200 {
                        let v = Array("\(i)".utf8)
                        _ = try? store.apply(
                            [
                                .txn(
                                    TxnRequest(success: [
                                        .put(PutRequest(key: "x".bytes, value: v)),
                                        .put(PutRequest(key: "y".bytes, value: v)),
                                    ]))
                            ],
                            index: UInt64(10 + i))
                    }
                } else {
                    for _ in 0..<200 {
                        let r = try? store.range(RangeRequest(key: "x".bytes, rangeEnd: "z".bytes))
                        if r?.kvs.count != 2 || r?.kvs[0].value != r?.kvs[1].value { torn.increment() }
                    }
                }
            }
            #expect(torn.value == 0)
            #expect(try store.get("y")?.value == "200".bytes)
        }
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
