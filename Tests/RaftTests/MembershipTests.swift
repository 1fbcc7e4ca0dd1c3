import Testing

@testable import Raft

@Suite("Membership") struct MembershipTests {
    @Test("thesis §4.2.2 a removed leader steps down and the rest elect a new one")
    func removedLeaderStepsDown() {
        let net = cluster()
        try? net.node(1).proposeConfChange(ConfChange(changes: [r(1)]))
        net.stabilize()
        #expect(net.raft(1).role == .follower)
        #expect(net.raft(2).tracker.confState == ConfState(voters: [2, 3]))
        for _ in 0..<40 {
            net.tickAll()
            net.stabilize()
        }
        #expect(net.leaders.count == 1)
        #expect(net.leaders.first != 1)
    }

    @Test("adding a voter in one step")
    func addVoter() {
        let net = cluster()
        net.addEmptyMember(4)
        try? net.node(1).proposeConfChange(ConfChange(changes: [v(4)]))
        net.stabilize()
        net.propose(1, "after")
        for id in net.ids {
            #expect(net.raft(id).tracker.confState == ConfState(voters: [1, 2, 3, 4]), "member \(id)")
            #expect(net.appliedData(id) == ["after"], "member \(id)")
        }
    }

    @Test("thesis §4.3 joint consensus: enter, then the leader leaves automatically")
    func jointAutoLeave() {
        let net = cluster()
        net.addEmptyMember(4)
        net.addEmptyMember(5)
        try? net.node(1).proposeConfChange(ConfChange(changes: [v(4), v(5), r(3)]))
        net.stabilize()
        // Two configuration entries were applied: the joint one and the empty leave.
        let confEntries = net.applied[1]!.filter { $0.type == .confChangeV2 }
        #expect(confEntries.count == 2)
        #expect(confEntries.last?.data == [])
        for id: NodeID in [1, 2, 4, 5] {
            #expect(net.raft(id).tracker.confState == ConfState(voters: [1, 2, 4, 5]), "member \(id)")
        }
    }

    @Test("joint consensus with explicit leave stays joint until the empty change")
    func jointExplicitLeave() {
        let net = cluster()
        net.addEmptyMember(4)
        try? net.node(1).proposeConfChange(ConfChange(transition: .explicit, changes: [v(4)]))
        net.stabilize()
        let joint = ConfState(voters: [1, 2, 3, 4], votersOutgoing: [1, 2, 3])
        #expect(net.raft(1).tracker.confState == joint)
        #expect(net.raft(4).tracker.confState == joint)
        // A new change is refused while joint.
        #expect(throws: RaftError.invalidConfChange("must transition out of joint config first")) {
            try net.node(1).proposeConfChange(ConfChange(changes: [r(2)]))
        }
        net.stabilize()
        #expect(net.raft(1).tracker.confState == joint)
        try? net.node(1).proposeConfChange(ConfChange())
        net.stabilize()
        #expect(net.raft(1).tracker.confState == ConfState(voters: [1, 2, 3, 4]))
        #expect(net.raft(4).tracker.confState == ConfState(voters: [1, 2, 3, 4]))
    }

    @Test("only one configuration change may be pending")
    func onePendingChange() {
        let net = cluster()
        net.addEmptyMember(4)
        net.addEmptyMember(5)
        net.drop = { $0.type == .appendResponse }
        try? net.node(1).proposeConfChange(ConfChange(changes: [l(4)]))
        #expect(throws: RaftError.self) { try net.node(1).proposeConfChange(ConfChange(changes: [l(5)])) }
        net.heal()
        net.stabilize()
        net.tick(1)
        net.stabilize()
        #expect(net.raft(1).tracker.confState == ConfState(voters: [1, 2, 3], learners: [4]))
    }

    @Test("learners receive the log but do not vote or count; promotion makes them voters")
    func learnersAndPromotion() {
        let net = cluster(learners: [4])
        net.propose(1, "x")
        #expect(net.appliedData(4) == ["x"])
        #expect(!net.raft(4).promotable)
        // Learners never campaign.
        for _ in 0..<50 { net.tick(4) }
        net.stabilize()
        #expect(net.raft(4).role == .follower)
        try? net.node(1).proposeConfChange(ConfChange(changes: [v(4)]))
        net.stabilize()
        #expect(net.raft(4).promotable)
        #expect(net.raft(1).tracker.confState == ConfState(voters: [1, 2, 3, 4]))
    }

    @Test("an invalid change is refused at proposal time: an error on the leader, an empty entry when forwarded")
    func invalidChangeRefused() {
        let net = cluster()
        let before = net.raft(1).tracker.confState
        let removeAll = ConfChange(transition: .explicit, changes: [r(1), r(2), r(3)])
        #expect(throws: RaftError.invalidConfChange("removed all voters")) {
            try net.node(1).proposeConfChange(removeAll)
        }
        // Forwarded by a follower: the leader replaces it with an empty normal entry.
        let last = net.raft(1).raftLog.lastIndex
        try? net.node(2).proposeConfChange(removeAll)
        net.stabilize()
        #expect(net.raft(1).tracker.confState == before)
        let refused = net.applied[1]!.first { $0.index == last + 1 }
        #expect(refused?.type == .normal)
        #expect(refused?.data.isEmpty == true)
        // Nothing stays pending: the next change is accepted.
        net.addEmptyMember(4)
        #expect(throws: Never.self) { try net.node(1).proposeConfChange(ConfChange(changes: [l(4)])) }
        net.stabilize()
        #expect(net.raft(1).tracker.confState == ConfState(voters: [1, 2, 3], learners: [4]))
    }
}

