import MVCC

extension Lessor {
    /// A non-primary lessor holding the leases and attachments recorded in `store` (etcd's
    /// `initAndRecover` plus the key re-attachment its mvcc store does on restore). Call it at
    /// start, and again after installing a Raft snapshot, before applying any entry after the
    /// store's applied index.
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
        var leases: [LeaseID: Record] = [:]
        var owner: [[UInt8]: LeaseID] = [:]
        for lease in try store.leases() {
            let id = LeaseID(lease.id)
            let keys = try store.keys(attachedTo: lease.id)
            for key in keys { owner[key] = id }
            leases[id] = Record(ttl: max(lease.ttl, configuration.minimumTTL), keys: Set(keys))
        }
        state.withLock { state in
            state.leases = leases
            state.owner = owner
        }
    }
}
