extension Raft {
    /// Why a proposed configuration change entry must be refused, or nil if it is acceptable.
    /// Validated against the applied configuration (the tracker's), never the latest proposed
    /// one: only one change may be pending at a time (thesis §4.1).
    func refusalReason(for entry: Entry, offset: UInt64) -> String? {
        guard let cc = try? ConfChange(decoding: entry.data) else { return "undecodable conf change" }
        let alreadyPending = pendingConfIndex > raftLog.applied
        let alreadyJoint = tracker.config.voters.isJoint
        let wantsLeaveJoint = cc.leavesJoint
        if alreadyPending {
            return "possible unapplied conf change at index \(pendingConfIndex) (applied to \(raftLog.applied))"
        }
        if alreadyJoint && !wantsLeaveJoint { return "must transition out of joint config first" }
        if !alreadyJoint && wantsLeaveJoint { return "not in joint state; refusing empty conf change" }
        // Validate the change itself against the applied configuration, so that an invalid one
        // never reaches the log (it would fail identically on every member when applied).
        do {
            _ = try computeConfChange(cc)
        } catch {
            return "\(error)"
        }
        return nil
    }

    func computeConfChange(_ cc: ConfChange) throws(RaftError) -> Changer.Result {
        let changer = Changer(
            config: tracker.config, progress: tracker.progress, newInflights: tracker.newInflights(),
            lastIndex: raftLog.lastIndex)
        if cc.leavesJoint { return try changer.leaveJoint() }
        let (autoLeave, joint) = cc.entersJoint
        if joint { return try changer.enterJoint(autoLeave: autoLeave, cc.changes) }
        return try changer.simple(cc.changes)
    }

    /// Applies a committed configuration change. An invalid change (which the leader refuses to
    /// propose, but a log may still hold) is ignored identically on every member.
    func applyConfChange(_ cc: ConfChange) -> ConfState {
        guard let (cfg, prs) = try? computeConfChange(cc) else { return tracker.confState }
        return switchToConfig(cfg, prs)
    }

    /// Installs a configuration and reacts to it.
    func switchToConfig(_ cfg: TrackerConfig, _ prs: [NodeID: Progress]) -> ConfState {
        tracker.config = cfg
        tracker.progress = prs
        let cs = tracker.confState
        let pr = tracker.progress[id]
        isLearner = pr?.isLearner ?? false
        if (pr == nil || isLearner) && role == .leader {
            // This leader was removed or demoted. It keeps replicating until then so that the
            // change commits; afterwards it steps down (thesis §4.2.2) unless configured not to.
            if stepDownOnRemoval {
                becomeFollower(term: term, lead: .none)
            }
            return cs
        }
        guard role == .leader, !cs.voters.isEmpty else { return cs }
        // The quorum changed: the commit index may move, and new members need appends.
        if !commitAdvanced() {
            for peer in tracker.sortedIDs where peer != id {
                maybeSendAppend(to: peer, sendIfEmpty: false)
            }
        }
        if leadTransferee != .none && !tracker.config.voters.ids.contains(leadTransferee) {
            abortLeaderTransfer()
        }
        return cs
    }
}