@Suite("More membership and transfer cases") struct MoreMembershipTests {
    @Test("removing a member lowers the quorum, so pending entries can commit")
    func commitAfterRemoveNode() {
        let net = Network([1, 2])
        net.campaign(1)
        // Member 2 stops answering once it acknowledged the removal.
        try! net.node(1).proposeConfChange(ConfChange(changes: [.init(type: .removeNode, nodeID: 2)]))
        net.stabilize()
        #expect(net.raft(1).tracker.confState == ConfState(voters: [1]))
        net.isolate(2)
        net.propose(1, "alone")
        #expect(net.appliedData(1) == ["alone"])
    }

    @Test("a pending entry commits when the removal that shrinks the quorum is applied")
    func pendingEntryCommitsOnRemoval() {
        let net = Network([1, 2])
        net.campaign(1)
        try! net.node(1).proposeConfChange(ConfChange(changes: [.init(type: .removeNode, nodeID: 2)]))
        // Member 2 acknowledges the removal entry but not what follows.
        let confIndex = net.raft(1).raftLog.lastIndex
        net.drop = { $0.type == .appendResponse && $0.index > confIndex }
        try! net.node(1).propose(Array("pending".utf8))
        net.stabilize()
        #expect(net.appliedData(1) == ["pending"])
    }

    @Test("a transfer to a member that is then removed is aborted")
    func transferToRemovedMember() {
        let net = cluster()
        net.drop = { $0.to == 3 && $0.type != .append }
        net.node(1).transferLeadership(to: 3)
        #expect(net.raft(1).leadTransferee == 3)
        net.heal()
        net.drop = { $0.type == .timeoutNow }
        net.stabilize()
        net.raft(1).leadTransferee = 3
        _ = net.node(1).applyConfChange(ConfChange(changes: [.init(type: .removeNode, nodeID: 3)]))
        #expect(net.raft(1).leadTransferee == .none)
    }

    @Test("a non-member told to time out does not campaign")
    func timeoutNowToNonMember() {
        let (node, _) = makeNode(9, voters: [1, 2, 3])
        try? node.step(Message(type: .timeoutNow, to: 9, from: 1, term: 1))
        #expect(node.raft.role == .follower)
        #expect(node.raft.term == 1)
    }
}

@Suite("Removed leader liveness") struct RemovedLeaderLivenessTests {
    @Test("a removed leader hands over its log before stepping down, so the rest can elect (simulator seeds 260, 864)")
    func removedLeaderHandsOver() {
        let net = Network([1, 2])
        net.campaign(2)
        #expect(net.raft(2).role == .leader)
        try! net.node(2).proposeConfChange(ConfChange(changes: [.init(type: .removeNode, nodeID: 2)]))
        net.process(2)
        for m in net.queue { net.deliver(m) }
        net.queue = []
        net.process(1)  // 1 stores the removal and acknowledges it
        let ack = net.queue
        net.queue = []
        // A proposal lands before the removal is applied; its appends to 1 are lost.
        try! net.node(2).propose(Array("tail".utf8))
        net.process(2)
        net.queue = []
        for m in ack { net.deliver(m) }  // the removal commits
        net.process(2)  // and is applied by 2
        net.queue.removeAll { $0.to == 1 }  // the commit index never reaches 1
        var leader: NodeID?
        for _ in 0..<100 {
            net.tickAll()
            net.stabilize()
            if net.raft(1).role == .leader {
                leader = 1
                break
            }
        }
        #expect(leader == 1)
        #expect(net.raft(2).role == .follower)
        #expect(net.raft(1).tracker.confState == ConfState(voters: [1]))
    }
}
