extension Raft {
    /// Why a proposed configuration change entry must be refused, or nil if it is acceptable.
    /// Validated against the applied configuration (the tracker's), never the latest proposed
    /// one: only one change may be pending at a time (thesis §4.1).
    func refusalReason(for entry: Entry) -> String? {
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
        } catch .invalidConfChange(let why) {
            return why
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
            // This leader was removed or demoted. With stepDownOnRemoval it stops taking
            // proposals and steps down (thesis §4.2.2), but only once the voters of the new
            // configuration hold its whole log (or when check-quorum or a higher term removes
            // it). Stepping down at once can leave the cluster without any possible leader: if a
            // remaining voter missed the commit of the removal it still needs this member's vote,
            // which this member refuses while its log holds entries the candidate lacks
            // (simulator seeds 260, 864). With both pre-vote and check-quorum off, a candidate's
            // higher term can still depose the lingering leader early; then its rejection of that
            // candidate's vote carries its commit index (`voteRejection`), so the candidate learns
            // that the removal committed and no longer needs this member (seed 2749).
            if stepDownOnRemoval && !stepDownPending {
                stepDownPending = true
                // The smaller quorum may commit more: tell the followers before leaving.
                let advanced = commitAdvanced()
                maybeStepDownAfterRemoval()
                if role == .leader && !advanced {
                    // Not caught up yet: push the rest of the log.
                    broadcastAppend()
                }
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

    /// Steps a removed leader down once every voter of the current configuration matches its last
    /// index: they can then elect among themselves, and this member grants them its vote.
    func maybeStepDownAfterRemoval() {
        guard stepDownPending, role == .leader else { return }
        let last = raftLog.lastIndex
        let caughtUp = tracker.config.voters.ids.allSatisfy { (tracker.progress[$0]?.match ?? 0) >= last }
        if caughtUp {
            becomeFollower(term: term, lead: .none)
        }
    }
}
