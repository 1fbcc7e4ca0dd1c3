import Raft
import RaftTesting
import Testing

/// The checker must be able to fail: each test feeds it a deliberately broken history.
struct InvariantCheckerTests {
    func violation(_ body: (inout InvariantChecker) throws(InvariantViolation) -> Void) -> InvariantViolation? {
        var checker = InvariantChecker()
        do {
            try body(&checker)
            return nil
        } catch {
            return error
        }
    }

    let three = ConfState(voters: [1, 2, 3])

    @Test("a member that votes twice in a term (say after losing its vote in a crash) is caught")
    func doubleVote() {
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.voteGranted(by: 2, to: 1, term: 5)
            try c.voteGranted(by: 2, to: 1, term: 5)  // a duplicate of the same vote is fine
            try c.voteGranted(by: 2, to: 3, term: 5)
        }
        #expect(caught?.invariant == .singleVotePerTerm)
    }

    @Test("a durable vote that contradicts a granted one is caught")
    func durableVoteContradiction() {
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.voteGranted(by: 2, to: 1, term: 5)
            try c.durableHardState(of: 2, HardState(term: 5, vote: 3, commit: 0))
        }
        #expect(caught?.invariant == .singleVotePerTerm)
    }

    @Test("two leaders in one term are caught")
    func twoLeaders() {
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.voteGranted(by: 2, to: 1, term: 3)
            try c.leader(1, term: 3, configurations: [three], isNewLeadership: true)
            try c.leader(2, term: 3, configurations: [three], isNewLeadership: false)
        }
        #expect(caught?.invariant == .singleLeaderPerTerm)
    }

    @Test("a leader elected without a quorum of votes is caught")
    func leaderWithoutQuorum() {
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.leader(1, term: 3, configurations: [three], isNewLeadership: true)
        }
        #expect(caught?.invariant == .electionQuorum)
    }

    @Test("a learner's vote does not make a quorum")
    func learnerVoteDoesNotCount() {
        let config = ConfState(voters: [1, 2, 3], learners: [4, 5])
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.voteGranted(by: 4, to: 1, term: 2)
            try c.voteGranted(by: 5, to: 1, term: 2)
            try c.leader(1, term: 2, configurations: [config], isNewLeadership: true)
        }
        #expect(caught?.invariant == .electionQuorum)
    }

    @Test("a joint configuration needs both majorities")
    func jointNeedsBoth() {
        let joint = ConfState(voters: [1, 4, 5], votersOutgoing: [1, 2, 3])
        #expect(!InvariantChecker.isQuorum([1, 2, 3], of: joint))
        #expect(!InvariantChecker.isQuorum([1, 4, 5], of: joint))
        #expect(InvariantChecker.isQuorum([1, 2, 4], of: joint))
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.voteGranted(by: 2, to: 1, term: 2)
            try c.voteGranted(by: 3, to: 1, term: 2)
            try c.leader(1, term: 2, configurations: [joint], isNewLeadership: true)
        }
        #expect(caught?.invariant == .electionQuorum)
    }

    @Test("entries with equal index and term but different data break log matching")
    func logMismatchData() {
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.appended(Entry(term: 2, index: 5, data: [1]), previousTerm: 2, on: 1)
            try c.appended(Entry(term: 2, index: 5, data: [2]), previousTerm: 2, on: 2)
        }
        #expect(caught?.invariant == .logMatching)
    }

    @Test("entries with equal index and term but different predecessors break log matching")
    func logMismatchPrefix() {
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.appended(Entry(term: 3, index: 5, data: [1]), previousTerm: 2, on: 1)
            try c.appended(Entry(term: 3, index: 5, data: [1]), previousTerm: 1, on: 2)
        }
        #expect(caught?.invariant == .logMatching)
    }

    @Test("members applying different entries at one index are caught")
    func appliedDisagreement() {
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.applied(Entry(term: 1, index: 2, data: [1]), on: 1, stateHash: 10, term: 1)
            try c.applied(Entry(term: 2, index: 2, data: [1]), on: 2, stateHash: 11, term: 2)
        }
        #expect(caught?.invariant == .appliedPrefixAgreement)
    }

    @Test("a leader missing a committed entry breaks leader completeness")
    func leaderCompleteness() {
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.applied(Entry(term: 1, index: 1, data: [1]), on: 1, stateHash: 10, term: 1)
            try c.applied(Entry(term: 1, index: 2, data: [2]), on: 1, stateHash: 11, term: 1)
            try c.leaderCompleteness(2, term: 2, firstIndex: 1) { index in index == 1 ? Term(1) : nil }
        }
        #expect(caught?.invariant == .leaderCompleteness)
    }

    @Test("an old-term entry committed late by a later leader need not be in an intermediate leader's log")
    func lateCommitIsNotACompletenessViolation() {
        // 3/8 was appended in term 3 but only committed in term 6; a stale leader of term 4 that
        // holds 4/8 instead broke nothing (simulator seed 5253 before this rule was fixed).
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.applied(Entry(term: 3, index: 8, data: [1]), on: 1, stateHash: 10, term: 6)
            try c.leaderCompleteness(7, term: 4, firstIndex: 1) { index in index == 8 ? Term(4) : nil }
        }
        #expect(caught == nil)
    }

    @Test("a commit index that goes backwards, or restarts below durable commit, is caught")
    func commitRegression() {
        let backwards = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.commit(5, of: 1)
            try c.commit(4, of: 1)
        }
        #expect(backwards?.invariant == .commitMonotonic)
        let restart = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.durableHardState(of: 1, HardState(term: 1, vote: 1, commit: 7))
            try c.restarted(1, commit: 3)
        }
        #expect(restart?.invariant == .commitMonotonic)
    }

    @Test("an acknowledgement before a quorum durably had the entry is caught; learners do not count")
    func ackWithoutDurableQuorum() {
        let config = ConfState(voters: [1, 2, 3], learners: [4])
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.acknowledged(index: 3, configurations: [config], durableHolders: [1, 2])
            try c.acknowledged(index: 4, configurations: [config], durableHolders: [1, 4])
        }
        #expect(caught?.invariant == .durableBeforeAcknowledged)
        #expect(caught?.detail.contains("write at 4") == true)
    }

    @Test("a ReadIndex read that misses an acknowledged write is caught")
    func staleRead() {
        let config = ConfState(voters: [1])
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            try c.acknowledged(index: 8, configurations: [config], durableHolders: [1])
            c.readStarted(1)
            try c.readServed(1, index: 8, on: 1)
            c.readStarted(2)
            try c.readServed(2, index: 7, on: 2)
        }
        #expect(caught?.invariant == .linearizableRead)
    }

    @Test("a read that started before the write may miss it")
    func concurrentReadMayMissWrite() {
        let caught = violation { (c: inout InvariantChecker) throws(InvariantViolation) in
            c.readStarted(1)
            try c.acknowledged(index: 8, configurations: [ConfState(voters: [1])], durableHolders: [1])
            try c.readServed(1, index: 7, on: 1)
        }
        #expect(caught == nil)
    }
}

/// End to end: a simulated driver that breaks the Ready contract must be caught.
struct SabotageTests {
    @Test(
        "a driver that never syncs is caught acknowledging writes nobody durably holds", arguments: [UInt64(1), 2, 3])
    func skipSyncIsCaught(_ seed: UInt64) {
        var options = SimulatorOptions(faultTicks: 100)
        options.sabotage = .skipSync
        let result = Simulator(seed: seed, options: options).run()
        #expect(result.violation?.invariant == .durableBeforeAcknowledged, "\(String(describing: result.violation))")
        #expect(result.reproduction == "swift run raft-sim --seed \(seed) --trace --fault-ticks 100")
    }
}
