import Synchronization

/// The member's lease manager (etcd's `lease.lessor`): the in-memory mirror of the replicated
/// lease table, plus the deadlines that only the primary (the Raft leader) keeps.
///
/// Who calls what:
/// - The applier, for every committed entry in log order: `grantOperation` and
///   `Lessor.revokeOperation` to build the store operations (the store, not the lessor, decides
///   whether a lease exists: it sees the earlier operations of the same batch), then, after the
///   store applied the batch, `apply(_:result:)` per operation (grants, revokes, and key
///   attachments moved by puts and deletes, read from the operation's events). `applyCheckpoint`
///   for replicated checkpoints.
/// - The runtime on leadership changes: `promote(extend:)` when this member becomes leader (once it
///   applied its term's entries, as etcd), `demote()` when it stops.
/// - Keep-alive handling, on any thread, at the leader: `keepAlive(_:)` (or `renew(_:)`, which
///   never waits). Followers get `.notPrimary` and forward.
/// - The leader's expiry loop (etcd: every 500 ms): `expiredLeases(limit:)`, proposing a revoke for
///   each; with checkpointing, `checkpoints()`, proposing them.
///
/// All state sits behind one `Mutex`; every method holds it for a few dictionary and heap
/// operations only (revocation key lists and listings copy out under the lock, sort outside).
/// Deadlines exist only on the primary: a follower's leases never expire locally (etcd's
/// `forever`), because only the leader's view of time decides expiry, through Raft.
public final class Lessor: Sendable {
    /// One lease as the lessor tracks it.
    struct Record {
        /// The granted TTL in seconds (after the floor).
        var ttl: Int64
        /// The last replicated checkpoint's remaining TTL, 0 when unset (then the full TTL is
        /// used at promotion), as etcd's `Lease.remainingTTL`.
        var checkpointedTTL: Int64 = 0
        /// The deadline while this lessor is primary; nil ("forever") otherwise.
        var expiry: ContinuousClock.Instant?
        /// The attached keys.
        var keys: Set<[UInt8]> = []

        /// The TTL a (re)start of the deadline uses: the checkpoint if any, else the full TTL
        /// (etcd's `Lease.RemainingTTL()`).
        var restartTTL: Int64 { checkpointedTTL > 0 ? checkpointedTTL : ttl }
    }

    /// Everything behind the lock.
    struct State {
        var leases: [LeaseID: Record] = [:]
        /// Which lease each attached key belongs to (etcd's `itemMap`).
        var owner: [[UInt8]: LeaseID] = [:]
        var isPrimary = false
        /// When each lease is next due for `expiredLeases`: its deadline, or, once handed out,
        /// the retry time.
        var expiryQueue = LeaseQueue()
        /// When each lease is next due for a checkpoint (checkpointing only).
        var checkpointQueue = LeaseQueue()
        /// Leases renewed while they had a checkpoint: `checkpoints()` clears it (etcd's
        /// `Renew` proposes `Remaining_TTL: 0` for them).
        var checkpointClears: Set<LeaseID> = []
        /// Revoke budget: a token bucket holding at most `revokeRate / 2` tokens, refilled at
        /// `revokeRate` per second.
        var revokeTokens: Double
        var revokeTokensUpdated: ContinuousClock.Instant
        /// Keep-alives waiting for the revoke of an expired lease (`keepAlive`), by lease.
        var revokeWaiters: [LeaseID: [RevokeWaiter]] = [:]
        /// Waiters between taking a token and registering, with whether they were cancelled
        /// meanwhile (so a cancellation that comes too late to find them leaves nothing behind).
        var unregisteredWaiters: [UInt64: Bool] = [:]
        var nextWaiterToken: UInt64 = 0
    }

    /// A suspended `keepAlive`: resumed with the error to report, or nil to renew again (the
    /// lease's deadline was restarted by a promotion or a restore).
    struct RevokeWaiter {
        var token: UInt64
        var continuation: CheckedContinuation<LessorError?, Never>
    }

    /// Limits and timings.
    public let configuration: LessorConfiguration
    let clock: any LeaseClock
    let state: Mutex<State>

    /// An empty, non-primary lessor.
    public init(configuration: LessorConfiguration = LessorConfiguration(), clock: any LeaseClock = SystemLeaseClock())
    {
        self.configuration = configuration
        self.clock = clock
        self.state = Mutex(
            State(revokeTokens: Double(configuration.revokeRate / 2), revokeTokensUpdated: clock.now()))
    }

    /// Whether this lessor is primary (its member leads): it then renews and expires leases.
    public var isPrimary: Bool { state.withLock { $0.isPrimary } }
}
