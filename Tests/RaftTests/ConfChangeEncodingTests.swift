import Testing

@testable import Raft

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
