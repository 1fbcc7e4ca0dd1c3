import Testing

@testable import Raft

private func changer(_ cs: ConfState, lastIndex: LogIndex = 10) -> Changer {
    let empty = Changer(
        config: TrackerConfig(), progress: [:], newInflights: Inflights(capacity: 10), lastIndex: lastIndex)
    let (cfg, prs) = try! empty.restore(cs)
    return Changer(config: cfg, progress: prs, newInflights: Inflights(capacity: 10), lastIndex: lastIndex)
}

@Suite("Configuration changer") struct ChangerTests {
    @Test func simpleAddsAndRemovesOneVoter() throws {
        let c = changer(ConfState(voters: [1, 2, 3]))
        let (cfg, prs) = try c.simple([v(4)])
        #expect(cfg.confState == ConfState(voters: [1, 2, 3, 4]))
        #expect(prs[4]?.next == 10)
        #expect(prs[4]?.recentActive == true)
        let (cfg2, prs2) = try c.simple([r(3)])
        #expect(cfg2.confState == ConfState(voters: [1, 2]))
        #expect(prs2[3] == nil)
    }

    @Test func simpleAllowsLearnerChangesWithOneVoterChange() throws {
        let c = changer(ConfState(voters: [1, 2, 3]))
        let (cfg, _) = try c.simple([l(4), l(5), v(6)])
        #expect(cfg.confState == ConfState(voters: [1, 2, 3, 6], learners: [4, 5]))
    }

    @Test func simpleRejectsTwoVoterChanges() {
        let c = changer(ConfState(voters: [1, 2, 3]))
        #expect(throws: RaftError.invalidConfChange("more than one voter changed without entering joint config")) {
            try c.simple([v(4), v(5)])
        }
        // Demoting a voter to learner and adding a voter changes two voters too.
        #expect(throws: RaftError.self) { try c.simple([l(3), v(4)]) }
    }

    @Test func simpleRejectsRemovingAllVoters() {
        let c = changer(ConfState(voters: [1]))
        #expect(throws: RaftError.invalidConfChange("removed all voters")) { try c.simple([r(1)]) }
    }

    @Test func promoteAndDemoteLearners() throws {
        let c = changer(ConfState(voters: [1, 2, 3], learners: [4]))
        let (cfg, prs) = try c.simple([v(4)])
        #expect(cfg.confState == ConfState(voters: [1, 2, 3, 4]))
        #expect(prs[4]?.isLearner == false)
        let (cfg2, prs2) = try c.simple([l(3)])
        #expect(cfg2.confState == ConfState(voters: [1, 2], learners: [3, 4]))
        #expect(prs2[3]?.isLearner == true)
    }

    @Test func enterJointAndLeave() throws {
        let c = changer(ConfState(voters: [1, 2, 3]))
        let (joint, jprs) = try c.enterJoint(autoLeave: true, [v(4), v(5), r(1)])
        #expect(joint.confState == ConfState(voters: [2, 3, 4, 5], votersOutgoing: [1, 2, 3], autoLeave: true))
        // Member 1 is still an outgoing voter: its progress stays.
        #expect(jprs[1] != nil)
        let next = Changer(config: joint, progress: jprs, newInflights: Inflights(capacity: 10), lastIndex: 10)
        let (left, lprs) = try next.leaveJoint()
        #expect(left.confState == ConfState(voters: [2, 3, 4, 5]))
        #expect(lprs[1] == nil)
    }

    @Test func demotionInJointUsesLearnersNext() throws {
        let c = changer(ConfState(voters: [1, 2, 3]))
        let (joint, jprs) = try c.enterJoint(autoLeave: false, [l(3), v(4)])
        #expect(joint.confState == ConfState(voters: [1, 2, 4], votersOutgoing: [1, 2, 3], learnersNext: [3]))
        #expect(jprs[3]?.isLearner == false)
        let next = Changer(config: joint, progress: jprs, newInflights: Inflights(capacity: 10), lastIndex: 10)
        let (left, lprs) = try next.leaveJoint()
        #expect(left.confState == ConfState(voters: [1, 2, 4], learners: [3]))
        #expect(lprs[3]?.isLearner == true)
    }

    @Test func rejectsInvalidJointTransitions() throws {
        let c = changer(ConfState(voters: [1, 2, 3]))
        #expect(throws: RaftError.invalidConfChange("can't leave a non-joint config")) { try c.leaveJoint() }
        let (joint, jprs) = try c.enterJoint(autoLeave: false, [v(4)])
        let inJoint = Changer(config: joint, progress: jprs, newInflights: Inflights(capacity: 10), lastIndex: 10)
        #expect(throws: RaftError.invalidConfChange("config is already joint")) {
            try inJoint.enterJoint(autoLeave: false, [v(5)])
        }
        #expect(throws: RaftError.invalidConfChange("can't apply simple config change in joint config")) {
            try inJoint.simple([v(5)])
        }
        let empty = changer(ConfState())
        #expect(throws: RaftError.invalidConfChange("can't make a zero-voter config joint")) {
            try empty.enterJoint(autoLeave: false, [v(1)])
        }
    }

    @Test func restoreRoundTripsConfStates() throws {
        let states = [
            ConfState(voters: [1, 2, 3]),
            ConfState(voters: [1, 2, 3], learners: [4, 5]),
            ConfState(
                voters: [1, 2, 4], learners: [5], votersOutgoing: [1, 2, 3], learnersNext: [3], autoLeave: true),
            ConfState(voters: [4, 5], votersOutgoing: [1, 2, 3]),
        ]
        for cs in states {
            #expect(changer(cs).config.confState == cs)
        }
    }

    @Test func zeroNodeIDIsIgnored() throws {
        let c = changer(ConfState(voters: [1]))
        let (cfg, _) = try c.simple([v(.none)])
        #expect(cfg.confState == ConfState(voters: [1]))
    }
}
