import Testing

@testable import Raft

@Suite("Quorum") struct QuorumTests {
    @Test func majorityCommittedIndex() {
        let c = MajorityConfig([1, 2, 3])
        #expect(c.committedIndex { [1: 5, 2: 3, 3: 1][$0] } == 3)
        #expect(c.committedIndex { [1: 5, 2: 3][$0] } == 3)
        #expect(c.committedIndex { [1: 5][$0] } == 0)
        #expect(MajorityConfig([1, 2, 3, 4]).committedIndex { [1: 5, 2: 4, 3: 3, 4: 2][$0] } == 3)
        #expect(MajorityConfig([1]).committedIndex { [1: 7][$0] } == 7)
        #expect(MajorityConfig().committedIndex { _ in 1 } == .max)
    }

    @Test func jointCommittedIndexIsTheMinimum() {
        let j = JointConfig(incoming: MajorityConfig([1, 2, 3]), outgoing: MajorityConfig([3, 4, 5]))
        let acked: [NodeID: LogIndex] = [1: 10, 2: 10, 3: 5, 4: 4, 5: 4]
        #expect(j.committedIndex { acked[$0] } == 4)
        // With an empty outgoing half, the incoming one decides alone.
        #expect(JointConfig(incoming: MajorityConfig([1, 2, 3])).committedIndex { acked[$0] } == 10)
    }

    @Test func majorityVoteResult() {
        let c = MajorityConfig([1, 2, 3])
        #expect(c.voteResult([:]) == .pending)
        #expect(c.voteResult([1: true]) == .pending)
        #expect(c.voteResult([1: true, 2: true]) == .won)
        #expect(c.voteResult([1: false, 2: false]) == .lost)
        #expect(c.voteResult([1: true, 2: false]) == .pending)
        #expect(c.voteResult([1: true, 2: false, 3: false]) == .lost)
        // Votes from non-members do not count.
        #expect(c.voteResult([4: true, 5: true, 1: true]) == .pending)
        #expect(MajorityConfig().voteResult([:]) == .won)
    }

    @Test func jointVoteResult() {
        let j = JointConfig(incoming: MajorityConfig([1, 2, 3]), outgoing: MajorityConfig([3, 4, 5]))
        #expect(j.voteResult([1: true, 2: true]) == .pending)
        #expect(j.voteResult([1: true, 2: true, 4: true, 5: true]) == .won)
        #expect(j.voteResult([1: true, 2: true, 4: false, 5: false]) == .lost)
        #expect(j.voteResult([1: false, 2: false, 4: true, 5: true]) == .lost)
        #expect(j.voteResult([3: true, 1: true, 4: true]) == .won)
    }

    // MARK: Properties against naive implementations

    /// Naive committed index: the largest index acknowledged by at least a majority.
    private func naiveCommitted(_ voters: [NodeID], _ acked: [NodeID: LogIndex]) -> LogIndex {
        if voters.isEmpty { return .max }
        let candidates = Set(voters.map { acked[$0] ?? 0 })
        var best: LogIndex = 0
        for idx in candidates {
            let count = voters.filter { (acked[$0] ?? 0) >= idx }.count
            if count > voters.count / 2 && idx > best { best = idx }
        }
        return best
    }

    /// Naive vote: count granted and rejected.
    private func naiveVote(_ voters: [NodeID], _ votes: [NodeID: Bool]) -> VoteResult {
        if voters.isEmpty { return .won }
        let yes = voters.filter { votes[$0] == true }.count
        let no = voters.filter { votes[$0] == false }.count
        let q = voters.count / 2 + 1
        if yes >= q { return .won }
        if voters.count - no >= q { return .pending }
        return .lost
    }

    private func randomVoters(_ rng: inout SplitMix64, max: Int) -> [NodeID] {
        let n = rng.next(below: max + 1)
        var ids = Set<NodeID>()
        while ids.count < n { ids.insert(NodeID(UInt64(1 + rng.next(below: 9)))) }
        return ids.sorted()
    }

    @Test func committedIndexMatchesNaiveForRandomConfigs() {
        let seed: UInt64 = 0xC0FFEE
        var rng = SplitMix64(seed: seed)
        for iteration in 0..<2000 {
            let incoming = randomVoters(&rng, max: 7)
            let outgoing = randomVoters(&rng, max: 7)
            var acked: [NodeID: LogIndex] = [:]
            for id in Set(incoming + outgoing).sorted() where rng.next(below: 5) != 0 {
                acked[id] = LogIndex(UInt64(rng.next(below: 20)))
            }
            let majority = MajorityConfig(incoming).committedIndex { acked[$0] }
            #expect(
                majority == naiveCommitted(incoming, acked),
                "seed \(seed) iteration \(iteration): majority \(incoming) acked \(acked)")
            let joint = JointConfig(incoming: MajorityConfig(incoming), outgoing: MajorityConfig(outgoing))
            let want = min(naiveCommitted(incoming, acked), naiveCommitted(outgoing, acked))
            #expect(
                joint.committedIndex { acked[$0] } == want,
                "seed \(seed) iteration \(iteration): joint \(incoming)&&\(outgoing) acked \(acked)")
        }
    }

    @Test func voteResultMatchesNaiveForRandomConfigs() {
        let seed: UInt64 = 0xBADC0DE
        var rng = SplitMix64(seed: seed)
        for iteration in 0..<2000 {
            let incoming = randomVoters(&rng, max: 7)
            let outgoing = randomVoters(&rng, max: 7)
            var votes: [NodeID: Bool] = [:]
            for id in Set(incoming + outgoing).sorted() {
                switch rng.next(below: 3) {
                case 0: votes[id] = true
                case 1: votes[id] = false
                default: break
                }
            }
            #expect(
                MajorityConfig(incoming).voteResult(votes) == naiveVote(incoming, votes),
                "seed \(seed) iteration \(iteration): \(incoming) votes \(votes)")
            let r1 = naiveVote(incoming, votes)
            let r2 = naiveVote(outgoing, votes)
            let want: VoteResult = (r1 == .won && r2 == .won) ? .won : (r1 == .lost || r2 == .lost) ? .lost : .pending
            let joint = JointConfig(incoming: MajorityConfig(incoming), outgoing: MajorityConfig(outgoing))
            #expect(
                joint.voteResult(votes) == want,
                "seed \(seed) iteration \(iteration): \(incoming)&&\(outgoing) votes \(votes)")
        }
    }
}
