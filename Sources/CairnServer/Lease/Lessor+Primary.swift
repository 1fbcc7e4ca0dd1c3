/// The leader-only side: deadlines, renewals, expiry and checkpoints. None of this is replicated;
/// its effects reach other members only as proposals (revokes, checkpoints).
extension Lessor {
    /// Renews `id` (a keep-alive): its deadline becomes now + its granted TTL; returns that TTL
    /// (etcd's `lessor.Renew`).
    ///
    /// Throws `.notPrimary` on a follower (the runtime forwards the keep-alive to the leader, as
    /// etcd does over its peer HTTP API), `.leaseNotFound` for an unknown lease (the keep-alive
    /// stream then answers `{ID}` with TTL 0 rather than failing, spec 3.9), and `.leaseExpired`
    /// when the deadline has passed but the revoke has not been applied yet: etcd makes that
    /// keep-alive wait until the revoke applies (answer: not found, TTL 0) or the lessor is
    /// demoted (answer: forward); `keepAlive(_:)` does that waiting, `renew` never blocks.
    public func renew(_ id: LeaseID) throws(LessorError) -> Int64 {
        try state.withLock { state throws(LessorError) -> Int64 in
            guard state.isPrimary else { throw .notPrimary }
            guard var record = state.leases[id] else { throw .leaseNotFound }
            let now = clock.now()
            if let expiry = record.expiry, expiry <= now { throw .leaseExpired }
            if configuration.checkpointInterval != nil && record.checkpointedTTL > 0 {
                // etcd proposes a checkpoint with Remaining_TTL 0 so that a new leader starts
                // this lease from its full TTL again; `checkpoints()` returns it.
                state.checkpointClears.insert(id)
            }
            // Always the full TTL, which is what the reply promises the client: etcd 3.4.23's
            // `l.refresh(0)` uses `RemainingTTL()`, i.e. a checkpoint not yet cleared.
            let expiry = now + .seconds(record.ttl)
            record.expiry = expiry
            state.leases[id] = record
            state.expiryQueue.schedule(id, at: expiry)
            return record.ttl
        }
    }

    /// The leases whose deadline has passed, soonest first, for the leader to revoke through
    /// Raft (etcd's `revokeExpiredLeases`/`findExpiredLeases`). Empty unless primary.
    ///
    /// A lease handed out here is not handed out again until `expiredLeaseRetryInterval` has
    /// passed (it is revoked long before, unless the proposal was lost), nor after its revoke is
    /// applied, nor after a renewal succeeded meanwhile. At most `revokeRate` leases per second
    /// are handed out, at most half of that at once (etcd: 500 per 500 ms scan), so that a mass
    /// expiry does not flood the log; `limit` caps one call further. Cost: O(k log n) for k
    /// leases returned; leases not yet due are never looked at.
    public func expiredLeases(limit: Int = .max) -> [LeaseID] {
        state.withLock { state -> [LeaseID] in
            guard state.isPrimary else { return [] }
            let now = clock.now()
            refillRevokeTokens(&state, now: now)
            let budget = min(limit, Int(state.revokeTokens))
            var expired: [LeaseID] = []
            while expired.count < budget, let head = state.expiryQueue.first, head.deadline <= now {
                guard state.leases[head.id] != nil else {
                    state.expiryQueue.remove(head.id)  // cannot happen: revoke unqueues
                    continue
                }
                state.expiryQueue.schedule(head.id, at: now + configuration.expiredLeaseRetryInterval)
                expired.append(head.id)
            }
            state.revokeTokens -= Double(expired.count)
            return expired
        }
    }

    /// Makes this lessor primary (its member became leader and applied its term's entries):
    /// every lease's deadline restarts at now + its TTL (or its checkpointed remaining TTL) +
    /// `extend` (etcd's `Promote`; the server passes the election timeout, the default here).
    ///
    /// With at least `revokeRate` leases, deadlines that would pile up are spread out as etcd 3.4
    /// does, so that at most 3/4 of the revoke rate falls due in any one-second window: after a
    /// restart of the whole cluster all leases restart at the same instant and would otherwise
    /// expire together, saturating the revoke budget and starving renewals of other leases.
    public func promote(extend: Duration? = nil) {
        let extend = extend ?? configuration.promotionExtension
        let waiters = state.withLock { state -> [RevokeWaiter] in
            let now = clock.now()
            state.isPrimary = true
            state.expiryQueue.removeAll()
            state.checkpointQueue.removeAll()
            state.checkpointClears.removeAll()
            state.revokeTokens = Double(configuration.revokeRate / 2)
            state.revokeTokensUpdated = now
            for id in state.leases.keys {
                let expiry = now + extend + .seconds(state.leases[id]!.restartTTL)
                state.leases[id]!.expiry = expiry
                state.expiryQueue.schedule(id, at: expiry)
                scheduleCheckpoint(id, &state, now: now)
            }
            if state.leases.count >= configuration.revokeRate {
                spreadExpiries(&state, now: now, extend: extend)
            }
            defer { state.revokeWaiters.removeAll() }
            return state.revokeWaiters.keys.sorted().flatMap { state.revokeWaiters[$0]! }
        }
        // Keep-alives held on expired leases (a promotion without a demotion before it): their
        // leases have live deadlines again, so they renew.
        for waiter in waiters { waiter.continuation.resume(returning: nil) }
    }

