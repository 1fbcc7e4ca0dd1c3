import Testing

@testable import Raft

@Suite("Restart") struct RestartTests {
    @Test("a restarted member keeps its term, vote and log, and catches up")
    func restartFromStorage() {
        let net = cluster()
        net.propose(1, "a")
        let storage = net.storages[2]!
        let before = net.raft(2).hardState
        let lastIndex = net.raft(2).raftLog.lastIndex
        // Restart member 2 from its durable state; the application state is gone (applied 0).
        net.nodes[2] = makeNode(2, voters: [1, 2, 3], storage: storage).0
        net.applied[2] = []
        #expect(net.raft(2).hardState == before)
        #expect(net.raft(2).raftLog.lastIndex == lastIndex)
        // Committed entries are handed out again for the state machine to rebuild.
        net.stabilize()
        #expect(net.appliedData(2) == ["a"])
        net.propose(1, "b")
        #expect(net.appliedData(2) == ["a", "b"])
    }

    @Test("a restarted member does not vote twice in a term")
    func noDoubleVoteAcrossRestart() {
        let (n1, s1) = makeNode(1, voters: [1, 2, 3]) { $0.preVote = false }
        try! n1.step(Message(type: .vote, to: 1, from: 2, term: 5, logTerm: 0, index: 0))
        n1.persistAll(s1)
        let (restarted, _) = makeNode(1, voters: [1, 2, 3], storage: s1) { $0.preVote = false }
        try! restarted.step(Message(type: .vote, to: 1, from: 3, term: 5, logTerm: 0, index: 0))
        let rd = restarted.ready()
        #expect(rd.messagesAfterPersist.map(\.reject) == [true])
        #expect(restarted.raft.vote == 2)
    }

    @Test("a leader configured not to step down on removal keeps leading but takes no proposals")
    func noStepDownOnRemoval() {
        let net = cluster { $0.stepDownOnRemoval = false }
        try? net.node(1).proposeConfChange(ConfChange(changes: [.init(type: .removeNode, nodeID: 1)]))
        net.stabilize()
        #expect(net.raft(1).role == .leader)
        #expect(throws: RaftError.proposalDropped) { try net.node(1).propose([1]) }
    }
}
