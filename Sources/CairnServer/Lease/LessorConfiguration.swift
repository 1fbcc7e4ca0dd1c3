/// The lessor's limits and timings, with etcd 3.4's defaults.
public struct LessorConfiguration: Hashable, Sendable {
    /// etcd's `MaxLeaseTTL`: grants above it fail with "etcdserver: too large lease TTL".
    public static let maximumTTL: Int64 = 9_000_000_000

    /// Shortest TTL granted, in seconds; shorter requests (0 and negative included) are raised to
    /// it. etcd derives it from the election timeout so that a lease survives a leader election:
    /// `ceil((3 * electionTicks / 2) * heartbeat)`, 2 s with the defaults (spec 8.16).
    public var minimumTTL: Int64
    /// Time added to every deadline when this member becomes primary (etcd: the election
    /// timeout), so that clients have time to find the new leader and renew.
    public var promotionExtension: Duration
    /// Most leases `expiredLeases(limit:)` hands out per second (etcd's `leaseRevokeRate`, 1000).
    /// At most half of it is available at once: etcd's loop scans every 500 ms for
    /// `leaseRevokeRate / 2` leases.
    public var revokeRate: Int
    /// How long an expired lease handed out by `expiredLeases(limit:)` waits before it is handed
    /// out again if its revoke has not been applied (a lost proposal). etcd's lessor defaults to
    /// 3 s; etcd's server passes its request timeout, 5 s + 2 x election timeout (7 s).
    public var expiredLeaseRetryInterval: Duration
    /// Lease checkpointing (etcd `--experimental-enable-lease-checkpoint`): nil (etcd 3.4's
    /// default) means off, and a new leader restarts every lease at its full TTL. When set,
    /// `checkpoints()` reports, at this interval, the remaining TTL of leases longer than it, to be
    /// replicated so that a new leader continues from there (etcd's interval: 5 minutes).
    public var checkpointInterval: Duration?
    /// Most checkpoints returned by one `checkpoints()` call (etcd's `maxLeaseCheckpointBatchSize`).
    public var maximumCheckpointBatch: Int

    /// The configuration for a Raft member with `electionTicks` ticks of `heartbeat` each.
    public init(
        electionTicks: Int = 10, heartbeat: Duration = .milliseconds(100), revokeRate: Int = 1000,
        expiredLeaseRetryInterval: Duration? = nil, checkpointInterval: Duration? = nil,
        maximumCheckpointBatch: Int = 1000
    ) {
        precondition(electionTicks > 0 && heartbeat > .zero && revokeRate > 0 && maximumCheckpointBatch > 0)
        // etcd's server.go: minTTL := time.Duration((3*cfg.ElectionTicks)/2) * heartbeat (integer
        // division on the ticks), then MinLeaseTTL = int64(math.Ceil(minTTL.Seconds())).
        let minimum = heartbeat * ((3 * electionTicks) / 2)
        let (seconds, attoseconds) = minimum.components
        self.minimumTTL = seconds + (attoseconds > 0 ? 1 : 0)
        let electionTimeout = heartbeat * electionTicks
        self.promotionExtension = electionTimeout
        self.revokeRate = revokeRate
        self.expiredLeaseRetryInterval = expiredLeaseRetryInterval ?? .seconds(5) + electionTimeout * 2
        self.checkpointInterval = checkpointInterval
        self.maximumCheckpointBatch = maximumCheckpointBatch
    }
}
