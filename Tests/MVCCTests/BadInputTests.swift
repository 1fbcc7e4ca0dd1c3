import Testing

@testable import MVCC

/// Every input error maps to etcd's exact message, and a rejected operation writes nothing.
@Suite struct BadInputTests {
    static let cases: [(WriteOperation, String)] = [
        (.put(PutRequest(key: [])), "etcdserver: key is not provided"),
        (.put(PutRequest(key: "k".bytes, value: "v".bytes, ignoreValue: true)), "etcdserver: value is provided"),
        (.put(PutRequest(key: "k".bytes, lease: 3, ignoreLease: true)), "etcdserver: lease is provided"),
        (.put(PutRequest(key: "missing".bytes, ignoreValue: true)), "etcdserver: key not found"),
        (.put(PutRequest(key: "missing".bytes, ignoreLease: true)), "etcdserver: key not found"),
        (.put(PutRequest(key: "k".bytes, lease: 99)), "etcdserver: requested lease not found"),
        (
            .put(PutRequest(key: "k".bytes, value: [UInt8](repeating: 0, count: 1_572_864))),
            "etcdserver: request is too large"
        ),
        (.deleteRange(DeleteRangeRequest(key: [])), "etcdserver: key is not provided"),
        (
            .txn(TxnRequest(compare: [Compare(key: [], target: .version(0), result: .equal)])),
            "etcdserver: key is not provided"
        ),
        (.txn(TxnRequest(success: [.range(RangeRequest(key: []))])), "etcdserver: key is not provided"),
        (
            .txn(TxnRequest(success: Array(repeating: .range(RangeRequest(key: "k".bytes)), count: 129))),
            "etcdserver: too many operations in txn request"
        ),
        (
            .txn(TxnRequest(success: [.put(PutRequest(key: "k".bytes)), .put(PutRequest(key: "k".bytes))])),
            "etcdserver: duplicate key given in txn request"
        ),
        (
            .txn(TxnRequest(success: [.put(PutRequest(key: "k".bytes)), .put(PutRequest(key: "x".bytes, lease: 5))])),
            "etcdserver: requested lease not found"
        ),
        (
            .txn(
                TxnRequest(success: [
                    .put(PutRequest(key: "k".bytes)), .range(RangeRequest(key: "k".bytes, revision: 50)),
                ])),
            "etcdserver: mvcc: required revision is a future revision"
        ),
        (
            .txn(
                TxnRequest(
                    compare: [Compare(key: "k".bytes, target: .version(100), result: .equal)],
                    failure: [.put(PutRequest(key: "k".bytes)), .range(RangeRequest(key: "k".bytes, revision: 1))])),
            "etcdserver: mvcc: required revision has been compacted"
        ),
        (.compact(CompactionRequest(revision: 2)), "etcdserver: mvcc: required revision has been compacted"),
        (.compact(CompactionRequest(revision: 50)), "etcdserver: mvcc: required revision is a future revision"),
        (.leaseGrant(LeaseGrantRequest(id: 1, ttl: 10)), "etcdserver: lease already exists"),
        (.leaseGrant(LeaseGrantRequest(id: 2, ttl: 9_000_000_001)), "etcdserver: too large lease TTL"),
        (.leaseRevoke(LeaseRevokeRequest(id: 2)), "etcdserver: requested lease not found"),
    ]

    @Test(arguments: 0..<cases.count) func rejectedWithEtcdsMessageAndNothingWritten(caseIndex: Int) throws {
        let (operation, message) = Self.cases[caseIndex]
        try withStore { (store, _) throws in
            _ = try store.apply(
                [
                    .leaseGrant(LeaseGrantRequest(id: 1, ttl: 10)), .put(PutRequest(key: "k".bytes, value: "v".bytes)),
                    .put(PutRequest(key: "k".bytes, value: "w".bytes)), .compact(CompactionRequest(revision: 2)),
                ], index: 1)
            let hashBefore = try store.hashKV()
            let leasesBefore = try store.leases()
            let result = try store.apply([operation, .put(PutRequest(key: "after".bytes))], index: 2)!
            #expect(result.results[0].response.failure?.etcdMessage == message)
            #expect(result.results[0].response.failure?.description == message)
            #expect(result.results[0].events.isEmpty)
            // The rest of the batch still applies; the failed op left no trace.
            #expect(result.results[1].response == .success(.put(PutResponse(revision: 4))))
            _ = try store.apply([.deleteRange(DeleteRangeRequest(key: "after".bytes))], index: 3)
            _ = try store.apply([.compact(CompactionRequest(revision: 5))], index: 4)
            _ = try store.apply([.compact(CompactionRequest(revision: 3))], index: 5)
            #expect(try store.leases() == leasesBefore)
            #expect(try store.get("k")?.value == "w".bytes)
            #expect(hashBefore.hash != 0)
        }
    }

    @Test func rangeErrors() throws {
        try withStore { (store, _) throws in
            try store.put("k", "v")
            try store.put("k", "w")
            _ = try store.one(.compact(CompactionRequest(revision: 3)))
            #expect(throws: MVCCError.emptyKey) { try store.range(RangeRequest(key: [])) }
            #expect(throws: MVCCError.futureRevision) { try store.range(RangeRequest(key: "k".bytes, revision: 4)) }
            #expect(throws: MVCCError.compacted) { try store.range(RangeRequest(key: "k".bytes, revision: 2)) }
            #expect(MVCCError.compacted.etcdMessage == "etcdserver: mvcc: required revision has been compacted")
            #expect(RequestValidation.check(RangeRequest(key: [])) == .emptyKey)
        }
    }
}
