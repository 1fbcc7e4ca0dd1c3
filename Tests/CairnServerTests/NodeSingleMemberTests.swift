import Foundation
import MVCC
import Raft
import Synchronization
import Testing

@testable import CairnServer

/// One member: the write path end to end, restart, and batching.
@Suite(.timeLimit(.minutes(1))) struct NodeSingleMemberTests {
    @Test func putGetDeleteTxn() async throws {
        try await withNodeDirectory { dir in
            let node = try CairnNode(
                configuration: testConfiguration(1, peers: [1], directory: dir), transport: InProcessTransport(),
                clock: ManualClock())
            defer { node.shutdown() }
            let p1 = try await node.put(PutRequest(key: b("a"), value: b("1")))
            let p2 = try await node.put(PutRequest(key: b("a"), value: b("2"), prevKV: true))
            #expect(p2.revision == p1.revision + 1)
            #expect(p2.prevKV?.value == b("1"))

            let linearizable = try await node.range(RangeRequest(key: b("a")))
            #expect(linearizable.kvs.map(\.value) == [b("2")])
            #expect(linearizable.revision == p2.revision)
            let serializable = try await node.range(RangeRequest(key: b("a"), serializable: true))
            #expect(serializable == linearizable)

            let txn = try await node.txn(
                TxnRequest(
                    compare: [Compare(key: b("a"), target: .value(b("2")), result: .equal)],
                    success: [.put(PutRequest(key: b("b"), value: b("3"))), .range(RangeRequest(key: b("b")))],
                    failure: []))
            #expect(txn.succeeded)
            #expect(txn.revision == p2.revision + 1)
            guard case .range(let inner) = txn.responses.last else {
                Issue.record("expected a range response")
                return
            }
            #expect(inner.kvs.map(\.value) == [b("3")])

            let deleted = try await node.deleteRange(DeleteRangeRequest(key: b("a"), rangeEnd: b("c"), prevKV: true))
            #expect(deleted.deleted == 2)
            #expect(deleted.prevKVs.map(\.key) == [b("a"), b("b")])
            #expect(try await node.range(RangeRequest(key: b("a"), rangeEnd: [0])).kvs.isEmpty)

            // The store's rejection reaches the caller with etcd's text.
            await #expect(throws: NodeError.mvcc(.emptyKey)) { try await node.put(PutRequest(key: [])) }
            let lease = try await node.leaseGrant(LeaseGrantRequest(id: 5, ttl: 10))
            #expect(lease == deleted.revision)
            let put = try await node.put(PutRequest(key: b("l"), value: b("x"), lease: 5))
            let revoked = try await node.leaseRevoke(LeaseRevokeRequest(id: 5))
            #expect(revoked == put.revision + 1)
            let compacted = try await node.compact(CompactionRequest(revision: put.revision))
            #expect(compacted.revision == revoked)
        }
    }

    @Test func restartKeepsDataAndAppliesNothingTwice() async throws {
        try await withNodeDirectory { dir in
            let config = testConfiguration(1, peers: [1], directory: dir)
            var revisions: [Int64] = []
            var before: MVCCStore.State?
            do {
                let node = try CairnNode(configuration: config, transport: InProcessTransport(), clock: ManualClock())
                for i in 0..<20 {
                    revisions.append(try await node.put(PutRequest(key: b("k\(i)"), value: b("v\(i)"))).revision)
                }
                _ = try await node.deleteRange(DeleteRangeRequest(key: b("k0")))
                await settle(node)
                before = try node.store.state()
                #expect(before?.appliedIndex == (try node.raft.log.lastIndex()).rawValue)
                node.shutdown()
            }
            let events = Counter()
            let node = try CairnNode(
                configuration: config, transport: InProcessTransport(), clock: ManualClock(),
                eventsSink: { events.add($0.events.count) })
            defer { node.shutdown() }
            // Let the new term's empty entry commit and apply.
            let range = try await node.range(RangeRequest(key: b("k"), rangeEnd: b("l")))
            await settle(node)
            #expect(range.count == 19)
            #expect(range.kvs.first?.key == b("k1"))
            #expect(range.kvs.map(\.modRevision).sorted() == Array(revisions.dropFirst()))  // key order: k1, k10, ...
            #expect(range.kvs.first { $0.key == b("k7") }?.modRevision == revisions[7])
            let after = try node.store.state()
            #expect(after.currentRevision == before?.currentRevision)
            #expect(events.count == 0)  // nothing re-applied
            // The store is at the log's end: the new term's empty entry applied, nothing else.
            #expect(after.appliedIndex == (try node.raft.log.lastIndex()).rawValue)
            #expect(after.appliedIndex == (before?.appliedIndex ?? 0) + 1)
            let next = try await node.put(PutRequest(key: b("z"), value: b("1")))
            #expect(next.revision == (before?.currentRevision ?? 0) + 1)
        }
    }

    @Test func concurrentPutsShareFsyncs() async throws {
        try await withNodeDirectory { dir in
            let syncs = Counter()
            var config = testConfiguration(1, peers: [1], directory: dir)
            config.logSyncObserver = { kind in if kind == .data { syncs.add() } }
            let node = try CairnNode(configuration: config, transport: InProcessTransport(), clock: ManualClock())
            defer { node.shutdown() }
            _ = try await node.put(PutRequest(key: b("warm"), value: b("up")))
            await settle(node)
            let syncsBefore = syncs.count
            let txnsBefore = node.applier.transactionCount
            let n = 200
            let revisions = try await withThrowingTaskGroup(of: Int64.self) { group in
                for i in 0..<n {
                    group.addTask { try await node.put(PutRequest(key: b("k\(i)"), value: b("v"))).revision }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(revisions).count == n)
            let fsyncs = syncs.count - syncsBefore
            let txns = node.applier.transactionCount - txnsBefore
            print("concurrent puts: \(n), log fsyncs: \(fsyncs), store transactions: \(txns)")
            #expect(fsyncs < n)
            #expect(txns < n)
        }
    }
}
