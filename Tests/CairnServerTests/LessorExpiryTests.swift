import Testing

@testable import CairnServer

/// Deadlines at the primary: renewals, expiry hand-out, promotion and demotion (spec 3.9, 8.18;
/// etcd's `Renew`, `findExpiredLeases`, `Promote`, `Demote`).
@Suite struct LessorExpiryTests {
    @Test func renewAtThePrimaryRestartsTheDeadline() throws {
        let (lessor, clock) = makeLessor()
        try lessor.grant(id: 1, ttl: 10)
        clock.advance(by: .seconds(8))
        #expect(try lessor.timeToLive(1).remainingTTL == 2)
        #expect(try lessor.renew(1) == 10)
        #expect(try lessor.timeToLive(1).remainingTTL == 10)
        clock.advance(by: .seconds(9))
        #expect(lessor.expiredLeases().isEmpty)  // would have expired at 10 s without the renewal
        clock.advance(by: .seconds(1))
        #expect(lessor.expiredLeases() == [1])
    }

    @Test func renewElsewhereIsRefusedOrReportsTheLease() throws {
        let (follower, _) = makeLessor(primary: false)
        try follower.grant(id: 1, ttl: 10)
        #expect(throws: LessorError.notPrimary) { try follower.renew(1) }
        #expect(throws: LessorError.notPrimary) { try follower.renew(2) }  // the leader decides

        let (leader, clock) = makeLessor()
        #expect(throws: LessorError.leaseNotFound) { try leader.renew(2) }
        try leader.grant(id: 1, ttl: 3)
        clock.advance(by: .seconds(3))
        // Deadline passed, revoke not applied: etcd holds the keep-alive until it is.
        #expect(throws: LessorError.leaseExpired) { try leader.renew(1) }
        #expect(try leader.timeToLive(1).remainingTTL == 0)
        try leader.revoke(1)
        #expect(throws: LessorError.leaseNotFound) { try leader.renew(1) }
    }

    @Test func expiresAtTheDeadlineNotBeforeAndOnlyOnce() throws {
        let (lessor, clock) = makeLessor()
        try lessor.grant(id: 1, ttl: 5)
        clock.advance(by: .seconds(5) - .nanoseconds(1))
        #expect(lessor.expiredLeases().isEmpty)
        #expect(try lessor.timeToLive(1).remainingTTL == 0)  // 1 ns left, truncated
        clock.advance(by: .nanoseconds(1))
        #expect(lessor.expiredLeases() == [1])
        // Handed out once: the revoke is in flight.
        clock.advance(by: .seconds(1))
        #expect(lessor.expiredLeases().isEmpty)
        // The revoke applies: gone for good.
        try lessor.revoke(1)
        clock.advance(by: .seconds(60))
        #expect(lessor.expiredLeases().isEmpty)
    }

    @Test func aLostRevokeIsRetriedAfterTheRetryInterval() throws {
        let (lessor, clock) = makeLessor(LessorConfiguration(expiredLeaseRetryInterval: .seconds(3)))
        try lessor.grant(id: 1, ttl: 5)
        clock.advance(by: .seconds(5))
        #expect(lessor.expiredLeases() == [1])
        clock.advance(by: .seconds(3) - .nanoseconds(1))
        #expect(lessor.expiredLeases().isEmpty)
        clock.advance(by: .nanoseconds(1))
        #expect(lessor.expiredLeases() == [1])
        clock.advance(by: .seconds(1))
        #expect(lessor.expiredLeases().isEmpty)
    }

    @Test func expiredLeasesComeSoonestFirstWithinTheRevokeRate() throws {
        let (lessor, clock) = makeLessor(LessorConfiguration(revokeRate: 10))
        for id in 1...12 { try lessor.grant(id: LeaseID(Int64(id)), ttl: Int64(id < 6 ? 3 : 2)) }
        clock.advance(by: .seconds(3))
        // 5 at once (rate / 2), deadline order (ties by ID): the 2 s leases 6...12 first.
        #expect(lessor.expiredLeases() == [6, 7, 8, 9, 10])
        #expect(lessor.expiredLeases().isEmpty)  // budget spent
        #expect(lessor.expiredLeases(limit: 1).isEmpty)
        clock.advance(by: .milliseconds(200))  // 2 tokens
        #expect(lessor.expiredLeases() == [11, 12])
        clock.advance(by: .seconds(10))  // refills to at most 5
        #expect(lessor.expiredLeases(limit: 2) == [1, 2])
        #expect(lessor.expiredLeases() == [3, 4, 5])
    }

    @Test func promotionRestartsDeadlinesWithTheExtension() throws {
        let (lessor, clock) = makeLessor(primary: false)
        try lessor.grant(id: 1, ttl: 10)
        try lessor.grant(id: 2, ttl: 4)
        clock.advance(by: .seconds(100))
        lessor.promote()  // etcd: + election timeout (1 s by default)
        #expect(try lessor.timeToLive(1).remainingTTL == 11)
        #expect(try lessor.timeToLive(2).remainingTTL == 5)
        clock.advance(by: .seconds(5) - .nanoseconds(1))
        #expect(lessor.expiredLeases().isEmpty)
        clock.advance(by: .nanoseconds(1))
        #expect(lessor.expiredLeases() == [2])
        lessor.promote(extend: .seconds(2))  // again: a later term
        #expect(try lessor.timeToLive(1).remainingTTL == 12)
    }

