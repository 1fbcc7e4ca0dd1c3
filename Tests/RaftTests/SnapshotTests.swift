import Testing

@testable import Raft

@Suite("Snapshots") struct SnapshotTests {
    /// A cluster where member 3 missed entries that the leader then compacted.
    private func laggingCluster() -> Network {
        let net = cluster()
        net.isolate(3)
        for i in 0..<5 { net.propose(1, "e\(i)") }
        let storage = net.storages[1]!
        let applied = net.raft(1).raftLog.applied
        try! storage.createSnapshot(applied, confState: net.raft(1).tracker.confState, data: Array("state".utf8))
        try! storage.compact(applied)
        net.heal()
        return net
    }

    @Test("paper §7 the leader sends a snapshot to a follower behind its first index; the follower restores it")
    func sendAndRestore() {
        let net = laggingCluster()
        net.tick(1)
        net.stabilize()
        #expect(net.trace.contains { $0.type == .snapshot && $0.to == 3 })
        let snapshot = try! net.storages[3]!.snapshot()
        #expect(snapshot.data == Array("state".utf8))
        #expect(snapshot.metadata.index == net.raft(1).raftLog.applied)
        #expect(net.raft(1).tracker.progress[3]!.state == .replicate)
        net.propose(1, "after")
        #expect(net.appliedData(3) == ["after"])
        #expect(net.raft(3).raftLog.committed == net.raft(1).raftLog.committed)
    }

    @Test("a temporarily unavailable snapshot keeps the follower in probe until it is ready")
    func temporarilyUnavailable() {
        let net = laggingCluster()
        net.storages[1]!.snapshotTemporarilyUnavailable = true
        net.tick(1)
        net.stabilize()
        #expect(!net.trace.contains { $0.type == .snapshot })
        #expect(net.raft(1).tracker.progress[3]!.state == .probe)
        net.storages[1]!.snapshotTemporarilyUnavailable = false
        net.tick(1)
        net.stabilize()
        #expect(net.trace.contains { $0.type == .snapshot })
        #expect(net.raft(1).tracker.progress[3]!.state == .replicate)
    }

    @Test("a failed snapshot report returns the follower to probe")
    func reportSnapshotFailure() {
        let net = laggingCluster()
        net.reportSnapshots = false
        net.drop = { $0.type == .snapshot }
        net.tick(1)
        net.stabilize()
        #expect(net.raft(1).tracker.progress[3]!.state == .snapshot)
        net.node(1).reportSnapshot(3, failed: true)
        #expect(net.raft(1).tracker.progress[3]!.state == .probe)
        #expect(net.raft(1).tracker.progress[3]!.isPaused)
    }
}
