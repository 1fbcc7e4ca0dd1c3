extension Raft {
    // MARK: Proposals

    func handleProposal(_ m: Message) throws(RaftError) {
        precondition(!m.entries.isEmpty, "stepped empty MsgProp")
        // A leader removed from the configuration must not accept writes.
        if tracker.progress[id] == nil { throw .proposalDropped }
        // During a transfer, new entries would keep the transferee behind forever (thesis §3.10).
        if leadTransferee != .none { throw .proposalDropped }
        // A removed or demoted leader only hands over what it has.
        if stepDownPending { throw .proposalDropped }
        var entries = m.entries
        for i in entries.indices where entries[i].type == .confChange || entries[i].type == .confChangeV2 {
            if let reason = refusalReason(for: entries[i]) {
                // A local caller gets the reason and may retry (e.g. once the pending change is
                // applied). A forwarded proposal cannot carry an error back: the entry is replaced
                // by an empty one and the rest of the proposal still goes through (etcd-io/raft
                // does the same for every proposal).
                if m.from == id && entries.count == 1 { throw .invalidConfChange(reason) }
                entries[i] = Entry(type: .normal)
            } else {
                pendingConfIndex = raftLog.lastIndex + UInt64(i) + 1
            }
        }
        if !appendEntries(entries) { throw .proposalDropped }
        broadcastAppend()
    }

    /// Appends entries of the current term to the leader's log. Returns false (and appends
    /// nothing) when the uncommitted-bytes cap would be exceeded.
    func appendEntries(_ entries: [Entry]) -> Bool {
        var entries = entries
        let last = raftLog.lastIndex
        for i in entries.indices {
            entries[i].term = term
            entries[i].index = last + 1 + UInt64(i)
        }
        if !increaseUncommittedSize(entries) { return false }
        raftLog.append(entries)
        // The leader's own progress moves when the entries are durable (see `advance`), not here.
        return true
    }

    /// Back-pressure on uncommitted bytes. A proposal is accepted when nothing is uncommitted (so
    /// that one large entry still goes through) or when it fits under the cap.
    func increaseUncommittedSize(_ entries: [Entry]) -> Bool {
        let size = entries.payloadSize
        if uncommittedSize > 0 && size > 0 && uncommittedSize + size > maxUncommittedSize {
            return false
        }
        uncommittedSize += size
        return true
    }

    func reduceUncommittedSize(_ entries: [Entry]) {
        guard role == .leader else { return }
        let size = entries.payloadSize
        // The leader may have been elected after these entries were proposed: clamp at zero.
        uncommittedSize = size > uncommittedSize ? 0 : uncommittedSize - size
    }

    // MARK: Sending appends

    /// Sends an append (or a snapshot) to `to` if its progress allows.
    @discardableResult
    func maybeSendAppend(to: NodeID, sendIfEmpty: Bool) -> Bool {
        guard var pr = tracker.progress[to], !pr.isPaused else { return false }
        defer { tracker.progress[to] = pr }
        let prevTerm: Term
        let entries: [Entry]
        do {
            prevTerm = try raftLog.term(pr.next - 1)
            entries = try raftLog.entries(from: pr.next, maxSize: maxMsgSize)
        } catch {
            // The entries the follower needs are compacted: send a snapshot (paper §7).
            return sendSnapshot(to: to, progress: &pr)
        }
        if entries.isEmpty && !sendIfEmpty { return false }
        let prevIndex = pr.next - 1
        if let last = entries.last {
            switch pr.state {
            case .replicate:
                // Stream optimistically within the in-flight window.
                pr.optimisticUpdate(last.index)
                pr.inflights.add(last.index, bytes: entries.payloadSize)
            case .probe:
                // One probe at a time until the follower answers.
                pr.probeSent = true
            case .snapshot:
                preconditionFailure("sending append in snapshot state")
            }
        }
        send(
            Message(
                type: .append, to: to, logTerm: prevTerm, index: prevIndex, entries: entries, commit: raftLog.committed)
        )
        return true
    }

    private func sendSnapshot(to: NodeID, progress pr: inout Progress) -> Bool {
        // Only to a follower that answers: a snapshot is expensive.
        guard pr.recentActive else { return false }
        let snapshot: Snapshot
        do {
            snapshot = try raftLog.snapshot()
        } catch .snapshotTemporarilyUnavailable {
            // The application is producing one: stay in probe and retry on a later heartbeat.
            return false
        } catch {
            preconditionFailure("failed to get snapshot: \(error)")
        }
        precondition(!snapshot.isEmpty, "need non-empty snapshot")
        pr.becomeSnapshot(snapshot.metadata.index)
        send(Message(type: .snapshot, to: to, snapshot: snapshot))
        return true
    }

    func sendAppend(to: NodeID) { maybeSendAppend(to: to, sendIfEmpty: true) }

    /// Sends appends to every follower (ascending ids: deterministic message order).
    func broadcastAppend() {
        for peer in tracker.sortedIDs where peer != id {
            sendAppend(to: peer)
        }
    }

    func broadcastHeartbeat() {
        broadcastHeartbeat(context: readOnly.lastPendingContext ?? [])
    }

    func broadcastHeartbeat(context: [UInt8]) {
        for peer in tracker.sortedIDs where peer != id {
            sendHeartbeat(to: peer, context: context)
        }
    }

    func sendHeartbeat(to: NodeID, context: [UInt8]) {
        // The follower may not have the leader's whole log: a commit index beyond its match
        // could point past its last entry, so send at most the match.
        let commit = min(tracker.progress[to]!.match, raftLog.committed)
        send(Message(type: .heartbeat, to: to, commit: commit, context: context))
    }

    // MARK: Leader handling of responses

    func handleAppendResponse(_ m: Message) {
        tracker.progress[m.from]!.recentActive = true
        if m.reject {
            // The follower's log does not match at m.index. Its hint (index and term of its last
            // entry not above the probe) lets the leader skip the entries of a whole conflicting
            // term per round trip.
            var nextProbe = m.rejectHint
            if m.logTerm > 0 {
                nextProbe = raftLog.findConflictByTerm(m.rejectHint, term: m.logTerm)
            }
            if tracker.progress[m.from]!.maybeDecrTo(rejected: m.index, matchHint: nextProbe) {
                if tracker.progress[m.from]!.state == .replicate {
                    tracker.progress[m.from]!.becomeProbe()
                }
                sendAppend(to: m.from)
            }
            return
        }
        let wasPaused = tracker.progress[m.from]!.isPaused
        guard tracker.progress[m.from]!.maybeUpdate(m.index) else { return }
        let pr = tracker.progress[m.from]!
        switch pr.state {
        case .probe:
            tracker.progress[m.from]!.becomeReplicate()
        case .snapshot where pr.match >= pr.pendingSnapshot:
            // The follower caught up past the snapshot (it restored it, or got entries).
            tracker.progress[m.from]!.becomeProbe()
            tracker.progress[m.from]!.becomeReplicate()
        case .replicate:
            tracker.progress[m.from]!.inflights.freeLE(m.index)
        default:
            break
        }
        if !commitAdvanced() && wasPaused {
            // The follower was throttled and may now take more.
            sendAppend(to: m.from)
        }
        // Flow control may allow several messages now (probe -> replicate, or many freed).
        while maybeSendAppend(to: m.from, sendIfEmpty: false) {}
        if m.from == leadTransferee && tracker.progress[m.from]!.match == raftLog.lastIndex {
            // The transferee caught up: let it take over.
            sendTimeoutNow(to: m.from)
        }
        maybeStepDownAfterRemoval()
    }

    func handleHeartbeatResponse(_ m: Message) {
        tracker.progress[m.from]!.recentActive = true
        tracker.progress[m.from]!.probeSent = false
        // Let one more message through a full window so that replication resumes after drops.
        if tracker.progress[m.from]!.state == .replicate && tracker.progress[m.from]!.inflights.isFull {
            tracker.progress[m.from]!.inflights.freeFirstOne()
        }
        if tracker.progress[m.from]!.match < raftLog.lastIndex {
            sendAppend(to: m.from)
        }
        handleReadIndexAck(m)
    }

    /// Commits what a quorum has durably stored; on progress, serves reads waiting for the first
    /// commit of the term and tells followers the new commit index. Returns whether it advanced.
    @discardableResult
    func commitAdvanced() -> Bool {
        guard role == .leader else { return false }
        guard raftLog.maybeCommit(tracker.committed(), term: term) else { return false }
        releasePendingReadIndexMessages()
        broadcastAppend()
        return true
    }

    // MARK: Follower handling

    func handleAppendEntries(_ m: Message) {
        if m.index < raftLog.committed {
            // Everything up to our commit index is known to match: acknowledge it, so the leader
            // can move on from a stale probe.
            send(Message(type: .appendResponse, to: m.from, index: raftLog.committed))
            return
        }
        if let lastNew = raftLog.maybeAppend(
            index: m.index, logTerm: m.logTerm, committed: m.commit, entries: m.entries)
        {
            send(Message(type: .appendResponse, to: m.from, index: lastNew))
            return
        }
        // Consistency check failed (paper §5.3). Hint the largest index whose term is <= the
        // probed term: the leader may skip everything after it.
        var hintIndex = min(m.index, raftLog.lastIndex)
        hintIndex = raftLog.findConflictByTerm(hintIndex, term: m.logTerm)
        let hintTerm = raftLog.zeroTermOnError(hintIndex)
        send(
            Message(
                type: .appendResponse, to: m.from, logTerm: hintTerm, index: m.index, reject: true,
                rejectHint: hintIndex))
    }

    func handleHeartbeat(_ m: Message) {
        raftLog.commitTo(m.commit)
        // Echo the context: it is how the leader's read confirmation rounds are counted.
        send(Message(type: .heartbeatResponse, to: m.from, context: m.context))
    }

    func handleSnapshot(_ m: Message) {
        guard let snapshot = m.snapshot else { return }
        if restore(snapshot) {
            send(Message(type: .appendResponse, to: m.from, index: raftLog.lastIndex))
        } else {
            send(Message(type: .appendResponse, to: m.from, index: raftLog.committed))
        }
    }

    /// Restores a snapshot sent by the leader; returns whether it was used.
    func restore(_ snapshot: Snapshot) -> Bool {
        let meta = snapshot.metadata
        if meta.index <= raftLog.committed { return false }
        if role != .follower {
            // Defensive: only followers restore snapshots. Should never happen, since a snapshot
            // only comes from a leader, which makes us a follower first.
            becomeFollower(term: term + 1, lead: .none)
            return false
        }
        // Defense in depth: ignore a snapshot whose configuration does not include us.
        let cs = meta.confState
        guard cs.voters.contains(id) || cs.learners.contains(id) || cs.votersOutgoing.contains(id) else {
            return false
        }
        if raftLog.matchTerm(meta.index, meta.term) {
            // We have the entry already: fast-forward the commit index instead of replacing the
            // log (entries after it may be valid and in use).
            raftLog.commitTo(meta.index)
            return false
        }
        raftLog.restore(snapshot)
        let changer = Changer(
            config: TrackerConfig(), progress: [:], newInflights: tracker.newInflights(), lastIndex: raftLog.lastIndex)
        guard let (cfg, prs) = try? changer.restore(cs) else {
            preconditionFailure("unable to restore config \(cs)")
        }
        tracker.progress = [:]
        tracker.config = TrackerConfig()
        _ = switchToConfig(cfg, prs)
        return true
    }

    // MARK: Advance

    /// The application persisted `rd`'s entries, hard state and snapshot, and applied its
    /// committed entries.
    func advance(_ rd: Ready) {
        if let last = rd.entries.last {
            raftLog.stableTo(last.index, term: last.term)
        }
        if let snapshot = rd.snapshot {
            raftLog.stableSnapTo(snapshot.metadata.index)
        }
        if role == .leader {
            // The leader's own entries are durable now and count towards the quorum.
            let stable = raftLog.lastStableIndex
            if tracker.progress[id]?.maybeUpdate(stable) == true {
                commitAdvanced()
            }
        }
        let appliedIndex = rd.committedEntries.last?.index ?? rd.snapshot?.metadata.index ?? 0
        if appliedIndex > 0 {
            raftLog.appliedTo(appliedIndex)
            if tracker.config.autoLeave && appliedIndex >= pendingConfIndex && role == .leader {
                // The joint configuration is applied and should be left automatically: propose
                // the empty change (thesis §4.3, the second phase).
                if appendEntries([Entry(type: .confChangeV2, data: ConfChange().encoded())]) {
                    pendingConfIndex = raftLog.lastIndex
                    broadcastAppend()
                }
            }
        }
        reduceUncommittedSize(rd.committedEntries)
    }
}