    @Test func demotionStopsExpiry() throws {
        let (lessor, clock) = makeLessor()
        try lessor.grant(id: 1, ttl: 3)
        clock.advance(by: .seconds(3))
        lessor.demote()
        #expect(!lessor.isPrimary)
        #expect(lessor.expiredLeases().isEmpty)
        clock.advance(by: .seconds(1000))
        #expect(lessor.expiredLeases().isEmpty)
        #expect(lessor.deadline(of: 1) == nil)
        #expect(throws: LessorError.notPrimary) { try lessor.renew(1) }
        lessor.promote(extend: .zero)
        clock.advance(by: .seconds(3))
        #expect(lessor.expiredLeases() == [1])
    }

    @Test func promotionSpreadsOutAPileUpOfDeadlines() throws {
        // 2,000 leases that would all fall due together (etcd: only with >= leaseRevokeRate).
        let rate = 1000
        let (lessor, clock) = makeLessor(LessorConfiguration(revokeRate: rate), primary: false)
        for id in 1...2000 { try lessor.grant(id: LeaseID(Int64(id)), ttl: 10) }
        let start = clock.now()
        lessor.promote(extend: .seconds(1))
        var perSecond: [Int64: Int] = [:]
        for id in lessor.leases() {
            let offset = lessor.deadline(of: id)! - start
            #expect(offset >= .seconds(11))
            perSecond[offset.components.seconds, default: 0] += 1
        }
        // At most 3/4 of the rate per one-second window; everything within a few seconds.
        #expect(perSecond.values.allSatisfy { $0 <= 3 * rate / 4 + 1 })
        #expect(perSecond.keys.max()! <= 14)
        // Fewer leases than the rate: no spreading, all at now + TTL + extend.
        let (small, smallClock) = makeLessor(LessorConfiguration(revokeRate: rate), primary: false)
        for id in 1...10 { try small.grant(id: LeaseID(Int64(id)), ttl: 10) }
        small.promote(extend: .seconds(1))
        #expect(Set(small.leases().map { small.deadline(of: $0)! }) == [smallClock.now() + .seconds(11)])
    }

    @Test func aMassExpiryDrainsAtTheRevokeRateEachLeaseOnce() throws {
        // 20,000 leases restarted together by a promotion, then revoked as the leader's loop
        // would (every 500 ms), each revoke applied at once.
        let (lessor, clock) = makeLessor(primary: false)
        for id in 1...20_000 { try lessor.grant(id: LeaseID(Int64(id)), ttl: 5) }
        lessor.promote()
        var revoked: Set<LeaseID> = []
        var scans = 0
        while revoked.count < 20_000 && scans < 200 {
            clock.advance(by: .milliseconds(500))
            scans += 1
            let expired = lessor.expiredLeases()
            #expect(expired.count <= 500)
            for id in expired {
                #expect(revoked.insert(id).inserted)
                try lessor.revoke(id)
            }
        }
        #expect(revoked.count == 20_000)
        #expect(lessor.leases().isEmpty)
        #expect(lessor.state.withLock { $0.expiryQueue.isEmpty })
    }

    @Test func checkpointsCarryTheRemainingTTLToTheNextLeader() throws {
        let configuration = LessorConfiguration(checkpointInterval: .seconds(60))
        let (leader, clock) = makeLessor(configuration)
        try leader.grant(id: 1, ttl: 300)  // longer than the interval: checkpointed
        try leader.grant(id: 2, ttl: 30)  // shorter: never
        #expect(leader.checkpoints().isEmpty)
        clock.advance(by: .seconds(60) + .milliseconds(500))
        let due = leader.checkpoints()
        #expect(due == [LeaseCheckpoint(id: 1, remainingTTL: 240)])  // 239.5 s rounded up
        #expect(leader.checkpoints().isEmpty)  // next one only once this one is applied

        // Replicated to a follower, which becomes leader: it continues from 240 s, not 300 s.
        let (follower, followerClock) = makeLessor(configuration, primary: false)
        try follower.grant(id: 1, ttl: 300)
        for checkpoint in due { follower.applyCheckpoint(checkpoint) }
        follower.promote(extend: .zero)
        #expect(follower.deadline(of: 1) == followerClock.now() + .seconds(240))

        // A renewal restores the full TTL and clears the checkpoint through Raft.
        leader.applyCheckpoint(due[0])
        #expect(try leader.renew(1) == 300)
        #expect(leader.checkpoints() == [LeaseCheckpoint(id: 1, remainingTTL: 0)])
        follower.applyCheckpoint(LeaseCheckpoint(id: 1, remainingTTL: 0))
        follower.promote(extend: .zero)
        #expect(follower.deadline(of: 1) == followerClock.now() + .seconds(300))

        // Off (etcd 3.4's default): nothing is ever checkpointed, promotion gives the full TTL.
        let (plain, plainClock) = makeLessor()
        try plain.grant(id: 1, ttl: 300)
        plainClock.advance(by: .seconds(1000))
        #expect(plain.checkpoints().isEmpty)
    }

