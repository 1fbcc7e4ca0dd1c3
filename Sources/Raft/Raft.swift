/// The Raft state machine of one member (mirrors etcd-io/raft's `raft`): messages and ticks in,
/// messages, log changes and state out. No I/O, no clock, no global random; deterministic given
/// its inputs and `Config.randomSeed`. `RawNode` wraps it into the public Ready interface.
///
/// Split by aspect: elections in `Raft+Election.swift`, replication in `Raft+Replication.swift`,
/// reads in `Raft+ReadIndex.swift`, membership in `Raft+ConfChange.swift`.
final class Raft {
    let id: NodeID

    // Persistent state (paper Figure 2).
    var term: Term = 0
    var vote: NodeID = .none
    var raftLog: RaftLog

    // Volatile state.
    var role: Role = .follower
    var lead: NodeID = .none
    var isLearner = false
    var tracker: ProgressTracker
    /// Messages produced since the last Ready, in order.
    var msgs: [Message] = []
    /// Reads answered since the last Ready.
    var readStates: [ReadState] = []

    /// The member leadership is being transferred to, or `.none`.
    var leadTransferee: NodeID = .none
    /// The index of the latest configuration change the leader proposed; no new change is
    /// accepted until the applied index reaches it (one pending change at a time, thesis §4.1).
    var pendingConfIndex: LogIndex = 0
    /// The payload bytes of the leader's uncommitted entries (back-pressure).
    var uncommittedSize: UInt64 = 0
    /// A leader that applied its own removal (or demotion) and steps down once the voters of the
    /// new configuration hold its whole log (see `maybeStepDownAfterRemoval`).
    var stepDownPending = false

    /// Pending ReadIndex requests of a leader.
    var readOnly: ReadOnly
    /// Counts the read contexts this member issued as leader, never reset, so that contexts are
    /// unique across terms too.
    var readContextCounter: UInt64 = 0
    /// Reads received before the leader committed an entry of its term (thesis §6.4 step 1).
    var pendingReadIndexMessages: [Message] = []

    // Timers, in ticks.
    var electionElapsed = 0
    var heartbeatElapsed = 0
    let electionTimeout: Int
    let heartbeatTimeout: Int
    var randomizedElectionTimeout = 0
    var rng: SplitMix64

    // Options.
    let checkQuorum: Bool
    let preVote: Bool
    let disableProposalForwarding: Bool
    let stepDownOnRemoval: Bool
    let maxMsgSize: UInt64
    let maxUncommittedSize: UInt64

    init(config: Config, storage: any LogStorage) throws(RaftError) {
        try config.validate()
        id = config.id
        raftLog = RaftLog(storage: storage, maxNextEntriesSize: config.maxCommittedSizePerReady)
        tracker = ProgressTracker(maxInflight: config.maxInflightMsgs, maxInflightBytes: config.maxInflightBytes)
        readOnly = ReadOnly(option: config.readOnlyOption)
        electionTimeout = config.electionTick
        heartbeatTimeout = config.heartbeatTick
        rng = SplitMix64(seed: config.randomSeed)
        checkQuorum = config.checkQuorum
        preVote = config.preVote
        disableProposalForwarding = config.disableProposalForwarding
        stepDownOnRemoval = config.stepDownOnRemoval
        maxMsgSize = config.maxSizePerMsg
        maxUncommittedSize = config.maxUncommittedEntriesSize == 0 ? .max : config.maxUncommittedEntriesSize

        let (hardState, confState) = try storage.initialState()
        let changer = Changer(
            config: TrackerConfig(), progress: [:], newInflights: tracker.newInflights(), lastIndex: raftLog.lastIndex)
        let (cfg, prs) = try changer.restore(confState)
        _ = switchToConfig(cfg, prs)

        if !hardState.isEmpty {
            if hardState.commit < raftLog.committed || hardState.commit > raftLog.lastIndex {
                throw .invalidConfig(
                    "hard state commit \(hardState.commit) is out of range [\(raftLog.committed), \(raftLog.lastIndex)]"
                )
            }
            term = hardState.term
            vote = hardState.vote
            raftLog.committed = hardState.commit
        }
        if config.applied > 0 {
            if config.applied > raftLog.committed {
                throw .invalidConfig("applied \(config.applied) is beyond the commit index \(raftLog.committed)")
            }
            // Below the snapshot everything counts as applied already (the snapshot holds it).
            if config.applied > raftLog.applied {
                raftLog.appliedTo(config.applied)
            }
        }
        becomeFollower(term: term, lead: .none)
    }

    // MARK: State

    var softState: SoftState { SoftState(leader: lead, role: role) }

