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
