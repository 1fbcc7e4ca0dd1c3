import MVCC

/// Why the member refused or could not complete a request; `etcdMessage` is etcd's text (API spec
/// section 4), which the gRPC layer sends as the status message.
public enum NodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No leader is known (etcd's `ErrNoLeader`).
    case noLeader
    /// The request did not complete in time (etcd's `ErrTimeout`); it may still apply later.
    case timedOut
    /// Too many proposals are waiting to apply (etcd's `ErrTooManyRequests`).
    case tooManyRequests
    /// The member is shutting down or stopped (etcd's `ErrStopped`).
    case stopped
    /// The store rejected the request.
    case mvcc(MVCCError)
    /// The Raft log or the store failed; the member stopped (fail-stop).
    case storageFailure(String)

    /// etcd's error message.
    public var etcdMessage: String {
        switch self {
        case .noLeader: return "etcdserver: no leader"
        case .timedOut: return "etcdserver: request timed out"
        case .tooManyRequests: return "etcdserver: too many requests"
        case .stopped: return "etcdserver: server stopped"
        case .mvcc(let error): return error.etcdMessage
        case .storageFailure(let what): return "etcdserver: storage failure: \(what)"
        }
    }

    /// The same as `etcdMessage`.
    public var description: String { etcdMessage }
}
