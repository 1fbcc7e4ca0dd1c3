import MVCC

/// What revoking a lease does, computed before it is proposed or applied: the keys it deletes
/// and the store operation that deletes them together with the lease.
public struct LeaseRevocation: Hashable, Sendable {
    /// The lease.
    public var id: LeaseID
    /// The attached keys in byte order: the order etcd deletes them in (all members must write
    /// the same sub-revisions) and the keys an auth check needs WRITE permission on.
    public var keys: [[UInt8]]

    /// The one store operation that deletes `keys` at a single new revision (in key order, no
    /// revision at all when there are none) and removes the lease record, atomically: MVCC's
    /// `leaseRevoke`, which reads the attachments from the store itself, so it deletes exactly
    /// what the store has attached even if this snapshot is stale.
    public var operation: WriteOperation { Lessor.revokeOperation(id) }
}