    var hardState: HardState { HardState(term: term, vote: vote, commit: raftLog.committed) }

    /// Whether this member may become leader: a voter of the current configuration, with no
    /// pending snapshot.
    var promotable: Bool {
        guard let pr = tracker.progress[id] else { return false }
        return !pr.isLearner && !raftLog.hasPendingSnapshot
    }

    // MARK: Role changes

    func becomeFollower(term: Term, lead: NodeID) {
        reset(term: term)
        self.lead = lead
        role = .follower
    }

    func becomePreCandidate() {
        precondition(role != .leader, "invalid transition [leader -> pre-candidate]")
        // A pre-candidate keeps its term and vote: the pre-vote must not disturb anything
        // (thesis §9.6).
        tracker.resetVotes()
        lead = .none
        role = .preCandidate
    }

    func becomeCandidate() {
        precondition(role != .leader, "invalid transition [leader -> candidate]")
        reset(term: term + 1)
        vote = id
        role = .candidate
    }

    func becomeLeader() {
        precondition(role != .follower, "invalid transition [follower -> leader]")
        reset(term: term)
        lead = id
        role = .leader
        tracker.progress[id]?.becomeReplicate()
        // Conservatively assume the latest entry may be a configuration change: no new change is
        // accepted until everything up to here is applied.
        pendingConfIndex = raftLog.lastIndex
        // The empty entry of the new term lets the leader commit (and learn the commit index of)
        // the entries of earlier terms (paper §5.4.2, thesis §6.4). It does not count against
        // the uncommitted-bytes cap (it has no payload).
        _ = appendEntries([Entry()])
    }

    /// Resets volatile state for a (possibly new) term.
    func reset(term newTerm: Term) {
        if term != newTerm {
            term = newTerm
            vote = .none
        }
        lead = .none
        electionElapsed = 0
        heartbeatElapsed = 0
        resetRandomizedElectionTimeout()
        abortLeaderTransfer()
        tracker.resetVotes()
        let lastIndex = raftLog.lastIndex
        let stable = raftLog.lastStableIndex
        for peer in tracker.sortedIDs {
            let isLearner = tracker.progress[peer]!.isLearner
            var pr = Progress(match: 0, next: lastIndex + 1, inflights: tracker.newInflights(), isLearner: isLearner)
            // The leader's own match is what it has durably stored (thesis §10.2.1): it counts
            // towards the commit quorum only once persisted.
            if peer == id {
                pr.match = stable
                pr.recentActive = true
            }
            tracker.progress[peer] = pr
        }
        pendingConfIndex = 0
        uncommittedSize = 0
        stepDownPending = false
        readOnly = ReadOnly(option: readOnly.option)
        pendingReadIndexMessages = []
    }

    func resetRandomizedElectionTimeout() {
        // [electionTimeout, 2*electionTimeout): randomization makes split votes rare (paper §5.2).
        randomizedElectionTimeout = electionTimeout + rng.next(below: electionTimeout)
    }

    var pastElectionTimeout: Bool { electionElapsed >= randomizedElectionTimeout }

    func abortLeaderTransfer() { leadTransferee = .none }

    // MARK: Ticks

    func tick() {
        switch role {
        case .leader: tickHeartbeat()
        default: tickElection()
        }
    }

    private func tickElection() {
        electionElapsed += 1
        if promotable && pastElectionTimeout {
            electionElapsed = 0
            try? step(Message(type: .hup, from: id))
        }
    }

    private func tickHeartbeat() {
        heartbeatElapsed += 1
        electionElapsed += 1
        if electionElapsed >= electionTimeout {
            electionElapsed = 0
            if checkQuorum {
                try? step(Message(type: .checkQuorum, from: id))
            }
            // A transfer that did not finish within an election timeout is abandoned, and the
            // leader accepts proposals again (thesis §3.10).
            if role == .leader && leadTransferee != .none {
                abortLeaderTransfer()
            }
        }
        guard role == .leader else { return }
        if heartbeatElapsed >= heartbeatTimeout {
            heartbeatElapsed = 0
            try? step(Message(type: .beat, from: id))
        }
    }

    // MARK: Sending

    func send(_ message: Message) {
        var m = message
        m.from = id
        switch m.type {
        case .vote, .voteResponse, .preVote, .preVoteResponse:
            // Vote messages carry the term they are about (for pre-votes, the next term), set by
            // the caller.
            precondition(m.term != 0, "term should be set when sending \(m.type.name)")
        case .propose, .readIndex:
            // Forwarded proposals and reads are local requests of the receiver: no term.
            break
        default:
            m.term = term
        }
        msgs.append(m)
    }
}
