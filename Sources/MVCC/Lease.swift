/// A lease as the store keeps it: its ID and granted TTL. Expiry is the lessor's business (it holds
/// the clock); the store only remembers leases and which keys are attached, across restarts.
public struct Lease: Hashable, Sendable {
    /// The lease ID (never 0).
    public var id: Int64
    /// The granted time-to-live in seconds.
    public var ttl: Int64

    /// Creates a lease record.
    public init(id: Int64, ttl: Int64) {
        self.id = id
        self.ttl = ttl
    }
}

/// Grants a lease (etcd's `LeaseGrantRequest` after the server chose the ID and applied the TTL
/// floor).
public struct LeaseGrantRequest: Hashable, Sendable {
    /// The lease ID (not 0).
    public var id: Int64
    /// TTL in seconds (at most 9,000,000,000, etcd's `MaxLeaseTTL`).
    public var ttl: Int64

    /// Creates a grant.
    public init(id: Int64, ttl: Int64) {
        self.id = id
        self.ttl = ttl
    }
}

/// Revokes a lease, deleting every attached key at one new revision (etcd's `LeaseRevokeRequest`).
public struct LeaseRevokeRequest: Hashable, Sendable {
    /// The lease ID.
    public var id: Int64

    /// Creates a revoke.
    public init(id: Int64) {
        self.id = id
    }
}
