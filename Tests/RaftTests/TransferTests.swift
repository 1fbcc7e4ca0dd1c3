import Testing

@testable import Raft

@Suite("Leadership transfer") struct TransferTests {
    @Test("thesis §3.10 leadership moves to an up-to-date voter")
    func success() {
        let net = cluster()
        net.propose(1, "x")
        let term = net.raft(1).term
        net.node(1).transferLeadership(to: 2)
        net.stabilize()
        #expect(net.raft(2).role == .leader)
        #expect(net.raft(2).term == term + 1)
        #expect(net.raft(1).role == .follower)
        #expect(net.trace.contains { $0.type == .timeoutNow && $0.to == 2 })
    }

    @Test("transfer to a learner is refused")
    func learnerRefused() {
        let net = cluster(learners: [4])
        net.node(1).transferLeadership(to: 4)
        net.stabilize()
        #expect(net.raft(1).role == .leader)
        #expect(net.raft(1).leadTransferee == .none)
        #expect(!net.trace.contains { $0.type == .timeoutNow })
    }

    @Test("a lagging transferee is caught up first")
    func laggingTarget() {
        let net = cluster()
        net.drop = { $0.to == 3 }
        for i in 0..<5 { net.propose(1, "e\(i)") }
        net.heal()
        #expect(net.raft(1).tracker.progress[3]!.match < net.raft(1).raftLog.lastIndex)
        net.node(1).transferLeadership(to: 3)
        #expect(net.raft(1).leadTransferee == 3)
        #expect(!net.raft(1).msgs.contains { $0.type == .timeoutNow })
        net.stabilize()
        #expect(net.raft(3).role == .leader)
        #expect(net.appliedData(3).count == 5)
    }

    @Test("a transfer that does not finish within an election timeout is aborted; proposals are dropped meanwhile")
    func abortOnTimeout() {
        let net = cluster()
        net.isolate(3)
        net.node(1).transferLeadership(to: 3)
        net.stabilize()
        #expect(net.raft(1).leadTransferee == 3)
        #expect(throws: RaftError.proposalDropped) { try net.node(1).propose([1]) }
        for _ in 0..<10 {
            net.tick(1)
            net.stabilize()
        }
        #expect(net.raft(1).leadTransferee == .none)
        #expect(net.raft(1).role == .leader)
        #expect(throws: Never.self) { try net.node(1).propose([1]) }
    }
}
