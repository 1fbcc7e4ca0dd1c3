/// Reads: TimeToLive, listing, lookups.
extension Lessor {
    /// A lease's granted and remaining TTL, and its keys if `keys` (etcd's `LeaseTimeToLive` at the
    /// leader).
    ///
    /// Throws `.notPrimary` on a follower, which has no deadlines (etcd forwards TimeToLive to the
    /// leader), and `.leaseNotFound` for an unknown lease, which the API layer answers with
    /// `TTL: -1`, `grantedTTL: 0` and no error (spec 8.17).
    ///
    /// The remaining TTL is truncated to whole seconds as etcd's `int64(Remaining().Seconds())`;
    /// past the deadline (revoke pending) it is 0, not negative: etcd would report -1 after a
    /// revoke stuck for over a second, which clients read as "lease gone" while its keys exist.
    public func timeToLive(_ id: LeaseID, keys: Bool = false) throws(LessorError) -> LeaseTimeToLive {
        let (ttl, expiry, attached, now) = try state.withLock {
            state throws(LessorError) -> (Int64, ContinuousClock.Instant?, Set<[UInt8]>, ContinuousClock.Instant) in
            guard state.isPrimary else { throw .notPrimary }
            guard let record = state.leases[id] else { throw .leaseNotFound }
            return (record.ttl, record.expiry, keys ? record.keys : [], clock.now())
        }
        let remaining = expiry.map { max(0, ($0 - now).components.seconds) } ?? ttl
        return LeaseTimeToLive(
            id: id, grantedTTL: ttl, remainingTTL: remaining,
            keys: attached.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// Every lease ID, sorted (etcd's `LeaseLeases`; etcd sorts by deadline on the leader and not
    /// at all on followers, and clients must not rely on either: a stable order is easier to
    /// test and to read). Served locally on any member.
    public func leases() -> [LeaseID] {
        state.withLock { Array($0.leases.keys) }.sorted()
    }

    /// Whether `id` exists (granted and not yet revoked, expired or not).
    public func contains(_ id: LeaseID) -> Bool {
        state.withLock { $0.leases[id] != nil }
    }

    /// The granted TTL of `id`, nil if it does not exist.
    public func grantedTTL(of id: LeaseID) -> Int64? {
        state.withLock { $0.leases[id]?.ttl }
    }

    /// The keys attached to `id`, sorted (empty for an unknown lease).
    public func keys(attachedTo id: LeaseID) -> [[UInt8]] {
        let keys = state.withLock { $0.leases[id]?.keys ?? [] }
        return keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The lease `key` is attached to, `.none` if none (etcd's `GetLease`).
    public func lease(attachedTo key: [UInt8]) -> LeaseID {
        state.withLock { $0.owner[key] ?? .none }
    }

    /// The deadline of `id` while primary (nil on a follower or for an unknown lease).
    public func deadline(of id: LeaseID) -> ContinuousClock.Instant? {
        state.withLock { $0.leases[id]?.expiry }
    }
}
