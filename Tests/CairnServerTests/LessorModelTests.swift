import Testing

@testable import CairnServer

/// Random sequences of grants, attachments, renewals, clock advances, expiry scans, revokes,
/// promotions and demotions, checked after every step against a naive model that scans every
/// lease. A failure names its seed and step.
@Suite struct LessorModelTests {
    /// The model: dictionaries and full scans, no heap, no lock.
    struct Model {
        struct Lease {
            var ttl: Int64
            var expiry: ContinuousClock.Instant?
            /// When `expiredLeases` hands it out next (deadline, or retry time once handed out).
            var due: ContinuousClock.Instant?
            var keys: Set<String> = []
        }

        var leases: [LeaseID: Lease] = [:]
        var owner: [String: LeaseID] = [:]
        var isPrimary = false
    }

    static let configuration = LessorConfiguration(revokeRate: 1_000_000, expiredLeaseRetryInterval: .seconds(3))
    static let keys = (0..<8).map { "k\($0)" }

    @Test(arguments: 1...8 as ClosedRange<UInt64>)
    func matchesTheNaiveModel(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let clock = ManualLeaseClock()
        let lessor = Lessor(configuration: Self.configuration, clock: clock)
        let generator = LeaseIDGenerator(memberID: seed, startMilliseconds: 1000 * seed)
        var model = Model()
        let pool: [LeaseID] = [-3, -1, 1, 2, 3, 4, 5, 6]

        func randomLease() -> LeaseID {
            if !model.leases.isEmpty && Bool.random(using: &rng) {
                return model.leases.keys.sorted()[Int.random(in: 0..<model.leases.count, using: &rng)]
            }
            return pool[Int.random(in: 0..<pool.count, using: &rng)]
        }

        for step in 0..<600 {
            let where_ = Comment(rawValue: "seed \(seed) step \(step)")
            let now = clock.now()
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<14:  // grant
                let id = Int.random(in: 0..<5, using: &rng) == 0 ? generator.next() : randomLease()
                let ttl = Int64.random(in: -1...8, using: &rng)
                if model.leases[id] != nil {
                    #expect(throws: LessorError.leaseExists, where_) { try lessor.grant(id: id, ttl: ttl) }
                } else {
                    let granted = max(ttl, 2)
                    #expect(try lessor.grant(id: id, ttl: ttl) == granted, where_)
                    let expiry = model.isPrimary ? now + .seconds(granted) : nil
                    model.leases[id] = Model.Lease(ttl: granted, expiry: expiry, due: expiry)
                }
            case 14..<34:  // put, with a lease the store would accept
                let key = Self.keys[Int.random(in: 0..<Self.keys.count, using: &rng)]
                var lease = Bool.random(using: &rng) ? randomLease() : .none
                if model.leases[lease] == nil { lease = .none }
                lessor.apply(events: [lessorPutEvent(key, lease: lease.rawValue)])
                if let old = model.owner.removeValue(forKey: key) { model.leases[old]?.keys.remove(key) }
                if lease != .none {
                    model.owner[key] = lease
                    model.leases[lease]!.keys.insert(key)
                }
            case 34..<40:  // delete
                let key = Self.keys[Int.random(in: 0..<Self.keys.count, using: &rng)]
                lessor.apply(events: [lessorDeleteEvent(key)])
                if let old = model.owner.removeValue(forKey: key) { model.leases[old]?.keys.remove(key) }
            case 40..<55:  // renew
                let id = randomLease()
                if !model.isPrimary {
                    #expect(throws: LessorError.notPrimary, where_) { try lessor.renew(id) }
                } else if let lease = model.leases[id] {
                    if let expiry = lease.expiry, expiry <= now {
                        #expect(throws: LessorError.leaseExpired, where_) { try lessor.renew(id) }
                    } else {
                        #expect(try lessor.renew(id) == lease.ttl, where_)
                        model.leases[id]!.expiry = now + .seconds(lease.ttl)
                        model.leases[id]!.due = now + .seconds(lease.ttl)
                    }
                } else {
                    #expect(throws: LessorError.leaseNotFound, where_) { try lessor.renew(id) }
                }
            case 55..<72:  // time passes
                clock.advance(by: .milliseconds(Int64.random(in: 0...4000, using: &rng)))
            case 72..<82:  // the expiry scan
                var due: [(id: LeaseID, at: ContinuousClock.Instant)] = []
                for (id, lease) in model.leases {
                    if let at = lease.due, at <= now { due.append((id, at)) }
                }
                due.sort { $0.at < $1.at || ($0.at == $1.at && $0.id < $1.id) }
                let expected = due.map(\.id)
                #expect(lessor.expiredLeases() == expected, where_)
                for id in expected { model.leases[id]!.due = now + .seconds(3) }
            case 82..<90:  // revoke applied
                let id = randomLease()
                if let lease = model.leases.removeValue(forKey: id) {
                    #expect(try lessor.revoke(id) == lease.keys.sorted().map(lessorKey), where_)
                    for key in lease.keys { model.owner[key] = nil }
                } else {
                    #expect(throws: LessorError.leaseNotFound, where_) { try lessor.revoke(id) }
                }
            case 90..<95:  // this member becomes leader
                let extend = Duration.milliseconds(Int64.random(in: 0...2000, using: &rng))
                lessor.promote(extend: extend)
                model.isPrimary = true
                for id in model.leases.keys {
                    let expiry = now + extend + .seconds(model.leases[id]!.ttl)
                    model.leases[id]!.expiry = expiry
                    model.leases[id]!.due = expiry
                }
            default:  // it stops being leader
                lessor.demote()
                model.isPrimary = false
                for id in model.leases.keys {
                    model.leases[id]!.expiry = nil
                    model.leases[id]!.due = nil
                }
            }
            try check(lessor, model, now: clock.now(), where_)
        }
    }

    func check(_ lessor: Lessor, _ model: Model, now: ContinuousClock.Instant, _ where_: Comment) throws {
        #expect(lessor.leases() == model.leases.keys.sorted(), where_)
        #expect(lessor.isPrimary == model.isPrimary, where_)
        for (id, lease) in model.leases {
            #expect(lessor.keys(attachedTo: id) == lease.keys.sorted().map(lessorKey), where_)
            #expect(lessor.deadline(of: id) == lease.expiry, where_)
            if let expiry = lease.expiry {
                let remaining = max(0, (expiry - now).components.seconds)
                #expect(
                    try lessor.timeToLive(id, keys: true)
                        == LeaseTimeToLive(
                            id: id, grantedTTL: lease.ttl, remainingTTL: remaining,
                            keys: lease.keys.sorted().map(lessorKey)), where_)
            }
        }
        for key in Self.keys {
            #expect(lessor.lease(attachedTo: lessorKey(key)) == model.owner[key] ?? .none, where_)
        }
        lessor.state.withLock { state in
            #expect(state.expiryQueue.checkInvariants(), where_)
            #expect(state.expiryQueue.count == (model.isPrimary ? model.leases.count : 0), where_)
        }
    }
}
