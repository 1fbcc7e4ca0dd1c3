import Testing

@testable import Raft

private func progress(
    state: ProgressState = .probe, match: LogIndex = 0, next: LogIndex = 1, capacity: Int = 256
) -> Progress {
    var pr = Progress(match: match, next: next, inflights: Inflights(capacity: capacity))
    switch state {
    case .probe: break
    case .replicate:
        pr.state = .replicate
    case .snapshot:
        pr.state = .snapshot
    }
    return pr
}

@Suite("Progress") struct ProgressTests {
    @Test func becomeProbeFromReplicateAndSnapshot() {
        var pr = progress(state: .replicate, match: 1, next: 5)
        pr.becomeProbe()
        #expect(pr.state == .probe && pr.match == 1 && pr.next == 2)

        // From snapshot state with a pending snapshot beyond the match: probe after the snapshot.
        pr = progress(match: 1, next: 5)
        pr.becomeSnapshot(10)
        pr.becomeProbe()
        #expect(pr.state == .probe && pr.next == 11)

        pr = progress(match: 12, next: 13)
        pr.becomeSnapshot(10)
        pr.becomeProbe()
        #expect(pr.next == 13)
    }

    @Test func becomeReplicateStartsAfterMatch() {
        var pr = progress(match: 1, next: 5)
        pr.becomeReplicate()
        #expect(pr.state == .replicate && pr.next == 2)
    }

    @Test func becomeSnapshotPauses() {
        var pr = progress(match: 1, next: 5)
        pr.becomeSnapshot(10)
        #expect(pr.state == .snapshot && pr.pendingSnapshot == 10 && pr.isPaused)
    }

    @Test func maybeUpdate() {
        let cases: [(update: LogIndex, match: LogIndex, next: LogIndex, updated: Bool)] = [
            (2, 3, 5, false),  // stale
            (3, 3, 5, false),  // same
            (4, 4, 5, true),
            (5, 5, 6, true),
        ]
        for c in cases {
            var pr = progress(match: 3, next: 5)
            #expect(pr.maybeUpdate(c.update) == c.updated)
            #expect(pr.match == c.match)
            #expect(pr.next == c.next)
        }
    }

    @Test func maybeDecrTo() {
        struct Case {
            var state: ProgressState
            var match: LogIndex
            var next: LogIndex
            var rejected: LogIndex
            var hint: LogIndex
            var decreased: Bool
            var wantNext: LogIndex
        }
        let cases: [Case] = [
            // Replicate: a rejection at or below the match is stale.
            Case(state: .replicate, match: 5, next: 10, rejected: 5, hint: 5, decreased: false, wantNext: 10),
            Case(state: .replicate, match: 5, next: 10, rejected: 4, hint: 4, decreased: false, wantNext: 10),
            // Replicate: falls back to match + 1.
            Case(state: .replicate, match: 5, next: 10, rejected: 9, hint: 9, decreased: true, wantNext: 6),
            // Probe: only the answer to the latest probe (next - 1) counts.
            Case(state: .probe, match: 0, next: 0, rejected: 0, hint: 0, decreased: false, wantNext: 0),
            Case(state: .probe, match: 0, next: 10, rejected: 5, hint: 5, decreased: false, wantNext: 10),
            // Probe: next becomes min(rejected, hint + 1), at least 1.
            Case(state: .probe, match: 0, next: 10, rejected: 9, hint: 9, decreased: true, wantNext: 9),
            Case(state: .probe, match: 0, next: 1, rejected: 0, hint: 0, decreased: true, wantNext: 1),
            Case(state: .probe, match: 0, next: 10, rejected: 9, hint: 2, decreased: true, wantNext: 3),
            Case(state: .probe, match: 0, next: 10, rejected: 9, hint: 0, decreased: true, wantNext: 1),
        ]
        for c in cases {
            var pr = progress(state: c.state, match: c.match, next: c.next)
            pr.probeSent = true
            #expect(pr.maybeDecrTo(rejected: c.rejected, matchHint: c.hint) == c.decreased, "\(c)")
            #expect(pr.next == c.wantNext, "\(c)")
            if c.decreased && c.state == .probe { #expect(!pr.probeSent) }
        }
    }

    @Test func isPaused() {
        var pr = progress()
        #expect(!pr.isPaused)
        pr.probeSent = true
        #expect(pr.isPaused)
        pr.becomeReplicate()
        #expect(!pr.isPaused)
        pr = progress(state: .replicate, capacity: 1)
        pr.inflights.add(1, bytes: 0)
        #expect(pr.isPaused)
        pr.becomeSnapshot(3)
        #expect(pr.isPaused)
    }

    @Test func description() {
        var pr = progress(state: .replicate, match: 5, next: 6, capacity: 1)
        pr.inflights.add(6, bytes: 1)
        #expect(pr.description == "StateReplicate match=5 next=6 paused inactive inflight=1[full]")
        pr = progress(match: 1, next: 2)
        pr.isLearner = true
        pr.recentActive = true
        pr.becomeSnapshot(9)
        #expect(pr.description == "StateSnapshot match=1 next=2 learner paused pendingSnap=9")
    }
}

@Suite("Inflights") struct InflightsTests {
    @Test func addAndFreeByCount() {
        var inf = Inflights(capacity: 10)
        for i in 0..<5 { inf.add(LogIndex(UInt64(i)), bytes: 0) }
        #expect(inf.count == 5 && !inf.isFull)
        for i in 5..<10 { inf.add(LogIndex(UInt64(i)), bytes: 0) }
        #expect(inf.isFull)
        inf.freeLE(4)
        #expect(inf.count == 5 && !inf.isFull)
        inf.freeLE(8)
        #expect(inf.count == 1)
        // Freeing below the oldest is a no-op.
        inf.freeLE(3)
        #expect(inf.count == 1)
        inf.freeFirstOne()
        #expect(inf.count == 0)
        inf.freeFirstOne()
        #expect(inf.count == 0)
    }

    @Test func fullByBytes() {
        var inf = Inflights(capacity: 100, maxBytes: 100)
        inf.add(1, bytes: 40)
        inf.add(2, bytes: 40)
        #expect(!inf.isFull)
        #expect(inf.bytes == 80)
        inf.add(3, bytes: 30)  // may exceed: the window is full once the budget is spent
        #expect(inf.isFull)
        inf.freeLE(1)
        #expect(inf.bytes == 70 && !inf.isFull)
        inf.freeLE(3)
        #expect(inf.bytes == 0 && inf.count == 0)
    }

    @Test func reset() {
        var inf = Inflights(capacity: 2, maxBytes: 10)
        inf.add(1, bytes: 5)
        inf.add(2, bytes: 5)
        #expect(inf.isFull)
        inf.reset()
        #expect(inf.count == 0 && inf.bytes == 0 && !inf.isFull)
    }
}

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
