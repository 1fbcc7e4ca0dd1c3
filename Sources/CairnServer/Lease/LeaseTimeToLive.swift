/// A lease's TimeToLive answer (etcd's `LeaseTimeToLiveResponse` without the header).
public struct LeaseTimeToLive: Hashable, Sendable {
    /// The lease.
    public var id: LeaseID
    /// The TTL it was granted (after the minimum-TTL floor), in seconds.
    public var grantedTTL: Int64
    /// Whole seconds until its deadline, truncated as etcd does (`int64(Remaining().Seconds())`);
    /// 0 once the deadline passed while the revoke is pending (spec 8.17).
    public var remainingTTL: Int64
    /// The attached keys, sorted, if they were asked for (empty otherwise).
    public var keys: [[UInt8]]

    /// Creates an answer.
    public init(id: LeaseID, grantedTTL: Int64, remainingTTL: Int64, keys: [[UInt8]] = []) {
        self.id = id
        self.grantedTTL = grantedTTL
        self.remainingTTL = remainingTTL
        self.keys = keys
    }
}
