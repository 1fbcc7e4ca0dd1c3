import Testing

@testable import Raft

@Suite("Leader flow control") struct FlowControlTests {
    /// A leader of {1, 2} whose follower 2 is in replicate state.
    private func replicatingLeader(_ configure: @escaping (inout Config) -> Void) -> (RawNode, MemoryStorage) {
        let (node, storage) = makeNode(1, voters: [1, 2], configure: configure)
        node.raft.becomeCandidate()
        node.raft.becomeLeader()
        node.persistAll(storage)
        try? node.raft.step(Message(type: .appendResponse, to: 1, from: 2, term: 1, index: 1))
        node.raft.msgs = []
        return (node, storage)
    }

    @Test func inflightCountLimitPausesReplication() {
        let (node, _) = replicatingLeader { $0.maxInflightMsgs = 3 }
        let r = node.raft
        #expect(r.tracker.progress[2]!.state == .replicate)
        for i in 0..<5 { try? r.step(Message(type: .propose, from: 1, entries: [entry(0, 0, "p\(i)")])) }
        let appends = r.msgs.filter { $0.type == .append && $0.to == 2 }
        #expect(appends.count == 3)
        #expect(r.tracker.progress[2]!.isPaused)
        // An ack frees the window and the rest flows.
        r.msgs = []
        try? r.step(Message(type: .appendResponse, to: 1, from: 2, term: 1, index: appends[1].entries.last!.index))
        #expect(r.msgs.filter { $0.type == .append }.count >= 1)
    }

    @Test func inflightBytesLimitPausesReplication() {
        let (node, _) = replicatingLeader {
            $0.maxInflightMsgs = 100
            $0.maxSizePerMsg = 10
            $0.maxInflightBytes = 30
        }
        let r = node.raft
        for _ in 0..<6 {
            try? r.step(Message(type: .propose, from: 1, entries: [Entry(data: [UInt8](repeating: 1, count: 10))]))
        }
        let appends = r.msgs.filter { $0.type == .append && $0.to == 2 }
        #expect(appends.count == 3)
        #expect(r.tracker.progress[2]!.inflights.bytes == 30)
        #expect(r.tracker.progress[2]!.isPaused)
    }

    @Test func maxSizePerMessageSplitsAppends() {
        let (node, _) = replicatingLeader {
            $0.maxSizePerMsg = 20
        }
        let r = node.raft
        // Take follower 2 to probe so that the entries accumulate, then let it resume.
        r.tracker.progress[2]!.becomeProbe()
        r.tracker.progress[2]!.probeSent = true
        for _ in 0..<5 {
            try? r.step(Message(type: .propose, from: 1, entries: [Entry(data: [UInt8](repeating: 1, count: 10))]))
        }
        #expect(r.msgs.isEmpty)
        try? r.step(Message(type: .heartbeatResponse, to: 1, from: 2, term: 1))
        let first = r.msgs.first { $0.type == .append }
        #expect(first?.entries.count == 2)
    }

    @Test func heartbeatResponseFreesOneSlotOfAFullWindow() {
        let (node, _) = replicatingLeader { $0.maxInflightMsgs = 1 }
        let r = node.raft
        try? r.step(Message(type: .propose, from: 1, entries: [entry(0, 0, "a")]))
        try? r.step(Message(type: .propose, from: 1, entries: [entry(0, 0, "b")]))
        #expect(r.msgs.filter { $0.type == .append }.count == 1)
        r.msgs = []
        try? r.step(Message(type: .heartbeatResponse, to: 1, from: 2, term: 1))
        #expect(r.msgs.filter { $0.type == .append }.count == 1)
    }
}
