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
            send(Message(type: m.type.voteResponseType, to: m.from, term: term, reject: true))
        }
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
