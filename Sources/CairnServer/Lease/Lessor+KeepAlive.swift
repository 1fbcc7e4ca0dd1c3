extension Lessor {
    /// `renew(_:)` that, like etcd's `Renew`, holds a keep-alive on an expired lease until its
    /// revoke is applied (then throws `.leaseNotFound`: the stream answers TTL 0) or this lessor is
    /// demoted (then throws `.notPrimary`: forward to the new leader). Any other outcome is
    /// `renew`'s, at once.
    ///
    /// The caller's task suspends on a continuation; no task or thread is created. Cancelling
    /// the task ends the wait with `.leaseExpired`. The wait is bounded: the leader re-proposes
    /// the revoke every `expiredLeaseRetryInterval` until it applies, or stops being leader.
    public func keepAlive(_ id: LeaseID) async throws(LessorError) -> Int64 {
        while true {
            do {
                return try renew(id)
            } catch .leaseExpired {
                if let error = await waitForRevoke(id) { throw error }
                // A promotion or restore restarted the deadline: renew again.
            }
        }
    }

    /// Suspends until `id` is revoked or this lessor is demoted (returns the error to report), or
    /// its deadline is restarted (returns nil).
    func waitForRevoke(_ id: LeaseID) async -> LessorError? {
        let token = state.withLock { state -> UInt64 in
            state.nextWaiterToken += 1
            state.unregisteredWaiters[state.nextWaiterToken] = false
            return state.nextWaiterToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<LessorError?, Never>) in
                // `.some(outcome)`: resume at once with it; nil: registered, resumed later.
                let immediate = state.withLock { state -> LessorError?? in
                    if state.unregisteredWaiters.removeValue(forKey: token) == true { return .some(.leaseExpired) }
                    // Re-check under the lock: the revoke, a demotion or a promotion may have
                    // happened since `renew` looked.
                    guard state.isPrimary else { return .some(.notPrimary) }
                    guard let record = state.leases[id] else { return .some(.leaseNotFound) }
                    if let expiry = record.expiry, expiry > clock.now() { return .some(nil) }
                    state.revokeWaiters[id, default: []].append(RevokeWaiter(token: token, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> RevokeWaiter? in
                if let index = state.revokeWaiters[id]?.firstIndex(where: { $0.token == token }) {
                    let waiter = state.revokeWaiters[id]!.remove(at: index)
                    if state.revokeWaiters[id]!.isEmpty { state.revokeWaiters[id] = nil }
                    return waiter
                }
                if state.unregisteredWaiters[token] != nil {
                    state.unregisteredWaiters[token] = true  // not registered yet: it will not be
                }
                return nil
            }
            waiter?.continuation.resume(returning: .leaseExpired)
        }
    }
}