    /// Makes this lessor a follower's: no deadlines, so no lease expires here (etcd's `Demote`
    /// sets every expiry to forever). Pending checkpoints are dropped (the new leader makes its
    /// own).
    public func demote() {
        let waiters = state.withLock { state -> [RevokeWaiter] in
            state.isPrimary = false
            for id in state.leases.keys { state.leases[id]!.expiry = nil }
            state.expiryQueue.removeAll()
            state.checkpointQueue.removeAll()
            state.checkpointClears.removeAll()
            defer { state.revokeWaiters.removeAll() }
            return state.revokeWaiters.keys.sorted().flatMap { state.revokeWaiters[$0]! }
        }
        // etcd closes `demotec`: held keep-alives go to the new leader.
        for waiter in waiters { waiter.continuation.resume(returning: .notPrimary) }
    }

    /// The checkpoints to propose now (checkpointing only, primary only; etcd's
    /// `checkpointScheduledLeases`): first the clears of renewed leases, then the remaining TTL,
    /// rounded up, of every lease longer than `checkpointInterval` whose last checkpoint is an
    /// interval old and which has run down from its full TTL. At most `maximumCheckpointBatch`.
    /// The next one is scheduled when a checkpoint is applied (`applyCheckpoint`), as in etcd.
    public func checkpoints() -> [LeaseCheckpoint] {
        guard configuration.checkpointInterval != nil else { return [] }
        return state.withLock { state -> [LeaseCheckpoint] in
            guard state.isPrimary else { return [] }
            let now = clock.now()
            let limit = configuration.maximumCheckpointBatch
            var result: [LeaseCheckpoint] = []
            for id in state.checkpointClears.sorted() where result.count < limit {
                state.checkpointClears.remove(id)
                if state.leases[id] != nil { result.append(LeaseCheckpoint(id: id, remainingTTL: 0)) }
            }
            while result.count < limit, let head = state.checkpointQueue.first, head.deadline <= now {
                state.checkpointQueue.remove(head.id)
                guard let record = state.leases[head.id], let expiry = record.expiry, now < expiry else { continue }
                let remaining = Self.secondsRoundedUp(expiry - now)
                if remaining >= record.ttl { continue }
                result.append(LeaseCheckpoint(id: head.id, remainingTTL: remaining))
            }
            return result
        }
    }

    // MARK: Internals (called with the lock held)

    /// etcd's `scheduleCheckpointIfNeeded`: only leases longer than the interval are worth it.
    func scheduleCheckpoint(_ id: LeaseID, _ state: inout State, now: ContinuousClock.Instant) {
        guard let interval = configuration.checkpointInterval, let record = state.leases[id] else { return }
        if Duration.seconds(record.restartTTL) > interval {
            state.checkpointQueue.schedule(id, at: now + interval)
        }
    }

    private func refillRevokeTokens(_ state: inout State, now: ContinuousClock.Instant) {
        let elapsed = now - state.revokeTokensUpdated
        let (seconds, attoseconds) = elapsed.components
        let refill = (Double(seconds) + Double(attoseconds) / 1e18) * Double(configuration.revokeRate)
        state.revokeTokens = min(Double(configuration.revokeRate / 2), state.revokeTokens + refill)
        state.revokeTokensUpdated = now
    }

    /// etcd 3.4's `Promote` pile-up adjustment, transcribed: walk leases by deadline in
    /// one-second windows; past `targetPerSecond` leases in a window, push each further lease
    /// back in proportion to the overflow.
    private func spreadExpiries(_ state: inout State, now: ContinuousClock.Instant, extend: Duration) {
        let ordered = state.leases.map { (id: $0.key, expiry: $0.value.expiry!) }
            .sorted { $0.expiry < $1.expiry || ($0.expiry == $1.expiry && $0.id < $1.id) }
        let targetPerSecond = (3 * configuration.revokeRate) / 4
        var baseWindow = ordered[0].expiry - now
        var nextWindow = baseWindow + .seconds(1)
        var expires = 0
        for lease in ordered {
            let remaining = lease.expiry - now
            if remaining > nextWindow {
                baseWindow = remaining
                nextWindow = baseWindow + .seconds(1)
                expires = 1
                continue
            }
            expires += 1
            if expires <= targetPerSecond { continue }
            let delay = Duration.seconds(1) * (Double(expires) / Double(targetPerSecond)) - (remaining - baseWindow)
            nextWindow = baseWindow + delay
            let expiry = now + delay + extend + .seconds(state.leases[lease.id]!.restartTTL)
            state.leases[lease.id]!.expiry = expiry
            state.expiryQueue.schedule(lease.id, at: expiry)
        }
    }

    /// Whole seconds, rounded up (etcd's `math.Ceil(d.Seconds())` for checkpoints).
    static func secondsRoundedUp(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds + (attoseconds > 0 ? 1 : 0)
    }
}
