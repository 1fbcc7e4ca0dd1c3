import Foundation
import MVCC
import Raft
import Synchronization
import Testing

@testable import CairnServer

/// Linearizable reads share ReadIndex rounds; bounded waits end in etcd's errors.
@Suite(.timeLimit(.minutes(1))) struct NodeReadIndexTests {
    @Test func concurrentReadsShareReadIndexRounds() async throws {
        try await withNodeDirectory { dir in
            let cluster = try NodeClusterTests.Cluster(directory: dir)
            defer { cluster.shutdown() }
            let leader = try await cluster.awaitLeader(live: cluster.nodes)
            _ = try await leader.put(PutRequest(key: b("k"), value: b("v")))
            for node in cluster.nodes {
                let before = node.raft.readIndexRounds.load(ordering: .relaxed)
                let n = 200
                let values = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                    for _ in 0..<n {
                        group.addTask { try await node.range(RangeRequest(key: b("k"))).kvs.first?.value ?? [] }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(values.allSatisfy { $0 == b("v") })
                let rounds = node.raft.readIndexRounds.load(ordering: .relaxed) - before
                print("member \(node.memberID): \(n) linearizable reads, \(rounds) ReadIndex rounds")
                #expect(rounds < n)
            }
        }
    }

    @Test func writeWithoutQuorumTimesOut() async throws {
        try await withNodeDirectory { dir in
            let cluster = try NodeClusterTests.Cluster(directory: dir)
            defer { cluster.shutdown() }
            let leader = try await cluster.awaitLeader(live: cluster.nodes)
            cluster.transport.isolate(NodeID(leader.memberID))
            let outcome = Mutex<NodeError??>(nil)
            let task = Task {
                do throws(NodeError) {
                    _ = try await leader.put(PutRequest(key: b("lost"), value: b("?")))
                    outcome.withLock { $0 = .some(nil) }
                } catch {
                    outcome.withLock { $0 = .some(error) }
                }
            }
            // Time passes only when the test says so; each step is one turn of the loop.
            for _ in 0..<200 where outcome.withLock({ $0 }) == nil {
                cluster.clock.advance(by: .milliseconds(100))
                await leader.barrier()
            }
            await task.value
            #expect(outcome.withLock { $0 } == .some(.timedOut))
            #expect(NodeError.timedOut.etcdMessage == "etcdserver: request timed out")
        }
    }

    @Test func tooManyRequests() async throws {
        try await withNodeDirectory { dir in
            var config = testConfiguration(1, peers: [1], directory: dir)
            config.maxPendingRequests = 0
            let node = try CairnNode(configuration: config, transport: InProcessTransport(), clock: ManualClock())
            defer { node.shutdown() }
            await #expect(throws: NodeError.tooManyRequests) { try await node.put(PutRequest(key: b("k"))) }
            #expect(NodeError.tooManyRequests.etcdMessage == "etcdserver: too many requests")
        }
    }

    @Test func requestsAfterShutdownFail() async throws {
        try await withNodeDirectory { dir in
            let node = try CairnNode(
                configuration: testConfiguration(1, peers: [1], directory: dir), transport: InProcessTransport(),
                clock: ManualClock())
            node.shutdown()
            await #expect(throws: NodeError.stopped) { try await node.put(PutRequest(key: b("k"))) }
            await #expect(throws: NodeError.stopped) { try await node.range(RangeRequest(key: b("k"))) }
        }
    }
}
