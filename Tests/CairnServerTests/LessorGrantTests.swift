import MVCC
import Testing

@testable import CairnServer

/// Grants as etcd's `LeaseGrant` and `lessor.Grant` make them (spec 3.9, 8.16).
@Suite struct LessorGrantTests {
    @Test func minimumTTLFollowsTheElectionTimeout() {
        // etcd: ceil(((3 * electionTicks) / 2) * heartbeat) seconds.
        #expect(LessorConfiguration().minimumTTL == 2)  // 15 x 100 ms = 1.5 s -> 2
        #expect(LessorConfiguration(electionTicks: 10, heartbeat: .milliseconds(200)).minimumTTL == 3)
        #expect(LessorConfiguration(electionTicks: 5, heartbeat: .milliseconds(100)).minimumTTL == 1)  // 7 ticks
        #expect(LessorConfiguration(electionTicks: 20, heartbeat: .milliseconds(100)).minimumTTL == 3)
        #expect(LessorConfiguration().promotionExtension == .seconds(1))
        #expect(LessorConfiguration().expiredLeaseRetryInterval == .seconds(7))
    }

    @Test func clientChosenIDsAreKeptEvenNegative() throws {
        let (lessor, _) = makeLessor()
        #expect(try lessor.grant(id: 42, ttl: 10) == 10)
        #expect(try lessor.grant(id: -7, ttl: 10) == 10)
        #expect(lessor.leases() == [-7, 42])
    }

    @Test func shortTTLsAreRaisedToTheMinimum() throws {
        let (lessor, _) = makeLessor()
        #expect(try lessor.grant(id: 1, ttl: 1) == 2)
        #expect(try lessor.grant(id: 2, ttl: 0) == 2)
        #expect(try lessor.grant(id: 3, ttl: -5) == 2)
        #expect(try lessor.timeToLive(3).grantedTTL == 2)
        #expect(try lessor.grantOperation(id: 4, ttl: 1) == .leaseGrant(LeaseGrantRequest(id: 4, ttl: 2)))
    }

    @Test func errorsCarryEtcdsMessages() throws {
        let (lessor, _) = makeLessor()
        try lessor.grant(id: 5, ttl: 10)
        #expect(throws: LessorError.leaseExists) { try lessor.grant(id: 5, ttl: 20) }
        #expect(throws: LessorError.leaseTTLTooLarge) { try lessor.grantOperation(id: 6, ttl: 9_000_000_001) }
        #expect(throws: LessorError.leaseNotFound) { try lessor.grantOperation(id: .none, ttl: 10) }
        #expect(throws: LessorError.leaseTTLTooLarge) { try lessor.grant(id: 6, ttl: 9_000_000_001) }
        #expect(try lessor.grant(id: 6, ttl: 9_000_000_000) == 9_000_000_000)
        #expect(throws: LessorError.leaseNotFound) { try lessor.grant(id: .none, ttl: 10) }
        #expect(throws: LessorError.leaseNotFound) { try lessor.revoke(99) }
        #expect(LessorError.leaseExists.etcdMessage == "etcdserver: lease already exists")
        #expect(LessorError.leaseTTLTooLarge.etcdMessage == "etcdserver: too large lease TTL")
        #expect(LessorError.leaseNotFound.etcdMessage == "etcdserver: requested lease not found")
        #expect(LessorError(MVCCError.leaseExists) == .leaseExists)
        #expect(LessorError(MVCCError.emptyKey) == nil)
    }

    @Test func generatedIDsAreEtcdShapedPositiveAndUnique() {
        // etcd's idutil: member (16 bits) | ms timestamp (40 bits) | counter (8 bits), then +1.
        let generator = LeaseIDGenerator(memberID: 0x0ce1, startMilliseconds: 0xa1ff_969d_58)
        let first = generator.next()
        #expect(first == LeaseID(0x0ce1_a1ff_969d_5801))
        #expect(first.description == "0ce1a1ff969d5801")
        var seen: Set<LeaseID> = [first]
        for _ in 0..<1000 {
            let id = generator.next()
            #expect(id.rawValue > 0)
            #expect(seen.insert(id).inserted)
        }
        // A member ID with the top bit set still yields positive IDs (etcd masks the sign bit).
        let high = LeaseIDGenerator(memberID: 0xFFFF, startMilliseconds: 1)
        #expect(high.next().rawValue > 0)
        // Two members starting in the same millisecond never collide.
        let a = LeaseIDGenerator(memberID: 1, startMilliseconds: 77)
        let b = LeaseIDGenerator(memberID: 2, startMilliseconds: 77)
        #expect(a.next() != b.next())
    }

    @Test func grantOnAFollowerHasNoDeadline() throws {
        let (lessor, clock) = makeLessor(primary: false)
        try lessor.grant(id: 1, ttl: 5)
        #expect(lessor.deadline(of: 1) == nil)
        clock.advance(by: .seconds(1000))
        #expect(lessor.expiredLeases().isEmpty)
        #expect(throws: LessorError.notPrimary) { try lessor.timeToLive(1) }
        #expect(lessor.leases() == [1])
    }
}
