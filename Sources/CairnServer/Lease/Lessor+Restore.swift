import MVCC

extension Lessor {
    /// A non-primary lessor holding the leases and attachments recorded in `store` (etcd's
    /// `initAndRecover` plus the key re-attachment its mvcc store does on restore). Create it at
    /// start, before applying any entry after the store's applied index.
    ///
    /// TTLs below the configured minimum are raised to it, as etcd does on recovery (the minimum
    /// may have grown with the election timeout). Checkpointed remaining TTLs are not stored by
    /// MVCC, so after a restart every lease starts again from its full TTL at the next promotion
    /// (etcd 3.4 without `--experimental-enable-lease-checkpoint-persist` does the same).
    public convenience init(
        restoringFrom store: MVCCStore, configuration: LessorConfiguration = LessorConfiguration(),
        clock: any LeaseClock = SystemLeaseClock()
    ) throws(MVCCError) {
        self.init(configuration: configuration, clock: clock)
        try restore(from: store)
    }

    /// Replaces every lease and attachment with those recorded in `store` (etcd's `Recover`),
    /// after the store was replaced by a Raft snapshot. On the primary, every deadline restarts
    /// as at a promotion (etcd leaves them at "forever" until the next promotion, so a leader
    /// that installs a snapshot would never expire a lease); held keep-alives of leases that are
    /// gone answer "not found".
    public func restore(from store: MVCCStore) throws(MVCCError) {
        var leases: [LeaseID: Record] = [:]
        var owner: [[UInt8]: LeaseID] = [:]
        for lease in try store.leases() {
            let id = LeaseID(lease.id)
            let keys = try store.keys(attachedTo: lease.id)
            for key in keys { owner[key] = id }
            leases[id] = Record(ttl: max(lease.ttl, configuration.minimumTTL), keys: Set(keys))
        }
        let released = state.withLock { state -> [(RevokeWaiter, LessorError?)] in
            state.leases = leases
            state.owner = owner
            state.expiryQueue.removeAll()
            state.checkpointQueue.removeAll()
            state.checkpointClears.removeAll()
            if state.isPrimary {
                let now = clock.now()
                for id in leases.keys {
                    let expiry = now + configuration.promotionExtension + .seconds(leases[id]!.ttl)
                    state.leases[id]!.expiry = expiry
                    state.expiryQueue.schedule(id, at: expiry)
                    scheduleCheckpoint(id, &state, now: now)
                }
            }
            // Waiters exist only on a primary, whose deadlines just restarted: leases still there
            // renew again (nil), the others are gone.
            var released: [(RevokeWaiter, LessorError?)] = []
            for id in state.revokeWaiters.keys.sorted() {
                let outcome: LessorError? = leases[id] == nil ? .leaseNotFound : nil
                released += state.revokeWaiters[id]!.map { ($0, outcome) }
            }
            state.revokeWaiters.removeAll()
            return released
        }
        for (waiter, outcome) in released { waiter.continuation.resume(returning: outcome) }
    }
}
