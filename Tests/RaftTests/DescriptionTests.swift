import Testing

@testable import Raft

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
