import Testing

@testable import Raft

private func v(_ id: NodeID) -> ConfChangeSingle { .init(type: .addNode, nodeID: id) }
private func l(_ id: NodeID) -> ConfChangeSingle { .init(type: .addLearnerNode, nodeID: id) }
private func r(_ id: NodeID) -> ConfChangeSingle { .init(type: .removeNode, nodeID: id) }

/// A three-member cluster (defaults: pre-vote and check-quorum on) led by member 1.
private func cluster(
    _ ids: [NodeID] = [1, 2, 3], learners: [NodeID] = [], configure: (inout Config) -> Void = { _ in }
)
    -> Network
{
    let net = Network(ids, learners: learners, configure: configure)
    net.campaign(1)
    precondition(net.raft(1).role == .leader)
    return net
}

@Suite("Pre-vote and check-quorum") struct ElectionFeatureTests {
    @Test("thesis §9.6 a partitioned member running pre-votes does not inflate its term")
    func preVoteKeepsTermOfPartitionedMember() {
        let net = cluster()
        let term = net.raft(1).term
        net.isolate(3)
        for _ in 0..<100 {
            net.tick(3)
            net.stabilize()
        }
        #expect(net.raft(3).term == term)
        #expect(net.raft(3).role != .leader)
        // Rejoining does not disturb the leader.
        net.heal()
        net.tick(1)
        net.stabilize()
        #expect(net.raft(1).role == .leader)
        #expect(net.raft(1).term == term)
        #expect(net.raft(3).lead == 1)
    }

    @Test("without pre-vote a partitioned member's term grows and deposes the leader on return")
    func withoutPreVoteTermGrows() {
        let net = cluster {
            $0.preVote = false
            $0.checkQuorum = false
        }
        let term = net.raft(1).term
        net.isolate(3)
        for _ in 0..<100 {
            net.tick(3)
            net.stabilize()
        }
        #expect(net.raft(3).term > term)
        net.heal()
        for _ in 0..<30 {
            net.tick(3)
            net.stabilize()
        }
        #expect(net.raft(1).term > term)
    }

    @Test("thesis §6.2 check-quorum: a leader without contact with a quorum steps down")
    func checkQuorumStepsDown() {
        let net = cluster()
        net.isolate(1)
        for _ in 0..<(2 * 10 + 1) {
            net.tick(1)
            net.stabilize()
        }
        #expect(net.raft(1).role == .follower)
    }

    @Test("check-quorum: a leader in contact with a quorum stays")
    func checkQuorumStays() {
        let net = cluster()
        net.isolate(3)
        for _ in 0..<50 {
            net.tick(1)
            net.stabilize()
        }
        #expect(net.raft(1).role == .leader)
    }

    @Test("thesis §4.2.3 a member hearing from a leader ignores vote requests (leader lease)")
    func leaseIgnoresVotes() {
        let net = cluster()
        let term = net.raft(2).term
        try? net.node(2).step(Message(type: .vote, to: 2, from: 3, term: term + 5, logTerm: 9, index: 99))
        #expect(net.raft(2).term == term)
        #expect(net.raft(2).msgs.isEmpty)
    }

    @Test("different seeds give different timeouts; the same seed gives the same")
    func perNodeSeededTimeouts() {
        let a = makeNode(1, voters: [1, 2, 3]) { $0.randomSeed = 42 }.0
        let b = makeNode(1, voters: [1, 2, 3]) { $0.randomSeed = 42 }.0
        let c = makeNode(1, voters: [1, 2, 3]) { $0.randomSeed = 43 }.0
        var sa: [Int] = []
        var sb: [Int] = []
        var sc: [Int] = []
        for _ in 0..<20 {
            for (n, s) in [(a, 0), (b, 1), (c, 2)] {
                n.raft.resetRandomizedElectionTimeout()
                switch s {
                case 0: sa.append(n.raft.randomizedElectionTimeout)
                case 1: sb.append(n.raft.randomizedElectionTimeout)
                default: sc.append(n.raft.randomizedElectionTimeout)
                }
            }
        }
        #expect(sa == sb)
        #expect(sa != sc)
    }
}

@Suite("ReadIndex") struct ReadIndexTests {
    @Test("thesis §6.4 the leader answers a read after a heartbeat round")
    func leaderRead() {
        let net = cluster()
        net.propose(1, "x")
        net.node(1).readIndex(Array("r1".utf8))
        net.stabilize()
        #expect(net.readStates[1] == [ReadState(index: 2, requestContext: Array("r1".utf8))])
    }

    @Test("a follower's read is forwarded to the leader and answered with MsgReadIndexResp")
    func followerRead() {
        let net = cluster()
        net.propose(1, "x")
        net.node(2).readIndex(Array("f".utf8))
        net.stabilize()
        #expect(net.readStates[2] == [ReadState(index: 2, requestContext: Array("f".utf8))])
        #expect(net.trace.contains { $0.type == .readIndexResponse && $0.to == 2 })
    }

