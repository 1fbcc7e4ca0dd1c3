/// The public driver of one Raft member (mirrors etcd-io/raft's `RawNode`): feed it ticks,
/// messages and requests; take a `Ready`, persist/send/apply it, then `advance`.
///
/// Not thread-safe: one owner drives it (typically a single Raft loop task). It is a class so
/// that the owner holds one mutable instance; it is deliberately not `Sendable`.
public final class RawNode {
    let raft: Raft
    private var prevSoftState: SoftState
    /// The hard state last handed out in a Ready.
    private var prevHardState: HardState
    /// The hard state of the last Ready passed to `advance`: what is known durable.
    private var persistedHardState: HardState

    /// Creates a member from its configuration and storage (which holds the initial configuration,
    /// hard state and log).
    public init(config: Config, storage: some LogStorage) throws(RaftError) {
        raft = try Raft(config: config, storage: storage)
        prevSoftState = raft.softState
        prevHardState = raft.hardState
        persistedHardState = raft.hardState
    }

    /// This member's id.
    public var id: NodeID { raft.id }

    /// Advances the logical clock by one tick (election and heartbeat timeouts are in ticks).
    public func tick() {
        defer { raft.checkInvariants() }
        raft.tick()
    }

    /// Starts an election now (with a pre-vote first when enabled).
    public func campaign() throws(RaftError) {
        try raft.step(Message(type: .hup, from: raft.id))
    }

    /// Proposes application data. Throws `.proposalDropped` when it cannot be accepted (no
    /// leader, forwarding disabled, transfer in progress, uncommitted-bytes cap). Acceptance does
    /// not mean commitment: watch `committedEntries`.
    public func propose(_ data: [UInt8]) throws(RaftError) {
        try raft.step(Message(type: .propose, from: raft.id, entries: [Entry(data: data)]))
    }

    /// Proposes a membership change (entry type `.confChangeV2`). Once it appears in
    /// `committedEntries`, the application calls `applyConfChange`. On the leader, a change that
    /// is invalid for the applied configuration, or proposed while another is pending, throws
    /// `.invalidConfChange(reason)`; a follower forwards it and the leader replaces a refused
    /// change with an empty entry.
    public func proposeConfChange(_ cc: ConfChange) throws(RaftError) {
        try raft.step(
            Message(type: .propose, from: raft.id, entries: [Entry(type: .confChangeV2, data: cc.encoded())]))
    }

    /// Applies a committed membership change and returns the new configuration (to persist with
    /// the applied state).
    public func applyConfChange(_ cc: ConfChange) -> ConfState {
        defer { raft.checkInvariants() }
        return raft.applyConfChange(cc)
    }

    /// Steps a message received from a peer. Local message types are refused
    /// (`.stepLocalMessage`), as are responses from members not in the configuration
    /// (`.stepPeerNotFound`).
    public func step(_ message: Message) throws(RaftError) {
        if message.type.isLocal { throw .stepLocalMessage }
        if message.type.isResponse && raft.tracker.progress[message.from] == nil { throw .stepPeerNotFound }
        defer { raft.checkInvariants() }
        try raft.step(message)
    }

    /// Linearizable read: a ReadState with `requestContext` arrives in a later Ready once the
    /// leader confirmed its leadership for a context it generated itself. Followers forward the
    /// request to the leader; without a leader the request is dropped (retry later).
    public func readIndex(_ requestContext: [UInt8]) {
        try? raft.step(Message(type: .readIndex, from: raft.id, entries: [Entry(data: requestContext)]))
    }

    /// Asks the leader to hand leadership to `to` (a voter); followers forward the request.
    public func transferLeadership(to: NodeID) {
        try? raft.step(Message(type: .transferLeader, from: to))
    }

    /// Reports that `id` could not be reached; the leader stops streaming to it and probes.
    public func reportUnreachable(_ id: NodeID) {
        try? raft.step(Message(type: .unreachable, from: id))
    }

