import MVCC

/// The replicated side: everything here runs on the applier, in log order, identically on every
/// member, so every member's lessor holds the same leases and attachments.
extension Lessor {
    // MARK: Building store operations (before the store applies them)

    /// The store operation for a grant: etcd's `lessor.Grant` checks that need no state (ID 0 is
    /// "requested lease not found", as in etcd's lessor; a TTL above 9,000,000,000 s is too
    /// large) and the TTL raised to the minimum. Changes nothing: the lease exists once the store
    /// applied the operation and `apply(_:result:)` saw it.
    ///
    /// Whether the ID exists is left to the store on purpose: it sees the earlier operations of
    /// the same batch, the lessor does not until `apply(_:result:)`, and batch boundaries differ
    /// between members, so a check here could reject on one member what another accepts (a
    /// revoke and a re-grant of one ID in one batch).
    ///
    /// `id` must already be chosen: a client's ID as is, or, for a request with ID 0, one from
    /// the receiving member's `LeaseIDGenerator` before proposing (etcd's `LeaseGrant`).
    public func grantOperation(id: LeaseID, ttl: Int64) throws(LessorError) -> WriteOperation {
        .leaseGrant(LeaseGrantRequest(id: id.rawValue, ttl: try checkGrant(id: id, ttl: ttl)))
    }

    /// The store operation that revokes `id`: MVCC's `leaseRevoke`, which deletes the attached
    /// keys at one revision (in key order, none if there are no keys) and removes the lease, in one
    /// store write, or fails with "requested lease not found". As for grants, the store decides
    /// whether the lease exists.
    public static func revokeOperation(_ id: LeaseID) -> WriteOperation {
        .leaseRevoke(LeaseRevokeRequest(id: id.rawValue))
    }

    /// What revoking `id` would delete now (the keys, e.g. for an auth check that needs WRITE on
    /// every one, or to answer before proposing), and the operation. Changes nothing. Reflects
    /// the batches applied so far: the applier builds its operation with `revokeOperation(_:)`.
    public func revocation(of id: LeaseID) throws(LessorError) -> LeaseRevocation {
        let keys = try state.withLock { state throws(LessorError) -> Set<[UInt8]> in
            guard let record = state.leases[id] else { throw .leaseNotFound }
            return record.keys
        }
        return LeaseRevocation(id: id, keys: keys.sorted { $0.lexicographicallyPrecedes($1) })
    }

    // MARK: Applying (after the store applied them)

    /// Updates the lessor after the store applied `operation` with `result`: a successful grant
    /// adds the lease, a successful revoke removes it, and the events of any successful
    /// operation move key attachments. Failed operations changed nothing in the store and
    /// change nothing here. Call it for every operation of every batch, in order.
    public func apply(_ operation: WriteOperation, result: OperationResult) {
        guard case .success = result.response else { return }
        switch operation {
        case .leaseGrant(let request):
            // The store accepted it, so the lessor (which mirrors the store's lease table) does:
            // ignore the error a direct `grant` of the same lease would give.
            _ = try? self.grant(id: LeaseID(request.id), ttl: request.ttl)
        case .leaseRevoke(let revoke):
            apply(events: result.events)
            _ = try? self.revoke(LeaseID(revoke.id))
        case .put, .deleteRange, .txn, .compact:
            apply(events: result.events)
        }
    }

    /// Adds a lease (etcd's `lessor.Grant`): on the primary its deadline starts now, elsewhere it
    /// has none. Returns the granted TTL (at least `minimumTTL`).
    @discardableResult
    public func grant(id: LeaseID, ttl: Int64) throws(LessorError) -> Int64 {
        let granted = try checkGrant(id: id, ttl: ttl)
        try state.withLock { state throws(LessorError) in
            guard state.leases[id] == nil else { throw .leaseExists }
            var record = Record(ttl: granted)
            if state.isPrimary {
                let now = clock.now()
                let expiry = now + .seconds(granted)
                record.expiry = expiry
                state.expiryQueue.schedule(id, at: expiry)
                state.leases[id] = record
                scheduleCheckpoint(id, &state, now: now)
            } else {
                state.leases[id] = record
            }
        }
        return granted
    }

    /// Removes a lease and its attachments (etcd's `lessor.Revoke`); returns the keys that were
    /// attached, sorted. The store deletes the keys themselves (`LeaseRevocation.operation`).
    @discardableResult
    public func revoke(_ id: LeaseID) throws(LessorError) -> [[UInt8]] {
        let (keys, waiters) = try state.withLock { state throws(LessorError) -> (Set<[UInt8]>, [RevokeWaiter]) in
            guard let record = state.leases.removeValue(forKey: id) else { throw .leaseNotFound }
            for key in record.keys { state.owner[key] = nil }
            state.expiryQueue.remove(id)
            state.checkpointQueue.remove(id)
            state.checkpointClears.remove(id)
            return (record.keys, state.revokeWaiters.removeValue(forKey: id) ?? [])
        }
        // etcd closes the lease's `revokec`: keep-alives held on the expired lease answer "not
        // found" (TTL 0 on the stream).
        for waiter in waiters { waiter.continuation.resume(returning: .leaseNotFound) }
        return keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Moves key attachments as the store's events say (etcd attaches in `storeTxnWrite.put` and
    /// detaches in `put`/`delete`): a put with lease L attaches its key to L (detaching it from
    /// its previous lease, if other); a put with lease 0 or a delete detaches it. Events must come
    /// in store order. A put naming a lease the lessor does not know (impossible when the store
    /// checked it) only detaches.
    public func apply(events: [Event]) {
        guard !events.isEmpty else { return }
        state.withLock { state in
            for event in events {
                let key = event.kv.key
                let new = event.kind == .put ? LeaseID(event.kv.lease) : .none
                let old = state.owner[key] ?? .none
                guard old != new else { continue }
                if old != .none {
                    state.leases[old]?.keys.remove(key)
                    state.owner[key] = nil
                }
                if new != .none, state.leases[new] != nil {
                    state.leases[new]!.keys.insert(key)
                    state.owner[key] = new
                }
            }
        }
    }

    /// Records a replicated checkpoint (etcd's `lessor.Checkpoint`): the remaining TTL the next
    /// promotion starts `id` from (0 clears it: full TTL). Unknown leases are ignored, as in etcd.
    public func applyCheckpoint(_ checkpoint: LeaseCheckpoint) {
        state.withLock { state in
            guard state.leases[checkpoint.id] != nil else { return }
            state.leases[checkpoint.id]!.checkpointedTTL = checkpoint.remainingTTL
            if state.isPrimary {
                scheduleCheckpoint(checkpoint.id, &state, now: clock.now())
            }
        }
    }

    /// etcd's stateless checks, in etcd's order: `NoLease`, too large; then the floor.
    private func checkGrant(id: LeaseID, ttl: Int64) throws(LessorError) -> Int64 {
        if id == .none { throw .leaseNotFound }
        if ttl > LessorConfiguration.maximumTTL { throw .leaseTTLTooLarge }
        return max(ttl, configuration.minimumTTL)
    }
}