    @Test("a read waits until the leader committed an entry of its term")
    func readWaitsForFirstCommitOfTerm() {
        let net = Network([1, 2, 3])
        net.drop = { $0.type == .append }
        net.campaign(1)
        #expect(net.raft(1).role == .leader)
        #expect(!net.raft(1).committedEntryInCurrentTerm)
        net.node(1).readIndex(Array("early".utf8))
        net.stabilize()
        #expect(net.readStates[1, default: []].isEmpty)
        #expect(net.raft(1).pendingReadIndexMessages.count == 1)
        net.heal()
        net.tick(1)
        net.stabilize()
        #expect(net.readStates[1] == [ReadState(index: 1, requestContext: Array("early".utf8))])
    }

    @Test("a duplicated or delayed heartbeat response from an old term does not release a read")
    func staleHeartbeatResponseDoesNotReleaseRead() {
        let net = cluster()
        net.propose(1, "x")
        // Term A: a read whose confirmation round is lost; keep the responses.
        var saved: [Message] = []
        net.drop = { m in
            if m.type == .heartbeatResponse {
                saved.append(m)
                return true
            }
            return false
        }
        net.node(1).readIndex(Array("old".utf8))
        net.stabilize()
        #expect(saved.count == 2)
        #expect(net.readStates[1, default: []].isEmpty)
        // Leadership moves to 2 and back to 1: two new terms.
        net.heal()
        net.node(1).transferLeadership(to: 2)
        net.stabilize()
        #expect(net.raft(2).role == .leader)
        net.node(2).transferLeadership(to: 1)
        net.stabilize()
        #expect(net.raft(1).role == .leader)
        let term = net.raft(1).term
        net.readStates[1] = []
        // A new read whose round is lost too.
        net.drop = { $0.type == .heartbeatResponse }
        net.node(1).readIndex(Array("new".utf8))
        net.stabilize()
        net.heal()
        // The old responses arrive late, as they were...
        for m in saved { try? net.node(1).step(m) }
        // ...and even re-stamped with the current term (a member echoing an old context).
        for m in saved {
            var replay = m
            replay.term = term
            try? net.node(1).step(replay)
        }
        net.stabilize()
        #expect(net.readStates[1, default: []].isEmpty)
        #expect(net.raft(1).readOnly.pending.count == 1)
        // A genuine round still works.
        net.tick(1)
        net.stabilize()
        #expect(net.readStates[1]?.map(\.requestContext) == [Array("new".utf8)])
    }

    @Test("a duplicated response for an already released read does not release a newer one")
    func duplicateResponseInSameTerm() {
        let net = cluster()
        net.propose(1, "x")
        var saved: [Message] = []
        net.drop = { m in
            if m.type == .heartbeatResponse { saved.append(m) }
            return false
        }
        net.node(1).readIndex(Array("first".utf8))
        net.stabilize()
        #expect(net.readStates[1]?.count == 1)
        net.drop = { $0.type == .heartbeatResponse }
        net.node(1).readIndex(Array("second".utf8))
        net.stabilize()
        for m in saved { try? net.node(1).step(m) }
        net.stabilize()
        #expect(net.readStates[1]?.count == 1)
    }

    @Test("lease-based reads are answered at once")
    func leaseBasedRead() {
        let net = cluster { $0.readOnlyOption = .leaseBased }
        net.isolate(2)
        net.node(1).readIndex(Array("l".utf8))
        net.stabilize()
        #expect(net.readStates[1]?.count == 1)
    }

    @Test("lease-based reads require check-quorum")
    func leaseBasedRequiresCheckQuorum() {
        var config = Config(id: 1, randomSeed: 1)
        config.readOnlyOption = .leaseBased
        config.checkQuorum = false
        #expect(throws: RaftError.self) { try config.validate() }
    }
}

@Suite("Proposals") struct ProposalTests {
    @Test("back-pressure: proposals beyond the uncommitted-bytes cap are dropped")
    func backPressureDrops() {
        let net = cluster { $0.maxUncommittedEntriesSize = 10 }
        net.drop = { $0.type == .appendResponse }
        let leader = net.node(1)
        #expect(throws: Never.self) { try leader.propose([UInt8](repeating: 1, count: 5)) }
        #expect(throws: Never.self) { try leader.propose([UInt8](repeating: 1, count: 5)) }
        #expect(throws: RaftError.proposalDropped) { try leader.propose([UInt8](repeating: 1, count: 5)) }
        // Once entries commit, room frees up.
        net.heal()
        net.stabilize()
        net.tick(1)
        net.stabilize()
        #expect(throws: Never.self) { try leader.propose([UInt8](repeating: 1, count: 5)) }
    }

