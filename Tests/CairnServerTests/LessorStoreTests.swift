import MVCC
import Testing

@testable import CairnServer

/// The lessor next to a real `MVCCStore`: grants and revokes applied as the applier does,
/// attachments followed from the store's events, restore after reopening.
@Suite struct LessorStoreTests {
    func put(_ key: String, lease: Int64 = 0) -> WriteOperation {
        .put(PutRequest(key: lessorKey(key), value: lessorKey("v"), lease: lease))
    }

    @Test func revokeDeletesTheAttachedKeysInOneRevision() throws {
        try withLeaseStore { store, _ in
            let (lessor, _) = makeLessor()
            try store.applyTelling(lessor, [try lessor.grantOperation(id: 7, ttl: 1)])
            #expect(try store.lease(7) == Lease(id: 7, ttl: 2))  // the floor reaches the store
            try store.applyTelling(lessor, [put("b", lease: 7), put("a", lease: 7), put("c"), put("d", lease: 7)])
            #expect(lessor.keys(attachedTo: 7) == ["a", "b", "d"].map(lessorKey))

            let revocation = try lessor.revocation(of: 7)
            #expect(revocation.keys == ["a", "b", "d"].map(lessorKey))
            #expect(lessor.contains(7))  // computing it changes nothing
            let before = try store.state().currentRevision
            let batch = try store.applyTelling(lessor, [revocation.operation])
            let events = batch.results[0].events
            #expect(batch.revision == before + 1)
            #expect(events.map(\.kind) == [.delete, .delete, .delete])
            #expect(events.map(\.kv.key) == revocation.keys)
            #expect(events.allSatisfy { $0.kv.modRevision == before + 1 })
            #expect(!lessor.contains(7))
            #expect(try store.lease(7) == nil)
            #expect(lessor.lease(attachedTo: lessorKey("a")) == .none)
            #expect(
                try store.range(RangeRequest(key: lessorKey("a"), rangeEnd: [0])).kvs.map(\.key) == [lessorKey("c")])

            // Revoking a lease without keys makes no revision (spec 8.7); an unknown one fails.
            try store.applyTelling(lessor, [try lessor.grantOperation(id: 8, ttl: 5)])
            let empty = try lessor.revocation(of: 8)
            #expect(empty.keys.isEmpty)
            #expect(try store.applyTelling(lessor, [empty.operation]).revision == before + 1)
            #expect(throws: LessorError.leaseNotFound) { try lessor.revocation(of: 8) }
        }
    }

    @Test func attachmentsFollowPutsDeletesAndLeaseChanges() throws {
        try withLeaseStore { store, _ in
            let (lessor, _) = makeLessor()
            try store.applyTelling(lessor, [try lessor.grantOperation(id: 1, ttl: 10)])
            try store.applyTelling(lessor, [try lessor.grantOperation(id: 2, ttl: 10)])
            try store.applyTelling(lessor, [put("x", lease: 1), put("y", lease: 1), put("z", lease: 2)])
            #expect(lessor.keys(attachedTo: 1) == ["x", "y"].map(lessorKey))
            // Re-put with another lease moves the key; with lease 0 detaches it.
            try store.applyTelling(lessor, [put("x", lease: 2), put("y")])
            #expect(lessor.keys(attachedTo: 1).isEmpty)
            #expect(lessor.keys(attachedTo: 2) == ["x", "z"].map(lessorKey))
            // ignore_lease keeps it.
            try store.applyTelling(lessor, [.put(PutRequest(key: lessorKey("x"), value: [1], ignoreLease: true))])
            #expect(lessor.lease(attachedTo: lessorKey("x")) == 2)
            // Delete (in a txn here) detaches.
            try store.applyTelling(
                lessor,
                [.txn(TxnRequest(success: [.deleteRange(DeleteRangeRequest(key: lessorKey("z")))]))])
            #expect(lessor.keys(attachedTo: 2) == [lessorKey("x")])
            // A put naming a missing lease fails in the store and changes nothing here.
            let failed = try store.applyTelling(lessor, [put("w", lease: 99)])
            #expect(failed.results[0].response == .failure(.leaseNotFound))
            #expect(lessor.lease(attachedTo: lessorKey("w")) == .none)
            // The lessor agrees with the store's own attachment table.
            for id in [1, 2] as [Int64] {
                #expect(try store.keys(attachedTo: id) == lessor.keys(attachedTo: LeaseID(id)))
            }
            // A failed grant (duplicate inside one batch) is not applied twice.
            let grant = try lessor.grantOperation(id: 3, ttl: 5)
            let batch = try store.applyTelling(lessor, [grant, grant])
            #expect(batch.results[1].response == .failure(.leaseExists))
            #expect(lessor.leases() == [1, 2, 3])
        }
    }

    @Test func oneBatchMayRevokeAndRegrantAnID() throws {
        // Batch boundaries differ between members, so a batch must give what the same entries
        // applied one by one give: the store decides, the lessor follows its results.
        try withLeaseStore { store, _ in
            let (lessor, _) = makeLessor()
            try store.applyTelling(lessor, [try lessor.grantOperation(id: 1, ttl: 10), put("a", lease: 1)])
            let batch = try store.applyTelling(
                lessor,
                [
                    Lessor.revokeOperation(1), try lessor.grantOperation(id: 1, ttl: 20), put("b", lease: 1),
                    try lessor.grantOperation(id: 2, ttl: 5), put("c", lease: 2), Lessor.revokeOperation(2),
                    Lessor.revokeOperation(3),
                ])
            #expect(batch.results.prefix(6).allSatisfy { if case .success = $0.response { true } else { false } })
            #expect(batch.results[6].response == .failure(.leaseNotFound))
            #expect(lessor.leases() == [1])
            #expect(lessor.grantedTTL(of: 1) == 20)
            #expect(lessor.keys(attachedTo: 1) == [lessorKey("b")])
            #expect(try store.keys(attachedTo: 1) == [lessorKey("b")])
            #expect(lessor.lease(attachedTo: lessorKey("a")) == .none)
            #expect(lessor.lease(attachedTo: lessorKey("c")) == .none)
        }
    }

    @Test func timeToLiveAndListing() throws {
        try withLeaseStore { store, _ in
            let (lessor, clock) = makeLessor()
            try store.applyTelling(lessor, [try lessor.grantOperation(id: 30, ttl: 60)])
            try store.applyTelling(lessor, [try lessor.grantOperation(id: -4, ttl: 5)])
            try store.applyTelling(lessor, [put("k2", lease: 30), put("k1", lease: 30)])
            clock.advance(by: .milliseconds(10_500))
            let answer = try lessor.timeToLive(30, keys: true)
            #expect(
                answer == LeaseTimeToLive(id: 30, grantedTTL: 60, remainingTTL: 49, keys: ["k1", "k2"].map(lessorKey)))
            #expect(try lessor.timeToLive(30).keys.isEmpty)
            #expect(throws: LessorError.leaseNotFound) { try lessor.timeToLive(31) }
            #expect(lessor.leases() == [-4, 30])
            #expect(lessor.grantedTTL(of: -4) == 5)
        }
    }

    @Test func restoreAfterReopenGivesTheSameLeasesAndKeys() throws {
        try withTemporaryDirectory { dir in
            var expected: [LeaseID: (ttl: Int64, keys: [[UInt8]])] = [:]
            do {
                let store = try MVCCStore(path: dir, configuration: leaseStoreConfiguration)
                let (lessor, _) = makeLessor()
                for id in [5, -3, 9] as [LeaseID] {
                    try store.applyTelling(lessor, [try lessor.grantOperation(id: id, ttl: 2 * id.rawValue)])
                }
                try store.applyTelling(lessor, [put("a", lease: 5), put("b", lease: 9), put("c", lease: 9)])
                try store.applyTelling(lessor, [put("b", lease: 5), put("long", lease: -3)])
                try store.applyTelling(lessor, [try lessor.revocation(of: 9).operation])
                for id in lessor.leases() {
                    expected[id] = (lessor.grantedTTL(of: id)!, lessor.keys(attachedTo: id))
                }
            }
            let store = try MVCCStore(path: dir, configuration: leaseStoreConfiguration)
            let clock = ManualLeaseClock()
            let restored = try Lessor(restoringFrom: store, clock: clock)
            #expect(!restored.isPrimary)
            #expect(restored.leases() == [-3, 5])
            for (id, lease) in expected {
                #expect(restored.grantedTTL(of: id) == lease.ttl)
                #expect(restored.keys(attachedTo: id) == lease.keys)
            }
            #expect(restored.keys(attachedTo: 5) == ["a", "b"].map(lessorKey))
            #expect(restored.grantedTTL(of: -3) == 2)  // -6 was raised to the floor at grant
            // A stored TTL below the minimum (an election timeout raised since) is raised on
            // restore, as etcd's `initAndRecover` does.
            _ = try store.apply(
                [.leaseGrant(LeaseGrantRequest(id: 77, ttl: 1))], index: try store.state().appliedIndex + 1)
            let slower = try Lessor(
                restoringFrom: store, configuration: LessorConfiguration(heartbeat: .milliseconds(300)), clock: clock)
            #expect(slower.grantedTTL(of: 77) == 5)  // ceil(15 x 300 ms)
            #expect(slower.grantedTTL(of: 5) == 10)
            // Restoring in place (after a snapshot install) replaces everything; a primary's
            // deadlines restart.
            let (primary, primaryClock) = makeLessor()
            try primary.grant(id: 1000, ttl: 10)
            try primary.restore(from: store)
            #expect(primary.leases() == [-3, 5, 77])
            #expect(primary.deadline(of: 77) == primaryClock.now() + .seconds(3))  // 2 s + 1 s extension
            #expect(primary.keys(attachedTo: 5) == ["a", "b"].map(lessorKey))
            // It goes on working: deadlines start at promotion.
            restored.promote(extend: .zero)
            clock.advance(by: .seconds(10))
            #expect(restored.expiredLeases() == [-3, 5])
            try store.applyTelling(restored, [try restored.revocation(of: 5).operation])
            #expect(try store.keys(attachedTo: 5).isEmpty)
            #expect(restored.leases() == [-3])
        }
    }
}
