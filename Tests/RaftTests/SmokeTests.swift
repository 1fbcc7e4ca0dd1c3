import Testing

@testable import Raft

@Suite struct SmokeTests {
    @Test func threeNodesElectReplicateAndCommit() {
        let net = Network([1, 2, 3])
        net.campaign(1)
        #expect(net.raft(1).role == .leader)
        #expect(net.raft(2).role == .follower)
        #expect(net.raft(2).lead == 1)
        net.propose(1, "foo")
        for id in net.ids {
            #expect(net.appliedData(id) == ["foo"], "node \(id)")
            #expect(net.raft(id).raftLog.committed == 2)
        }
    }

    @Test func singleNodeBecomesLeaderAndCommits() {
        let net = Network([1])
        net.campaign(1)
        #expect(net.raft(1).role == .leader)
        net.propose(1, "a")
        #expect(net.appliedData(1) == ["a"])
    }

    @Test func electionByTicks() {
        let net = Network([1, 2, 3])
        for _ in 0..<30 {
            net.tickAll()
            net.stabilize()
        }
        let leaders = net.ids.filter { net.raft($0).role == .leader }
        #expect(leaders.count == 1)
    }
}