    @Test("followers forward proposals to the leader, unless disabled")
    func forwarding() {
        let net = cluster()
        net.propose(2, "fwd")
        #expect(net.appliedData(1) == ["fwd"])
        let net2 = cluster { $0.disableProposalForwarding = true }
        #expect(throws: RaftError.proposalDropped) { try net2.node(2).propose([1]) }
    }

    @Test("a member without a leader drops proposals")
    func noLeaderDrops() {
        let net = Network([1, 2, 3])
        #expect(throws: RaftError.proposalDropped) { try net.node(1).propose([1]) }
    }
}

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
        // A new change is refused while joint (replaced by an empty entry).
        try? net.node(1).proposeConfChange(ConfChange(changes: [r(2)]))
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
        try? net.node(1).proposeConfChange(ConfChange(changes: [l(5)]))
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

    @Test("an invalid change is refused at proposal time and replaced by an empty entry")
    func invalidChangeRefused() {
        let net = cluster()
        let before = net.raft(1).tracker.confState
        try? net.node(1).proposeConfChange(ConfChange(transition: .explicit, changes: [r(1), r(2), r(3)]))
        let last = net.raft(1).raftLog.lastIndex
        net.stabilize()
        #expect(net.raft(1).tracker.confState == before)
        let refused = net.applied[1]!.first { $0.index == last }
        #expect(refused?.type == .normal)
        #expect(refused?.data.isEmpty == true)
        // The next change is accepted: nothing stays pending.
        net.addEmptyMember(4)
        try? net.node(1).proposeConfChange(ConfChange(changes: [l(4)]))
        net.stabilize()
        #expect(net.raft(1).tracker.confState == ConfState(voters: [1, 2, 3], learners: [4]))
    }
}

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
        net.drop = { $0.type == .snapshot }
        net.tick(1)
        net.stabilize()
        #expect(net.raft(1).tracker.progress[3]!.state == .snapshot)
        net.node(1).reportSnapshot(3, failed: true)
        #expect(net.raft(1).tracker.progress[3]!.state == .probe)
        #expect(net.raft(1).tracker.progress[3]!.isPaused)
    }
}

@Suite("Ready contract") struct ReadyContractTests {
    @Test("the leader's appends may leave before persisting; acknowledgements wait")
    func messagesVersusAfterPersist() {
        let net = cluster()
        try! net.node(1).propose(Array("p".utf8))
        let rd = net.node(1).ready()
        #expect(rd.entries.count == 1)
        #expect(rd.messages.map(\.type) == [.append, .append])
        #expect(rd.messagesAfterPersist.isEmpty)
        // The leader does not count its own entry until it is durable.
        #expect(net.raft(1).tracker.progress[1]!.match < rd.entries[0].index)
        try! net.storages[1]!.append(rd.entries)
        net.node(1).advance(rd)
        #expect(net.raft(1).tracker.progress[1]!.match == rd.entries[0].index)
        // The follower's acknowledgement waits for its persistence.
        try! net.node(2).step(rd.messages[0])
        let frd = net.node(2).ready()
        #expect(frd.entries.count == 1)
        #expect(frd.messages.isEmpty)
        #expect(frd.messagesAfterPersist.map(\.type) == [.appendResponse])
        #expect(frd.mustSync)
    }

    @Test("vote requests of a new term and vote grants wait for the hard state")
    func votesWaitForHardState() {
        let (n1, _) = makeNode(1, voters: [1, 2, 3]) { $0.preVote = false }
        let (n2, _) = makeNode(2, voters: [1, 2, 3]) { $0.preVote = false }
        try! n1.campaign()
        let rd = n1.ready()
        #expect(rd.hardState == HardState(term: 1, vote: 1, commit: 0))
        #expect(rd.messages.isEmpty)
        #expect(rd.messagesAfterPersist.map(\.type) == [.vote, .vote])
        try! n2.step(rd.messagesAfterPersist[0])
        let rd2 = n2.ready()
        #expect(rd2.hardState?.vote == 1)
        #expect(rd2.messagesAfterPersist.map(\.type) == [.voteResponse])
        #expect(rd2.messages.isEmpty)
    }

    @Test("a single member commits only after its Ready was persisted")
    func singleMemberCommitsAfterPersist() {
        let (node, storage) = makeNode(1, voters: [1])
        try! node.campaign()
        var applied: [Entry] = []
        node.persistAndApply(storage, applied: &applied)
        try! node.propose(Array("a".utf8))
        let rd = node.ready()
        #expect(rd.entries.map(\.data) == [Array("a".utf8)])
        #expect(!rd.committedEntries.contains { $0.data == Array("a".utf8) })
        try! storage.append(rd.entries)
        node.advance(rd)
        #expect(node.ready().committedEntries.map(\.data) == [Array("a".utf8)])
    }

