extension Raft {
    /// Whether the leader committed an entry of its own term. Until it has, its commit index may
    /// lag behind entries committed by earlier leaders, so it cannot serve reads (thesis §6.4,
    /// step 1).
    var committedEntryInCurrentTerm: Bool {
        raftLog.zeroTermOnError(raftLog.committed) == term
    }

    func handleReadIndexAsLeader(_ m: Message) {
        guard m.entries.count == 1 else { return }
        if !committedEntryInCurrentTerm {
            // Queue until the first commit of the term (etcd 3.5+ behaviour). This holds for a
            // single voter too: after a restart its commit index may lag behind writes it
            // acknowledged before the crash (a commit-only hard state need not be synced), and
            // only committing an entry of the new term brings it back up to date.
            pendingReadIndexMessages.append(m)
            return
        }
        serveReadIndex(m)
    }

    private func serveReadIndex(_ m: Message) {
        if tracker.isSingleton {
            // Only one voter: its commit index (of its own term) is authoritative.
            respondToReadIndex(m, index: raftLog.committed)
            return
        }
        switch readOnly.option {
        case .safe:
            // Confirm leadership with a heartbeat round carrying a context only this leader, in
            // this term, issues (thesis §6.4 step 2).
            readContextCounter += 1
            let context = ReadOnly.encodeContext(term: term, counter: readContextCounter)
            readOnly.add(context: context, index: raftLog.committed, request: m, leader: id)
            broadcastHeartbeat(context: context)
        case .leaseBased:
            // The lease (check-quorum with bounded clock drift) vouches for leadership
            // (thesis §6.4.1).
            respondToReadIndex(m, index: raftLog.committed)
        }
    }

    /// Serves the reads queued before the first commit of the term.
    func releasePendingReadIndexMessages() {
        guard !pendingReadIndexMessages.isEmpty, committedEntryInCurrentTerm else { return }
        let messages = pendingReadIndexMessages
        pendingReadIndexMessages = []
        for m in messages {
            serveReadIndex(m)
        }
    }

    /// Counts a heartbeat response towards the read confirmation round of its context.
    func handleReadIndexAck(_ m: Message) {
        guard readOnly.option == .safe, !m.context.isEmpty else { return }
        // Only contexts issued by this leader in this term count: a delayed or duplicated
        // response from an earlier term carries a context with an older term, which is never in
        // the map (it is cleared on every term change) and is rejected here explicitly too.
        guard ReadOnly.term(ofContext: m.context) == term else { return }
        guard let acks = readOnly.receiveAck(from: m.from, context: m.context) else { return }
        var votes: [NodeID: Bool] = [:]
        for ack in acks { votes[ack] = true }
        guard tracker.config.voters.voteResult(votes) == .won else { return }
        for status in readOnly.advance(through: m.context) {
            respondToReadIndex(status.request, index: status.index)
        }
    }

    func respondToReadIndex(_ request: Message, index: LogIndex) {
        if request.from == .none || request.from == id {
            readStates.append(ReadState(index: index, requestContext: request.entries[0].data))
        } else {
            send(Message(type: .readIndexResponse, to: request.from, index: index, entries: request.entries))
        }
    }
}
