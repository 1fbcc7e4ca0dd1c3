import Testing

@testable import Raft

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
