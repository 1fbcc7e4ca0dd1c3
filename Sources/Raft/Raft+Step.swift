/// The context of vote requests caused by a leadership transfer: receivers grant them even while
/// they believe a leader is alive (thesis §3.10).
let campaignTransferContext: [UInt8] = Array("CampaignTransfer".utf8)

extension Raft {
    /// Steps one message: the single entry point for everything that changes the state.
    func step(_ m: Message) throws(RaftError) {
        // Term handling common to all roles (paper §5.1: a larger term always wins).
        if m.term == 0 {
            // Local message (or forwarded proposal / read).
        } else if m.term > term {
            if m.type == .vote || m.type == .preVote {
                let force = m.context == campaignTransferContext
                let inLease = checkQuorum && lead != .none && electionElapsed < electionTimeout
                if !force && inLease {
                    // With check-quorum, a member that heard from a leader within the minimum
                    // election timeout ignores vote requests: a partitioned member rejoining
                    // with a high term cannot depose a healthy leader (thesis §4.2.3).
                    return
                }
            }
            switch m.type {
            case .preVote:
                // Never change the term in response to a pre-vote.
                break
            case .preVoteResponse where !m.reject:
                // Pre-votes are sent for a future term; a granted answer carries that term.
                break
            default:
                if m.type == .append || m.type == .heartbeat || m.type == .snapshot {
                    becomeFollower(term: m.term, lead: m.from)
                } else {
                    becomeFollower(term: m.term, lead: .none)
                }
            }
        } else if m.term < term {
            if (checkQuorum || preVote) && (m.type == .heartbeat || m.type == .append) {
                // A stale leader (e.g. one that was partitioned) would otherwise never learn
                // about the new term: with check-quorum or pre-vote we do not bump our term on
                // its behalf by campaigning, so tell it explicitly.
                send(Message(type: .appendResponse, to: m.from))
            } else if m.type == .preVote || m.type == .vote {
                // Reject with our current term so that the (pre-)candidate learns it (paper §5.1:
                // a server answers a request with a stale term with its current term, and the
                // sender updates its own). etcd-io/raft ignores a stale MsgVote; then a candidate
                // that can win never learns the higher term of a voter it needs, when that voter
                // keeps raising its term in elections it cannot win (e.g. it missed a
                // configuration change and campaigns towards its old configuration): both raise
                // their terms at the same rate forever (simulator seeds 647, 8600). Safety is
                // untouched: we change no state, and the candidate only becomes a follower without
                // a leader in a term that already exists, as any higher-term message makes it. The
                // check-quorum lease concerns higher-term requests and is unaffected; a high term
                // that reaches a leader this way would reach it anyway through our reply to its
                // stale appends (above) or through our own vote requests.
                send(voteRejection(m))
            }
            // Otherwise ignore: a stale message.
            return
        }

        switch m.type {
        case .hup:
            guard role != .leader else { return }
            hup(transfer: false)
        case .vote, .preVote:
            handleVoteRequest(m)
        case .voteResponse where m.reject && m.commit > 0:
            // A removed member's commit hint (see `voteRejection`); then the usual handling.
            learnCommit(fromVoteRejection: m)
            if role == .candidate { try stepCandidate(m) }
        default:
            switch role {
            case .leader: try stepLeader(m)
            case .candidate, .preCandidate: try stepCandidate(m)
            case .follower: try stepFollower(m)
            }
        }
    }

    private func stepLeader(_ m: Message) throws(RaftError) {
        // Messages that do not need a progress.
        switch m.type {
        case .beat:
            broadcastHeartbeat()
            return
        case .checkQuorum:
            // The leader always counts itself active.
            tracker.progress[id]?.recentActive = true
            if !tracker.quorumActive() {
                // Without recent contact with a quorum, another leader may exist: step down so
                // clients go elsewhere (thesis §6.2).
                becomeFollower(term: term, lead: .none)
            }
            for peer in tracker.sortedIDs where peer != id {
                tracker.progress[peer]!.recentActive = false
            }
            return
        case .propose:
            try handleProposal(m)
            return
        case .readIndex:
            handleReadIndexAsLeader(m)
            return
        default:
            break
        }

        guard tracker.progress[m.from] != nil else { return }
        switch m.type {
        case .appendResponse:
            handleAppendResponse(m)
        case .heartbeatResponse:
            handleHeartbeatResponse(m)
        case .snapshotStatus:
            guard tracker.progress[m.from]!.state == .snapshot else { return }
            if m.reject {
                tracker.progress[m.from]!.pendingSnapshot = 0
            }
            tracker.progress[m.from]!.becomeProbe()
            // Wait for a heartbeat response or an append response before probing again: the
            // snapshot may still be in transit or being applied.
            tracker.progress[m.from]!.probeSent = true
        case .unreachable:
            // Optimistic streaming to an unreachable follower is pointless: probe instead.
            if tracker.progress[m.from]!.state == .replicate {
                tracker.progress[m.from]!.becomeProbe()
            }
        case .transferLeader:
            handleTransferLeader(m)
        default:
            break
        }
    }

    private func stepCandidate(_ m: Message) throws(RaftError) {
        let myVoteResponse: MessageType = role == .preCandidate ? .preVoteResponse : .voteResponse
        switch m.type {
        case .propose:
            throw .proposalDropped
        case .append:
            becomeFollower(term: m.term, lead: m.from)
            handleAppendEntries(m)
        case .heartbeat:
            becomeFollower(term: m.term, lead: m.from)
            handleHeartbeat(m)
        case .snapshot:
            becomeFollower(term: m.term, lead: m.from)
            handleSnapshot(m)
        case myVoteResponse:
            handleVoteResponse(m)
        case .timeoutNow:
            // Already campaigning.
            break
        default:
            break
        }
    }

    private func stepFollower(_ m: Message) throws(RaftError) {
        switch m.type {
        case .propose:
            if lead == .none || disableProposalForwarding { throw .proposalDropped }
            var forwarded = m
            forwarded.to = lead
            send(forwarded)
        case .append:
            electionElapsed = 0
            lead = m.from
            handleAppendEntries(m)
        case .heartbeat:
            electionElapsed = 0
            lead = m.from
            handleHeartbeat(m)
        case .snapshot:
            electionElapsed = 0
            lead = m.from
            handleSnapshot(m)
        case .transferLeader:
            guard lead != .none else { return }
            var forwarded = m
            forwarded.to = lead
            send(forwarded)
        case .timeoutNow:
            // The leader asks us to take over: campaign at once, skipping pre-vote, with the
            // transfer context so that followers ignore their leader lease (thesis §3.10).
            guard promotable else { return }
            hup(transfer: true)
        case .readIndex:
            guard lead != .none else { return }
            var forwarded = m
            forwarded.to = lead
            send(forwarded)
        case .readIndexResponse:
            guard m.entries.count == 1 else { return }
            readStates.append(ReadState(index: m.index, requestContext: m.entries[0].data))
        default:
            break
        }
    }
}
