/// Errors of the Raft core and its storage.
public enum RaftError: Error, Equatable, Sendable {
    /// The requested index is older than the storage's first index (compacted away).
    case compacted
    /// The requested index is beyond the storage's last index.
    case unavailable
    /// The storage cannot produce a snapshot right now; the leader retries later.
    case snapshotTemporarilyUnavailable
    /// The snapshot is older than the one the storage already holds.
    case snapshotOutOfDate
    /// The proposal was not accepted: no leader, forwarding disabled, a transfer in progress,
    /// the uncommitted-bytes cap reached, or this member is no longer in the configuration.
    case proposalDropped
    /// A local message type was passed to `step`.
    case stepLocalMessage
    /// A response came from a member not in the configuration.
    case stepPeerNotFound
    /// The configuration is invalid; the string says why.
    case invalidConfig(String)
    /// A configuration change cannot be applied to the current configuration; the string says why.
    case invalidConfChange(String)
}
