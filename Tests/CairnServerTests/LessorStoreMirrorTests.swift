import MVCC
import Testing

@testable import CairnServer

/// Random batches of grants, revokes, puts (with, without and with missing leases, with
/// `ignore_lease`), range deletes and txns applied to a real `MVCCStore` the way the applier does;
/// after every batch the lessor must mirror the store's lease and attachment tables exactly.
@Suite struct LessorStoreMirrorTests {
    @Test(arguments: 1...4 as ClosedRange<UInt64>)
    func mirrorsTheStore(seed: UInt64) throws {
        try withLeaseStore { store, _ in
            var rng = SeededGenerator(seed: seed)
            let (lessor, _) = makeLessor()
            let ids: [LeaseID] = [-2, 1, 2, 3, 4]
            func key() -> [UInt8] { lessorKey("k\(Int.random(in: 0..<10, using: &rng))") }
            func lease() -> Int64 { Bool.random(using: &rng) ? 0 : ids.randomElement(using: &rng)!.rawValue }
            func put() -> PutRequest {
                if Int.random(in: 0..<6, using: &rng) == 0 {
                    return PutRequest(key: key(), value: [1], ignoreLease: true)
                }
                return PutRequest(key: key(), value: [2], lease: lease())
            }
            for step in 0..<150 {
                var operations: [WriteOperation] = []
                for _ in 0..<Int.random(in: 1...5, using: &rng) {
                    switch Int.random(in: 0..<10, using: &rng) {
                    case 0, 1:
                        operations.append(
                            try lessor.grantOperation(
                                id: ids.randomElement(using: &rng)!, ttl: Int64.random(in: 1...9, using: &rng)))
                    case 2: operations.append(Lessor.revokeOperation(ids.randomElement(using: &rng)!))
                    case 3, 4, 5: operations.append(.put(put()))
                    case 6:
                        let from = key()
                        operations.append(.deleteRange(DeleteRangeRequest(key: from, rangeEnd: from + [0xFF])))
                    default:
                        let ops: [RequestOp] = (0..<Int.random(in: 1...3, using: &rng)).map { i in
                            i == 0 ? .put(put()) : .deleteRange(DeleteRangeRequest(key: key()))
                        }
                        operations.append(.txn(TxnRequest(success: ops)))
                    }
                }
                try store.applyTelling(lessor, operations)
                let stored = try store.leases()
                #expect(lessor.leases() == stored.map { LeaseID($0.id) }.sorted(), "seed \(seed) step \(step)")
                for lease in stored {
                    #expect(lessor.grantedTTL(of: LeaseID(lease.id)) == lease.ttl, "seed \(seed) step \(step)")
                    #expect(
                        lessor.keys(attachedTo: LeaseID(lease.id)) == (try store.keys(attachedTo: lease.id)),
                        "seed \(seed) step \(step)")
                }
            }
        }
    }
}
