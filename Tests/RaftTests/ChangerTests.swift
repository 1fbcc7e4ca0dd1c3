import Testing

@testable import Raft

private func changer(_ cs: ConfState, lastIndex: LogIndex = 10) -> Changer {
    let empty = Changer(
        config: TrackerConfig(), progress: [:], newInflights: Inflights(capacity: 10), lastIndex: lastIndex)
    let (cfg, prs) = try! empty.restore(cs)
    return Changer(config: cfg, progress: prs, newInflights: Inflights(capacity: 10), lastIndex: lastIndex)
}

private func v(_ id: NodeID) -> ConfChangeSingle { .init(type: .addNode, nodeID: id) }
private func l(_ id: NodeID) -> ConfChangeSingle { .init(type: .addLearnerNode, nodeID: id) }
private func r(_ id: NodeID) -> ConfChangeSingle { .init(type: .removeNode, nodeID: id) }

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

@Suite("ConfChange encoding") struct ConfChangeEncodingTests {
    @Test func roundTrips() throws {
        let changes = [
            ConfChange(),
            ConfChange(changes: [v(2)]),
            ConfChange(transition: .explicit, changes: [v(2), l(300), r(NodeID(1 << 40))], context: [1, 2, 3]),
            ConfChange(transition: .implicit, changes: [.init(type: .updateNode, nodeID: 7)]),
            ConfChange(context: Array("ctx".utf8)),
        ]
        for cc in changes {
            #expect(try ConfChange(decoding: cc.encoded()) == cc)
        }
        #expect(ConfChange().encoded().isEmpty)
    }

    @Test func rejectsMalformedBytes() {
        let good = ConfChange(changes: [v(2)], context: [9]).encoded()
        for cut in 1..<good.count {
            #expect(throws: RaftError.self) { try ConfChange(decoding: Array(good.prefix(cut))) }
        }
        #expect(throws: RaftError.self) { try ConfChange(decoding: [9, 0, 0, 0]) }
        #expect(throws: RaftError.self) { try ConfChange(decoding: good + [0]) }
        #expect(throws: RaftError.self) { try ConfChange(decoding: [1, 7, 0, 0]) }
    }

    @Test func entersJoint() {
        #expect(ConfChange(changes: [v(2)]).entersJoint.joint == false)
        #expect(ConfChange(changes: [v(2), v(3)]).entersJoint == (autoLeave: true, joint: true))
        #expect(ConfChange(transition: .explicit, changes: [v(2)]).entersJoint == (autoLeave: false, joint: true))
        #expect(ConfChange(transition: .implicit, changes: [v(2)]).entersJoint == (autoLeave: true, joint: true))
        #expect(ConfChange().leavesJoint)
    }
}

@Suite("MemoryStorage") struct MemoryStorageTests {
    /// Storage with a dummy at 3/3 and entries 4/4, 5/5.
    private func storage() -> MemoryStorage {
        let s = MemoryStorage(voters: [1, 2, 3])
        try! s.applySnapshot(
            Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: 3, term: 3)))
        try! s.append([entry(4, 4), entry(5, 5)])
        return s
    }

    @Test func term() throws {
        let s = storage()
        #expect(throws: RaftError.compacted) { try s.term(2) }
        #expect(try s.term(3) == 3)
        #expect(try s.term(5) == 5)
        #expect(throws: RaftError.unavailable) { try s.term(6) }
    }

    @Test func entries() throws {
        let s = storage()
        try s.append([entry(6, 6)])
        #expect(throws: RaftError.compacted) { try s.entries(2, 6, maxSize: .max) }
        #expect(throws: RaftError.compacted) { try s.entries(3, 4, maxSize: .max) }
        #expect(try s.entries(4, 5, maxSize: .max) == [entry(4, 4)])
        #expect(try s.entries(4, 7, maxSize: .max).count == 3)
        #expect(throws: RaftError.unavailable) { try s.entries(4, 8, maxSize: .max) }
        #expect(try s.entries(4, 7, maxSize: 0).count == 1)
    }

    @Test func firstAndLastIndex() throws {
        let s = storage()
        #expect(try s.firstIndex() == 4)
        #expect(try s.lastIndex() == 5)
        try s.append([entry(5, 6)])
        #expect(try s.lastIndex() == 6)
    }

    @Test func compact() throws {
        let s = storage()
        #expect(throws: RaftError.compacted) { try s.compact(2) }
        #expect(throws: RaftError.compacted) { try s.compact(3) }
        try s.compact(4)
        #expect(try s.firstIndex() == 5)
        #expect(try s.term(4) == 4)
        try s.compact(5)
        #expect(try s.firstIndex() == 6)
        #expect(try s.lastIndex() == 5)
    }

    @Test func createSnapshot() throws {
        let s = storage()
        let cs = ConfState(voters: [1, 2])
        let snap = try s.createSnapshot(4, confState: cs, data: [7])
        #expect(snap.metadata == SnapshotMetadata(confState: cs, index: 4, term: 4))
        #expect(try s.snapshot() == snap)
        #expect(throws: RaftError.snapshotOutOfDate) { try s.createSnapshot(3, confState: nil, data: []) }
        s.snapshotTemporarilyUnavailable = true
        #expect(throws: RaftError.snapshotTemporarilyUnavailable) { try s.snapshot() }
    }

    @Test func appendTruncatesConflictsAndIgnoresCompacted() throws {
        let cases: [(append: [Entry], want: [Entry])] = [
            ([entry(4, 4), entry(5, 5)], [entry(4, 4), entry(5, 5)]),
            ([entry(4, 4), entry(6, 5), entry(6, 6)], [entry(4, 4), entry(6, 5), entry(6, 6)]),
            ([entry(4, 4), entry(5, 5), entry(5, 6)], [entry(4, 4), entry(5, 5), entry(5, 6)]),
            // Overlapping the compacted part: that part is ignored.
            ([entry(3, 2), entry(3, 3), entry(5, 4)], [entry(5, 4)]),
            ([entry(5, 4)], [entry(5, 4)]),
            ([entry(5, 6)], [entry(4, 4), entry(5, 5), entry(5, 6)]),
        ]
        for c in cases {
            let s = storage()
            try s.append(c.append)
            #expect(try s.entries(4, try s.lastIndex() + 1, maxSize: .max) == c.want)
        }
    }

    @Test func applySnapshotRejectsOlder() throws {
        let s = storage()
        #expect(throws: RaftError.snapshotOutOfDate) {
            try s.applySnapshot(Snapshot(metadata: SnapshotMetadata(index: 2, term: 2)))
        }
        try s.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1]), index: 9, term: 6)))
        #expect(try s.firstIndex() == 10)
        #expect(try s.lastIndex() == 9)
        #expect(try s.initialState().1 == ConfState(voters: [1]))
    }
}
