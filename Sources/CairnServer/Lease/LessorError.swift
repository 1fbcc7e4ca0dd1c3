import MVCC

/// Why the lessor refused a request; `etcdMessage` is etcd's exact error text where one exists.
public enum LessorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The lease does not exist (or was revoked). gRPC NotFound. Also etcd's answer to a grant
    /// with ID 0 reaching the applier (`lessor.Grant` returns `ErrLeaseNotFound` for `NoLease`).
    case leaseNotFound
    /// A grant named an existing ID. gRPC FailedPrecondition.
    case leaseExists
    /// A grant asked for more than 9,000,000,000 s. gRPC OutOfRange.
    case leaseTTLTooLarge
    /// Keep-alive or TimeToLive on a member whose lessor is not primary (not the leader): the
    /// runtime forwards the request to the leader (etcd's `lease.ErrNotPrimary`, never sent to a
    /// client as is).
    case notPrimary
    /// Keep-alive of a lease whose deadline has passed but whose revoke is not applied yet. etcd
    /// blocks the keep-alive until the revoke applies (then the answer is "not found", TTL 0) or
    /// the lessor is demoted (then it is forwarded); the runtime does the waiting, see
    /// `Lessor.renew(_:)`.
    case leaseExpired

    /// etcd's error message, byte for byte (API spec 4.1); internal conditions get etcd's
    /// internal text.
    public var etcdMessage: String {
        switch self {
        case .leaseNotFound: return "etcdserver: requested lease not found"
        case .leaseExists: return "etcdserver: lease already exists"
        case .leaseTTLTooLarge: return "etcdserver: too large lease TTL"
        case .notPrimary: return "not a primary lessor"
        case .leaseExpired: return "lease expired, revoke pending"
        }
    }

    /// The same as `etcdMessage`.
    public var description: String { etcdMessage }

    /// The lessor error for one of the store's lease errors (nil for other errors), so that the
    /// applier reports a grant or revoke the same way whichever of the two rejected it.
    public init?(_ error: MVCCError) {
        switch error {
        case .leaseNotFound: self = .leaseNotFound
        case .leaseExists: self = .leaseExists
        case .leaseTTLTooLarge: self = .leaseTTLTooLarge
        default: return nil
        }
    }
}
