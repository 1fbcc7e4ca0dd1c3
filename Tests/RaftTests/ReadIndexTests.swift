import Testing

@testable import Raft

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

@Suite("ReadIndex after restart") struct ReadIndexRestartTests {
    @Test("a single voter serves reads only after committing in its term (simulator seeds 282, 404)")
    func singleVoterAfterRestart() throws {
        let storage = MemoryStorage(voters: [1])
        let (node, _) = makeNode(1, voters: [1], storage: storage)
        try node.campaign()
        var applied: [Entry] = []
        while node.hasReady { node.persistAndApply(storage, applied: &applied) }
        try node.propose(Array("x".utf8))
        var durable = storage.hardState
        while node.hasReady {
            let rd = node.persistAndApply(storage, applied: &applied)
            if rd.mustSync, let hs = rd.hardState { durable = hs }
        }
        let acknowledged = applied.first { $0.data == Array("x".utf8) }!.index
        // Crash: the log was synced, the last commit-only hard state was not.
        let recovered = MemoryStorage(voters: [1])
        try recovered.append(try storage.entries(1, try storage.lastIndex() + 1, maxSize: .max))
        recovered.setHardState(durable)
        #expect(durable.commit < acknowledged)
        let (restarted, _) = makeNode(1, voters: [1], storage: recovered)
        try restarted.campaign()
        restarted.readIndex(Array("r".utf8))
        var served: LogIndex?
        var reapplied: [Entry] = []
        while restarted.hasReady, served == nil {
            served = restarted.persistAndApply(recovered, applied: &reapplied).readStates.first?.index
        }
        #expect(served != nil)
        #expect(served! >= acknowledged)
    }
}
