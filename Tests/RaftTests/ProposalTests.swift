import Testing

@testable import Raft

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