    @Test func concurrentRenewalsAndApplies() async throws {
        let (lessor, clock) = makeLessor()
        for id in 1...50 { try lessor.grant(id: LeaseID(Int64(id)), ttl: 10) }
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for round in 0..<500 {
                        let id = LeaseID(Int64((worker * 13 + round) % 50 + 1))
                        _ = try? lessor.renew(id)
                        lessor.apply(events: [lessorPutEvent("k\(worker)-\(round % 7)", lease: id.rawValue)])
                        _ = try? lessor.timeToLive(id, keys: true)
                    }
                }
            }
            group.addTask {
                for _ in 0..<200 {
                    clock.advance(by: .milliseconds(10))
                    _ = lessor.expiredLeases()
                }
            }
        }
        // Every key is attached exactly once.
        let attached = lessor.leases().flatMap { lessor.keys(attachedTo: $0) }
        #expect(attached.count == Set(attached).count)
        #expect(attached.count == 28)
    }
}

/// etcd's `Renew` holds a keep-alive on an expired lease until the revoke applies or the lessor is
/// demoted (spec 3.9: "a keep-alive blocks until the revoke is applied, then answers TTL 0").
@Suite struct LessorKeepAliveTests {
    /// `keepAlive`'s outcome as a value.
    func keepAlive(_ lessor: Lessor, _ id: LeaseID) async -> Result<Int64, LessorError> {
        do { return .success(try await lessor.keepAlive(id)) } catch { return .failure(error) }
    }

    /// Waits (by yielding, not sleeping) until `lessor` has `count` suspended keep-alives.
    func waitForWaiters(_ lessor: Lessor, count: Int) async {
        while lessor.state.withLock({ $0.revokeWaiters.values.map(\.count).reduce(0, +) }) < count {
            await Task.yield()
        }
    }

    @Test func keepAliveOnAnExpiredLeaseWaitsForTheRevoke() async throws {
        let (lessor, clock) = makeLessor()
        try lessor.grant(id: 1, ttl: 3)
        #expect(try await lessor.keepAlive(1) == 3)
        clock.advance(by: .seconds(3))
        async let first = keepAlive(lessor, 1)
        async let second = keepAlive(lessor, 1)
        await waitForWaiters(lessor, count: 2)
        try lessor.revoke(1)
        #expect(await first == .failure(.leaseNotFound))
        #expect(await second == .failure(.leaseNotFound))
    }

    @Test func demotionReleasesHeldKeepAlivesForForwarding() async throws {
        let (lessor, clock) = makeLessor()
        try lessor.grant(id: 1, ttl: 3)
        clock.advance(by: .seconds(4))
        async let held = keepAlive(lessor, 1)
        await waitForWaiters(lessor, count: 1)
        lessor.demote()
        #expect(await held == .failure(.notPrimary))
        #expect(lessor.state.withLock { $0.revokeWaiters.isEmpty && $0.unregisteredWaiters.isEmpty })
    }

    @Test func aPromotionLetsHeldKeepAlivesRenew() async throws {
        let (lessor, clock) = makeLessor()
        try lessor.grant(id: 1, ttl: 3)
        clock.advance(by: .seconds(4))
        async let held = keepAlive(lessor, 1)
        await waitForWaiters(lessor, count: 1)
        lessor.promote(extend: .zero)  // a new term without a demotion in between
        #expect(await held == .success(3))
        #expect(lessor.deadline(of: 1) == clock.now() + .seconds(3))
    }

    @Test func aWaitThatIsNoLongerNeededEndsAtOnce() async throws {
        // The states `keepAlive` can find when it comes to register, after `renew` said "expired".
        let (lessor, clock) = makeLessor()
        try lessor.grant(id: 1, ttl: 3)
        #expect(await lessor.waitForRevoke(1) == nil)  // deadline live again: renew
        #expect(await lessor.waitForRevoke(2) == .leaseNotFound)  // revoked meanwhile
        lessor.demote()
        #expect(await lessor.waitForRevoke(1) == .notPrimary)  // demoted meanwhile
        clock.advance(by: .seconds(1))
        #expect(lessor.state.withLock { $0.revokeWaiters.isEmpty && $0.unregisteredWaiters.isEmpty })
    }

    @Test func cancellingAHeldKeepAliveEndsIt() async throws {
        let (lessor, clock) = makeLessor()
        try lessor.grant(id: 1, ttl: 3)
        clock.advance(by: .seconds(4))
        let task = Task { await keepAlive(lessor, 1) }
        await waitForWaiters(lessor, count: 1)
        task.cancel()
        #expect(await task.value == .failure(.leaseExpired))
        #expect(lessor.state.withLock { $0.revokeWaiters.isEmpty && $0.unregisteredWaiters.isEmpty })
        #expect(lessor.contains(1))
    }
}
