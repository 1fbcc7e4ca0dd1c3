import Testing

@testable import Raft

@Suite("Sending appends per progress state") struct SendAppendTests {
    private func leader() -> (RawNode, MemoryStorage) {
        let (node, storage) = makeNode(1, voters: [1, 2]) {
            $0.preVote = false
            $0.checkQuorum = false
        }
        node.raft.becomeCandidate()
        node.raft.becomeLeader()
        node.persistAll(storage)
        node.raft.msgs = []
        return (node, storage)
    }

    @Test("probe: one append, then paused until the follower answers or a heartbeat response arrives")
    func probe() {
        let (node, _) = leader()
        let r = node.raft
        r.tracker.progress[2]!.becomeProbe()
        for _ in 0..<3 {
            try? r.step(Message(type: .propose, from: 1, entries: [entry(0, 0, "x")]))
        }
        #expect(r.msgs.filter { $0.type == .append }.count == 1)
        #expect(r.tracker.progress[2]!.probeSent)
        r.msgs = []
        // Heartbeats do not unpause, their responses do.
        try? r.step(Message(type: .beat, from: 1))
        #expect(r.msgs.map(\.type) == [.heartbeat])
        r.msgs = []
        try? r.step(Message(type: .heartbeatResponse, to: 1, from: 2, term: 1))
        #expect(r.msgs.filter { $0.type == .append }.count == 1)
    }

    @Test("replicate: appends stream without waiting")
    func replicate() {
        let (node, _) = leader()
        let r = node.raft
        r.tracker.progress[2]!.becomeReplicate()
        for _ in 0..<10 {
            try? r.step(Message(type: .propose, from: 1, entries: [entry(0, 0, "x")]))
        }
        #expect(r.msgs.filter { $0.type == .append }.count == 10)
    }

    @Test("snapshot: nothing is sent")
    func snapshot() {
        let (node, _) = leader()
        let r = node.raft
        r.tracker.progress[2]!.becomeSnapshot(10)
        for _ in 0..<10 {
            try? r.step(Message(type: .propose, from: 1, entries: [entry(0, 0, "x")]))
        }
        #expect(r.msgs.filter { $0.type == .append }.isEmpty)
    }

    @Test("an unreachable follower in replicate state goes back to probe")
    func unreachable() {
        let (node, _) = leader()
        let r = node.raft
        try? r.step(Message(type: .appendResponse, to: 1, from: 2, term: 1, index: 1))
        #expect(r.tracker.progress[2]!.state == .replicate)
        try? r.step(Message(type: .propose, from: 1, entries: [entry(0, 0, "x")]))
        node.reportUnreachable(2)
        #expect(r.tracker.progress[2]!.state == .probe)
        #expect(r.tracker.progress[2]!.next == r.tracker.progress[2]!.match + 1)
    }

    @Test("a rejected append in replicate state falls back to probe from the match")
    func rejectionFallsBackToProbe() {
        let (node, _) = leader()
        let r = node.raft
        try? r.step(Message(type: .appendResponse, to: 1, from: 2, term: 1, index: 1))
        for _ in 0..<3 { try? r.step(Message(type: .propose, from: 1, entries: [entry(0, 0, "x")])) }
        r.msgs = []
        try? r.step(
            Message(type: .appendResponse, to: 1, from: 2, term: 1, logTerm: 1, index: 3, reject: true, rejectHint: 1))
        #expect(r.tracker.progress[2]!.state == .probe)
        let probe = r.msgs.first { $0.type == .append }
        #expect(probe?.index == 1)
    }
}
