/// Everything the application must do after driving a `RawNode`: persist, send, apply.
///
/// The persistence contract (thesis §10.2.1 and etcd-io/raft's asynchronous storage writes):
///
/// 1. `messages` may be sent at once, before or while `entries`, `hardState` and `snapshot` are
///    persisted. They hold the leader's appends, heartbeats, snapshots and forwarded requests;
///    none of them claims that anything in this Ready is durable. The leader counts its own log
///    towards the commit quorum only after `advance`, i.e. once its entries are durable, so
///    sending before persisting is safe.
/// 2. `messagesAfterPersist` must be sent only after `entries`, `hardState` and `snapshot` are
///    durable. They acknowledge durable state: append responses (the follower claims it stores
///    the entries), vote and pre-vote responses (the vote must survive a crash), and every
///    message produced while a changed term or vote is not yet known durable (a candidate must
///    not solicit or win votes for a term it could forget), or of a Ready carrying a snapshot.
/// 3. Apply `committedEntries` in order, after persisting this Ready's `entries` (and those of
///    every earlier Ready); restore `snapshot` into the state machine.
/// 4. Call `RawNode.advance(_:)` with this Ready; it marks the entries stable and the committed
///    entries applied. Several Readys may be in flight (persisting and applying can run off the
///    Raft loop): each `ready()` hands out only what earlier ones did not; persist, apply and
///    `advance` them in the order taken.
public struct Ready: Equatable, Sendable {
    /// The new soft state; nil when unchanged.
    public var softState: SoftState?
    /// The new hard state; nil when unchanged. Persist before sending `messagesAfterPersist`.
    public var hardState: HardState?
    /// Reads whose index is now known (see `RawNode.readIndex`).
    public var readStates: [ReadState]
    /// Entries to append to stable storage (a suffix that replaces any conflicting stored entries).
    public var entries: [Entry]
    /// A snapshot to persist and restore into the state machine.
    public var snapshot: Snapshot?
    /// Committed entries to apply, in order.
    public var committedEntries: [Entry]
    /// Messages that may be sent at once (rule 1 above).
    public var messages: [Message]
    /// Messages to send only once entries, hard state and snapshot are durable (rule 2 above).
    public var messagesAfterPersist: [Message]
    /// Whether persisting this Ready needs an fsync (new entries, a snapshot, or a changed term or
    /// vote; a changed commit index alone does not).
    public var mustSync: Bool

    /// Creates a Ready.
    public init(
        softState: SoftState? = nil, hardState: HardState? = nil, readStates: [ReadState] = [],
        entries: [Entry] = [], snapshot: Snapshot? = nil, committedEntries: [Entry] = [],
        messages: [Message] = [], messagesAfterPersist: [Message] = [], mustSync: Bool = false
    ) {
        self.softState = softState
        self.hardState = hardState
        self.readStates = readStates
        self.entries = entries
        self.snapshot = snapshot
        self.committedEntries = committedEntries
        self.messages = messages
        self.messagesAfterPersist = messagesAfterPersist
        self.mustSync = mustSync
    }

    /// Whether the Ready holds anything at all.
    public var containsUpdates: Bool {
        softState != nil || hardState != nil || !readStates.isEmpty || !entries.isEmpty || snapshot != nil
            || !committedEntries.isEmpty || !messages.isEmpty || !messagesAfterPersist.isEmpty
    }
}