    /// Reports the outcome of sending a snapshot to `id`. Report every snapshot message, delivered
    /// or lost: until a report (or an acknowledgement past the snapshot) arrives, the leader sends
    /// nothing more to that follower (etcd-io/raft behaves the same).
    public func reportSnapshot(_ id: NodeID, failed: Bool) {
        try? raft.step(Message(type: .snapshotStatus, from: id, reject: failed))
    }

    /// Whether `ready()` would return something.
    public var hasReady: Bool {
        if raft.softState != prevSoftState { return true }
        let hs = raft.hardState
        if !hs.isEmpty && hs != prevHardState { return true }
        if raft.raftLog.unstable.snapshotToPersist != nil { return true }
        if !raft.msgs.isEmpty || raft.raftLog.unstable.hasEntriesToPersist || raft.raftLog.hasNextEntries {
            return true
        }
        return !raft.readStates.isEmpty
    }

    /// Everything to persist, send and apply since the last Ready. See `Ready` for the
    /// persistence contract.
    ///
    /// Several Readys may be in flight (persisted and applied off the Raft loop): each `ready()`
    /// hands out only what earlier ones did not. Persist them in order, and call `advance` for
    /// each, in the same order, once it is persisted and applied.
    public func ready() -> Ready {
        var rd = Ready()
        rd.entries = raft.raftLog.unstable.entriesToPersist
        rd.snapshot = raft.raftLog.unstable.snapshotToPersist
        rd.committedEntries = raft.raftLog.nextEntries()
        let soft = raft.softState
        if soft != prevSoftState {
            rd.softState = soft
            prevSoftState = soft
        }
        let hard = raft.hardState
        if hard != prevHardState {
            rd.hardState = hard
        }
        rd.readStates = raft.readStates
        raft.readStates = []
        // A term or vote not yet durable must be durable before anyone hears of it: a member that
        // forgot its vote after a crash could vote twice in a term, and a leader that forgot its
        // term could lead twice in it. Compared with the last persisted state, so that a later
        // Ready taken before an earlier one is persisted holds its messages too.
        let termOrVoteUnpersisted = hard.term != persistedHardState.term || hard.vote != persistedHardState.vote
        for m in raft.msgs {
            switch m.type {
            case .appendResponse, .voteResponse, .preVoteResponse:
                rd.messagesAfterPersist.append(m)
            default:
                if termOrVoteUnpersisted || rd.snapshot != nil {
                    rd.messagesAfterPersist.append(m)
                } else {
                    rd.messages.append(m)
                }
            }
        }
        raft.msgs = []
        rd.mustSync =
            hard.term != prevHardState.term || hard.vote != prevHardState.vote || !rd.entries.isEmpty
            || rd.snapshot != nil
        prevHardState = hard
        // Hand out: the next Ready starts after this one.
        raft.raftLog.unstable.acceptInProgress()
        if let last = rd.committedEntries.last {
            raft.raftLog.acceptApplying(last.index)
        }
        return rd
    }

    /// Acknowledges that `ready`'s entries, hard state and snapshot are durable and its committed
    /// entries applied. Readys are advanced in the order they were taken.
    public func advance(_ ready: Ready) {
        if let hs = ready.hardState {
            persistedHardState = hs
        }
        raft.advance(ready)
        raft.checkInvariants()
    }

    /// The member's state, with every peer's progress when it leads.
    public var status: Status {
        var s = Status(
            id: raft.id, hardState: raft.hardState, softState: raft.softState, applied: raft.raftLog.applied,
            leadTransferee: raft.leadTransferee, progress: [], config: raft.tracker.confState)
        if raft.role == .leader {
            s.progress = raft.tracker.sortedIDs.map { ($0, raft.tracker.progress[$0]!) }
        }
        return s
    }

    /// The cheap part of `status`.
    public var basicStatus: (id: NodeID, hardState: HardState, softState: SoftState, applied: LogIndex) {
        (raft.id, raft.hardState, raft.softState, raft.raftLog.applied)
    }
}
