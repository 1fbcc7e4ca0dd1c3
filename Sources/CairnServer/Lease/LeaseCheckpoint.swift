/// A lease's remaining TTL to replicate so that a new leader does not restart it at its full TTL
/// (etcd's `LeaseCheckpoint`). A remaining TTL of 0 clears an earlier checkpoint (sent after a
/// renewal).
public struct LeaseCheckpoint: Hashable, Sendable {
    /// The lease.
    public var id: LeaseID
    /// Remaining seconds (rounded up, as etcd), or 0 for "full TTL".
    public var remainingTTL: Int64

    /// Creates a checkpoint.
    public init(id: LeaseID, remainingTTL: Int64) {
        self.id = id
        self.remainingTTL = remainingTTL
    }
}
