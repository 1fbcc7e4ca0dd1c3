import Foundation
import MVCC
import Raft
import Testing

@testable import CairnServer

/// Three members in one process over `InProcessTransport`, time driven by one `ManualClock`.
@Suite(.timeLimit(.minutes(1))) struct NodeClusterTests {
    /// A started cluster.
    final class Cluster: Sendable {
        let transport = InProcessTransport()
        let clock = ManualClock()
        let nodes: [CairnNode]

        init(directory: String, size: UInt64 = 3) throws {
            let ids = Array(1...size)
            let transport = transport
            let clock = clock
            nodes = try ids.map { id in
                try CairnNode(
                    configuration: testConfiguration(id, peers: ids, directory: directory), transport: transport,
                    clock: clock)
            }
        }

        /// Ticks the shared clock one heartbeat at a time until every live member names the same
        /// live leader; returns it. Bounded: fails after `maxTicks`.
        func awaitLeader(live: [CairnNode], maxTicks: Int = 500) async throws -> CairnNode {
            for _ in 0..<maxTicks {
                for n in live { await n.barrier() }
                let leaders = Set(live.map(\.leader))
                if leaders.count == 1, let id = leaders.first, let leader = live.first(where: { $0.memberID == id }) {
                    return leader
                }
                clock.advance(by: .milliseconds(100))
            }
            throw NodeError.noLeader
        }

        func shutdown() { for n in nodes { n.shutdown() } }
    }

    @Test func writesReadsAndLeaderFailover() async throws {
        try await withNodeDirectory { dir in
            let cluster = try Cluster(directory: dir)
            defer { cluster.shutdown() }
            let leader = try await cluster.awaitLeader(live: cluster.nodes)
            let followers = cluster.nodes.filter { $0 !== leader }

            // Writes on the leader, concurrently.
            var acknowledged: [String: Int64] = [:]
            let first = try await withThrowingTaskGroup(of: (String, Int64).self) { group in
                for i in 0..<30 {
                    group.addTask {
                        ("a\(i)", try await leader.put(PutRequest(key: b("a\(i)"), value: b("\(i)"))).revision)
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            acknowledged.merge(first) { $1 }

            // Linearizable reads on followers see every acknowledged write (forwarded ReadIndex).
            for f in followers {
                let r = try await f.range(RangeRequest(key: b("a"), rangeEnd: b("b")))
                #expect(r.count == 30)
                #expect(r.revision == first.values.max())
            }
            // Many concurrent reads on a follower.
            let counts = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await followers[0].range(RangeRequest(key: b("a"), rangeEnd: b("b"))).count }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(counts.allSatisfy { $0 == 30 })

            // The leader stops; the others elect a new one by ticking.
            leader.shutdown()
            let live = followers
            let newLeader = try await cluster.awaitLeader(live: live)
            #expect(newLeader !== leader)

            // Writes continue, on the new leader and through the other member (forwarded).
            for i in 0..<10 {
                acknowledged["b\(i)"] = try await newLeader.put(PutRequest(key: b("b\(i)"), value: b("\(i)"))).revision
            }
            let other = live.first { $0 !== newLeader }!
            for i in 0..<10 {
                acknowledged["c\(i)"] = try await other.put(PutRequest(key: b("c\(i)"), value: b("\(i)"))).revision
            }

            // No acknowledged write lost: each is readable, at its revision, on every live member.
            for n in live {
                let all = try await n.range(RangeRequest(key: [0], rangeEnd: [0]))
                let seen = Dictionary(
                    uniqueKeysWithValues: all.kvs.map { (String(decoding: $0.key, as: UTF8.self), $0.modRevision) })
                #expect(seen == acknowledged)
            }
            // Converged: the same history on every live member.
            let revision = acknowledged.values.max()!
            for n in live { await settle(n) }
            let hashes = try live.map { try $0.hashKV(revision: revision) }
            #expect(hashes.allSatisfy { $0 == hashes[0] })

            // The old leader restarts from its data directory and catches up as a follower.
            let restarted = try CairnNode(
                configuration: testConfiguration(leader.memberID, peers: [1, 2, 3], directory: dir),
                transport: cluster.transport, clock: cluster.clock)
            defer { restarted.shutdown() }
            let all = live + [restarted]
            let finalLeader = try await cluster.awaitLeader(live: all)
            #expect(finalLeader !== restarted)
            let caughtUp = try await restarted.range(RangeRequest(key: [0], rangeEnd: [0]))
            #expect(caughtUp.count == Int64(acknowledged.count))
            await settle(restarted)
            #expect(try restarted.hashKV(revision: revision) == hashes[0])
        }
    }

    @Test func isolatedFollowerLosesItsLeaderThenCatchesUp() async throws {
        try await withNodeDirectory { dir in
            let cluster = try Cluster(directory: dir)
            defer { cluster.shutdown() }
            let leader = try await cluster.awaitLeader(live: cluster.nodes)
            let follower = cluster.nodes.first { $0 !== leader }!
            let majority = cluster.nodes.filter { $0 !== follower }
            cluster.transport.isolate(NodeID(follower.memberID))
            // Tick until the cut-off follower gives up on its leader (it pre-campaigns, in vain).
            for _ in 0..<100 where follower.leader != 0 {
                cluster.clock.advance(by: .milliseconds(100))
                for n in cluster.nodes { await n.barrier() }
            }
            #expect(follower.leader == 0)
            await #expect(throws: NodeError.noLeader) { try await follower.range(RangeRequest(key: b("p"))) }
            // The majority goes on.
            let majorityLeader = try await cluster.awaitLeader(live: majority)
            let put = try await majorityLeader.put(PutRequest(key: b("p"), value: b("1")))
            // Healed, the follower rejoins and serves the write linearizably.
            cluster.transport.heal()
            _ = try await cluster.awaitLeader(live: cluster.nodes)
            let read = try await follower.range(RangeRequest(key: b("p")))
            #expect(read.kvs.first?.modRevision == put.revision)
            #expect(cluster.transport.droppedCount > 0)
        }
    }

    @Test func linearizableReadWithoutLeaderFails() async throws {
        try await withNodeDirectory { dir in
            let cluster = try Cluster(directory: dir)
            defer { cluster.shutdown() }
            // Nobody ticked: no leader yet.
            await #expect(throws: NodeError.noLeader) {
                try await cluster.nodes[0].range(RangeRequest(key: b("a")))
            }
            // Nor a write: the proposal is dropped at once.
            await #expect(throws: NodeError.noLeader) {
                try await cluster.nodes[1].put(PutRequest(key: b("a"), value: b("1")))
            }
            #expect(NodeError.noLeader.etcdMessage == "etcdserver: no leader")
            // A serializable read needs no leader.
            #expect(try await cluster.nodes[0].range(RangeRequest(key: b("a"), serializable: true)).kvs.isEmpty)
        }
    }
}

