import MVCC

/// What one applied batch changed, handed to the events sink (the watch hub) after the batch
/// committed in the store, in apply order.
public struct AppliedBatch: Sendable {
    /// The Raft index the batch was applied at (its last entry).
    public var index: UInt64
    /// The store revision after the batch.
    public var revision: Int64
    /// Every change of the batch, in revision order.
    public var events: [Event]
}
