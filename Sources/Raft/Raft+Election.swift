extension Raft {
    /// Starts an election (or a pre-vote first), unless that is unsafe or pointless.
    func hup(transfer: Bool) {
        guard promotable else { return }
        // A configuration change that is committed but not yet applied may change who may vote;
        // campaigning now could use a stale configuration.
        if raftLog.committed > raftLog.applied, hasUnappliedConfChange() { return }
        if transfer {
            campaign(.transfer)
        } else if preVote {
            campaign(.preElection)
        } else {
            campaign(.election)
        }
    }

    private func hasUnappliedConfChange() -> Bool {
        let entries = (try? raftLog.slice(raftLog.applied + 1, raftLog.committed + 1, maxSize: .max)) ?? []
        return entries.contains { $0.type == .confChange || $0.type == .confChangeV2 }
    }

    enum CampaignKind {
        case preElection
        case election
        case transfer
    }

    func campaign(_ kind: CampaignKind) {
        guard promotable else { return }
        let voteType: MessageType
        let voteTerm: Term
        if kind == .preElection {
            becomePreCandidate()
            voteType = .preVote
            // A pre-vote asks about the next term without moving to it (thesis §9.6).
            voteTerm = term + 1
        } else {
            becomeCandidate()
            voteType = .vote
            voteTerm = term
        }
        if poll(id, granted: true) == .won {
            // A single-voter configuration wins at once.
            if kind == .preElection {
                campaign(.election)
            } else {
                becomeLeader()
            }
            return
        }
        for peer in tracker.voterIDs where peer != id {
            send(
                Message(
                    type: voteType, to: peer, term: voteTerm, logTerm: raftLog.lastTerm, index: raftLog.lastIndex,
                    context: kind == .transfer ? campaignTransferContext : []))
        }
    }

    func poll(_ from: NodeID, granted: Bool) -> VoteResult {
        tracker.recordVote(from, granted: granted)
        return tracker.tallyVotes().result
    }

    /// RequestVote receiver (paper §5.2, §5.4.1) and its pre-vote variant.
    func handleVoteRequest(_ m: Message) {
        // We can vote if we already voted for this candidate (a duplicate request), or have not
        // voted and know no leader in this term; a pre-vote for a later term is always
        // considered (it does not change our state).
        let canVote =
            vote == m.from || (vote == .none && lead == .none) || (m.type == .preVote && m.term > term)
        if canVote && raftLog.isUpToDate(lastIndex: m.index, term: m.logTerm) {
            // The answer carries the request's term: for a pre-vote that is a future term we do
            // not adopt, and the candidate must recognise the answer as for its campaign.
            send(Message(type: m.type.voteResponseType, to: m.from, term: m.term))
            if m.type == .vote {
                // Granting a vote resets the election timer (paper §5.2) so that we do not
                // campaign against the candidate we just supported.
                electionElapsed = 0
                vote = m.from
            }
        } else {
            send(voteRejection(m))
        }
    }

    /// A rejecting answer to the vote request `m`, carrying our current term (paper §5.1).
    ///
    /// A member outside its applied configuration (removed or demoted: it applied the committed
    /// change that took its vote away) also tells the candidate how far it knows the log to be
    /// committed, capped at the candidate's last index: `index`/`logTerm` name that entry and
    /// `commit` its index. This lets a remaining voter that missed the commit of the removal learn
    /// it, apply the new configuration and stop needing the removed member's vote (thesis §4.2.2).
    /// Without it, a removed leader deposed by that voter's higher term before its hand-over
    /// finished refused its vote forever (its log is longer), while the voter, still in the old
    /// configuration, could not win without it (simulator seed 2749).
    ///
    /// Safety: the hint changes no term, vote or log entry, so at most one leader per term and
    /// leader completeness are untouched; it only spreads knowledge of what is already committed.
    /// The candidate commits up to the hinted index only if its own log holds the hinted entry
    /// with the same term: by the Log Matching Property its log then equals ours up to there,
    /// and that prefix is committed (our commit index only ever covers committed entries). This
    /// is exactly the check an AppendEntries with no entries performs (paper Figure 2, receiver
    /// rules 2 and 5), so the candidate applies only committed entries (state machine safety).
    func voteRejection(_ m: Message) -> Message {
        var reply = Message(type: m.type.voteResponseType, to: m.from, term: term, reject: true)
        let isVoter = tracker.progress[id].map { !$0.isLearner } ?? false
        if m.type == .vote && !isVoter {
            let hinted = min(raftLog.committed, m.index)
            if hinted > 0, let hintedTerm = try? raftLog.term(hinted), hintedTerm > 0 {
                reply.index = hinted
                reply.logTerm = hintedTerm
                reply.commit = hinted
            }
        }
        return reply
    }

    /// Commits what a rejected vote's commit hint proves committed (see `voteRejection`).
    func learnCommit(fromVoteRejection m: Message) {
        guard role != .leader, m.reject, m.commit > 0, m.commit == m.index else { return }
        guard raftLog.matchTerm(m.index, m.logTerm) else { return }
        raftLog.commitTo(m.index)
    }

    func handleVoteResponse(_ m: Message) {
        switch poll(m.from, granted: !m.reject) {
        case .won:
            if role == .preCandidate {
                campaign(.election)
            } else {
                becomeLeader()
                broadcastAppend()
            }
        case .lost:
            // A lost pre-vote or vote: back to follower in the current term (the term of a lost
            // election stays, the vote for ourselves too).
            becomeFollower(term: term, lead: .none)
        case .pending:
            break
        }
    }
}