/// The response header a member stamps (API spec 3.1).
@Suite(.timeLimit(.minutes(1))) struct NodeResponseHeaderTests {
    @Test func headerCarriesClusterMemberAndTerm() async throws {
        try await withNodeDirectory { dir in
            let cluster = try NodeClusterTests.Cluster(directory: dir)
            defer { cluster.shutdown() }
            let leader = try await cluster.awaitLeader(live: cluster.nodes)
            let put = try await leader.put(PutRequest(key: b("k"), value: b("v")))
            for n in cluster.nodes { await settle(n) }
            let headers = cluster.nodes.map { $0.responseHeader(revision: put.revision) }
            #expect(Set(headers.map(\.clusterID)).count == 1)
            #expect(headers[0].clusterID != 0)
            #expect(headers.map(\.memberID) == [1, 2, 3])
            #expect(headers.allSatisfy { $0.raftTerm == leader.raftTerm && $0.raftTerm > 0 })
            #expect(headers.allSatisfy { $0.revision == put.revision })
        }
    }
}

/// Membership changes apply on every member and are recorded with the applied batch.
@Suite(.timeLimit(.minutes(1))) struct NodeConfChangeTests {
    @Test func addedLearnerAppliesEverywhereAndIsRecorded() async throws {
        try await withNodeDirectory { dir in
            let cluster = try NodeClusterTests.Cluster(directory: dir)
            defer { cluster.shutdown() }
            let leader = try await cluster.awaitLeader(live: cluster.nodes)
            try await leader.proposeConfChange(
                ConfChange(changes: [ConfChangeSingle(type: .addLearnerNode, nodeID: 4)]))
            // A write after the change commits after it: once it is readable everywhere, the
            // change applied everywhere (log order).
            let put = try await leader.put(PutRequest(key: b("after"), value: b("1")))
            for n in cluster.nodes {
                let r = try await n.range(RangeRequest(key: b("after")))
                #expect(r.kvs.first?.modRevision == put.revision)
                await settle(n)
                let status = await n.raftStatus()
                #expect(status.config.learners == [4])
                #expect(status.config.voters == [1, 2, 3])
                let recorded = try n.store.metadata("raft/confState")
                #expect(recorded == ConfState(voters: [1, 2, 3], learners: [4]).encoded)
            }
        }
    }
}
