extension Raft {
    /// Cheap structural invariants, checked after every input in debug builds. A violation is a
    /// bug in this module, never bad input, hence `assert`.
    func checkInvariants() {
        #if DEBUG
        let log = raftLog
        assert(log.applied <= log.committed, "applied \(log.applied) > committed \(log.committed)")
        assert(log.applied <= log.applying, "applied \(log.applied) > applying \(log.applying)")
        assert(log.applying <= log.committed, "applying \(log.applying) > committed \(log.committed)")
        assert(
            log.unstable.offsetInProgress >= log.unstable.offset
                && log.unstable.offsetInProgress <= log.unstable.offset + UInt64(log.unstable.entries.count),
            "unstable in-progress offset \(log.unstable.offsetInProgress) out of range")
        assert(log.committed <= log.lastIndex, "committed \(log.committed) > last index \(log.lastIndex)")
        assert(log.unstable.offset <= log.lastIndex + 1, "unstable offset \(log.unstable.offset) beyond the log")
        if let first = log.unstable.entries.first {
            assert(first.index == log.unstable.offset, "unstable entries do not start at the offset")
        }
        switch role {
        case .leader:
            assert(lead == id, "leader \(id) believes \(lead) leads")
            assert(vote == id, "leader \(id) did not vote for itself")
        case .candidate:
            assert(vote == id, "candidate \(id) did not vote for itself")
            assert(lead == .none, "candidate with a leader")
        case .preCandidate:
            assert(lead == .none, "pre-candidate with a leader")
        case .follower:
            break
        }
        let tracked = Set(tracker.progress.keys)
        let configured = tracker.config.voters.ids.union(tracker.config.learners).union(tracker.config.learnersNext)
        assert(tracked == configured, "progress \(tracked.sorted()) differs from configuration \(configured.sorted())")
        for (peer, pr) in tracker.progress {
            assert(pr.match < pr.next || pr.state == .snapshot || peer == id, "progress of \(peer): match >= next")
        }
        #endif
    }
}