    @Test("step refuses local messages and responses from unknown members")
    func stepValidation() {
        let (node, _) = makeNode(1, voters: [1, 2, 3])
        #expect(throws: RaftError.stepLocalMessage) { try node.step(Message(type: .hup, from: 1)) }
        #expect(throws: RaftError.stepPeerNotFound) {
            try node.step(Message(type: .appendResponse, to: 1, from: 9, term: 1))
        }
    }

    @Test("status lists progress sorted by id on the leader")
    func status() {
        let net = cluster()
        let s = net.node(1).status
        #expect(s.progress.map(\.0) == [1, 2, 3])
        #expect(s.softState.role == .leader)
        #expect(net.node(2).status.progress.isEmpty)
    }
}

@Suite("Descriptions") struct DescriptionTests {
    @Test func messages() {
        let app = Message(
            type: .append, to: 2, from: 1, term: 1, logTerm: 1, index: 10,
            entries: [Entry(term: 1, index: 11, data: Array("foo".utf8))], commit: 10)
        #expect(app.description == #"1->2 MsgApp Term:1 Log:1/10 Commit:10 Entries:[1/11 EntryNormal "foo"]"#)
        let hb = Message(type: .heartbeat, to: 2, from: 1, term: 1, commit: 10)
        #expect(hb.description == "1->2 MsgHeartbeat Term:1 Log:0/0 Commit:10")
        let rej = Message(
            type: .appendResponse, to: 1, from: 2, term: 3, logTerm: 2, index: 7, reject: true, rejectHint: 5)
        #expect(rej.description == "2->1 MsgAppResp Term:3 Log:2/7 Rejected (Hint: 5)")
        let ctx = Message(type: .heartbeatResponse, to: 1, from: 2, term: 1, context: [0xab, 0x01])
        #expect(ctx.description == "2->1 MsgHeartbeatResp Term:1 Log:0/0 Context:ab01")
        let snap = Message(
            type: .snapshot, to: 3, from: 1, term: 2,
            snapshot: Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: 11, term: 2)))
        #expect(
            snap.description
                == "1->3 MsgSnap Term:2 Log:0/0 Snapshot: Index:11 Term:2 ConfState:Voters:[1 2 3] VotersOutgoing:[] Learners:[] LearnersNext:[] AutoLeave:false"
        )
    }

    @Test func entries() {
        #expect(Entry(term: 1, index: 3).description == #"1/3 EntryNormal """#)
        #expect(Entry(term: 1, index: 3, data: [0, 0x22, 0x41]).description == #"1/3 EntryNormal "\x00\"A""#)
        let cc = ConfChange(changes: [v(2), l(3), r(4)])
        #expect(
            Entry(term: 2, index: 4, type: .confChangeV2, data: cc.encoded()).description
                == "2/4 EntryConfChangeV2 v2 l3 r4")
        #expect(Entry(term: 2, index: 5, type: .confChangeV2).description == "2/5 EntryConfChangeV2")
    }

    @Test func states() {
        #expect(HardState(term: 1, vote: 2, commit: 3).description == "Term:1 Vote:2 Commit:3")
        #expect(HardState(term: 1, commit: 3).description == "Term:1 Commit:3")
        #expect(SoftState(leader: 1, role: .leader).description == "Lead:1 State:StateLeader")
        let rd = Ready(
            hardState: HardState(term: 1, vote: 1, commit: 0), entries: [Entry(term: 1, index: 1)], mustSync: true)
        #expect(rd.description == #"HardState Term:1 Vote:1 Commit:0 Entries:[1/1 EntryNormal ""] MustSync"#)
    }
}

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

@Suite("Configuration") struct ConfigTests {
    @Test func validation() {
        func invalid(_ change: (inout Config) -> Void) -> Bool {
            var c = Config(id: 1, randomSeed: 1)
            change(&c)
            do {
                try c.validate()
                return false
            } catch {
                return true
            }
        }
        #expect(!invalid { _ in })
        #expect(invalid { $0.id = .none })
        #expect(invalid { $0.heartbeatTick = 0 })
        #expect(invalid { $0.electionTick = 1 })
        #expect(invalid { $0.maxInflightMsgs = 0 })
        #expect(invalid { $0.maxInflightBytes = 10 })
    }

    @Test("restart with an applied index beyond the commit index is refused; below the snapshot is fine")
    func appliedIndex() throws {
        let storage = MemoryStorage(voters: [1])
        try storage.applySnapshot(
            Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1]), index: 10, term: 2)))
        storage.setHardState(HardState(term: 2, commit: 10))
        var config = Config(id: 1, randomSeed: 1)
        config.applied = 5
        let node = try RawNode(config: config, storage: storage)
        #expect(node.basicStatus.applied == 10)
        config.applied = 11
        #expect(throws: RaftError.self) { try RawNode(config: config, storage: storage) }
    }
}
