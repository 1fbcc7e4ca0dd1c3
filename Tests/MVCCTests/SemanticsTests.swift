import Testing

@testable import MVCC

/// etcd 3.4 behaviours from the API spec (sections 3.3-3.7 and 8), one test each.
@Suite struct SemanticsTests {
    @Test func revisionsVersionsAndIncarnations() throws {
        try withStore { (store, _) throws in
            #expect(try store.state().currentRevision == 1)  // a new store starts at revision 1
            #expect(try store.put("k", "v1") == 2)
            #expect(try store.put("k", "v2") == 3)
            #expect(
                try store.get("k")
                    == KeyValue(key: "k".bytes, createRevision: 2, modRevision: 3, version: 2, value: "v2".bytes))
            let deleted = try store.one(.deleteRange(DeleteRangeRequest(key: "k".bytes, prevKV: true)))
            #expect(
                deleted.response
                    == .success(
                        .deleteRange(
                            DeleteRangeResponse(
                                revision: 4, deleted: 1,
                                prevKVs: [
                                    KeyValue(
                                        key: "k".bytes, createRevision: 2, modRevision: 3, version: 2, value: "v2".bytes
                                    )
                                ]))))
            // A delete event's kv has only key and mod revision.
            #expect(deleted.events.map(\.kv) == [KeyValue(key: "k".bytes, modRevision: 4)])
            #expect(try store.get("k") == nil)
            #expect(try store.put("k", "v3") == 5)
            #expect(
                try store.get("k")
                    == KeyValue(key: "k".bytes, createRevision: 5, modRevision: 5, version: 1, value: "v3".bytes))
            #expect(try store.get("k", revision: 3)?.value == "v2".bytes)
            #expect(try store.get("k", revision: 4) == nil)
            // Deleting nothing creates no revision.
            let none = try store.one(.deleteRange(DeleteRangeRequest(key: "zz".bytes)))
            #expect(none.response == .success(.deleteRange(DeleteRangeResponse(revision: 5))))
            #expect(none.events.isEmpty)
            // An identical value still makes a new revision and a PUT event.
            let same = try store.one(.put(PutRequest(key: "k".bytes, value: "v3".bytes, prevKV: true)))
            #expect(same.events.count == 1)
            #expect(same.response == .success(.put(PutResponse(revision: 6, prevKV: try store.get("k", revision: 5)))))
        }
    }

    @Test func countIsBeforeLimitAndFilters() throws {
        try withStore { (store, _) throws in
            for k in ["a", "b", "c", "d", "e"] { try store.put(k, k) }
            let limited = try store.range(RangeRequest(key: "a".bytes, rangeEnd: "z".bytes, limit: 2))
            #expect(limited.kvs.map(\.key) == ["a".bytes, "b".bytes])
            #expect(limited.more && limited.count == 5)
            let filtered = try store.range(RangeRequest(key: "a".bytes, rangeEnd: "z".bytes, maxCreateRevision: 1))
            #expect(filtered.kvs.isEmpty && filtered.count == 5 && !filtered.more)
            let counted = try store.range(
                RangeRequest(key: "a".bytes, rangeEnd: "z".bytes, countOnly: true, minModRevision: 4))
            #expect(counted.kvs.isEmpty && counted.count == 5)
            // range_end <= key is an empty range, not an error; [0] means "from key".
            #expect(try store.range(RangeRequest(key: "c".bytes, rangeEnd: "a".bytes)).count == 0)
            #expect(try store.range(RangeRequest(key: "c".bytes, rangeEnd: [0])).count == 3)
            #expect(try store.range(RangeRequest(key: [0], rangeEnd: [0])).count == 5)
            // A negative limit means no limit, as in etcd.
            #expect(try store.range(RangeRequest(key: "a".bytes, rangeEnd: "z".bytes, limit: -1)).kvs.count == 5)
            let keysOnly = try store.range(RangeRequest(key: "a".bytes, keysOnly: true))
            #expect(keysOnly.kvs == [KeyValue(key: "a".bytes, createRevision: 2, modRevision: 2, version: 1)])
        }
    }

    @Test func sortQuirkWithOrderNoneAndLimit() throws {
        try withStore { (store, _) throws in
            for k in ["so3", "so1", "so2"] { try store.put(k, "x") }
            let none = try store.range(
                RangeRequest(key: "so1".bytes, rangeEnd: "so4".bytes, limit: 1, sortOrder: .none, sortTarget: .create))
            #expect(none.kvs.map(\.key) == ["so1".bytes])
            let ascend = try store.range(
                RangeRequest(key: "so1".bytes, rangeEnd: "so4".bytes, limit: 1, sortOrder: .ascend, sortTarget: .create)
            )
            #expect(ascend.kvs.map(\.key) == ["so3".bytes])
            let descend = try store.range(
                RangeRequest(key: "so1".bytes, rangeEnd: "so4".bytes, sortOrder: .descend, sortTarget: .key))
            #expect(descend.kvs.map(\.key) == ["so3".bytes, "so2".bytes, "so1".bytes])
        }
    }

    @Test func txnExampleFromTheSpec() throws {
        try withStore { (store, _) throws in
            try store.put("t1", "1")
            while try store.state().currentRevision < 17 { try store.put("pad", "x") }
            let request = TxnRequest(success: [
                .range(RangeRequest(key: "t1".bytes)),
                .put(PutRequest(key: "t2".bytes, value: "2".bytes)),
                .deleteRange(DeleteRangeRequest(key: "t1".bytes)),
                .range(RangeRequest(key: "t1".bytes)),
                .txn(TxnRequest(success: [.range(RangeRequest(key: "t2".bytes))])),
            ])
            let result = try store.one(.txn(request))
            guard case .success(.txn(let response)) = result.response else {
                Issue.record("txn failed: \(result)")
                return
            }
            #expect(response.revision == 18 && response.succeeded)
            guard case .range(let r0) = response.responses[0], case .put(let p1) = response.responses[1],
                case .deleteRange(let d2) = response.responses[2], case .range(let r3) = response.responses[3],
                case .txn(let t4) = response.responses[4], case .range(let nested) = t4.responses[0]
            else {
                Issue.record("wrong response kinds: \(response)")
                return
            }
            #expect(r0.revision == 17 && r0.kvs.count == 1)
            #expect(p1.revision == 18)
            #expect(d2.revision == 18 && d2.deleted == 1)
            #expect(r3.revision == 18 && r3.kvs.isEmpty)
            #expect(t4.revision == 0 && t4.succeeded)
            #expect(nested.revision == 18 && nested.kvs.map(\.key) == ["t2".bytes])
            #expect(result.events.map(\.kind) == [.put, .delete])
            #expect(result.events.map(\.kv.modRevision) == [18, 18])
        }
    }

    @Test func comparesOnMissingKeysAndRanges() throws {
        try withStore { (store, _) throws in
            func succeeded(_ compare: Compare) throws -> Bool {
                let result = try store.one(.txn(TxnRequest(compare: [compare])))
                guard case .success(.txn(let response)) = result.response else { throw result.response.failure! }
                return response.succeeded
            }
            // A missing key fails every VALUE compare, even NOT_EQUAL; others compare with 0.
            #expect(try !succeeded(Compare(key: "m".bytes, target: .value([1]), result: .notEqual)))
            #expect(try succeeded(Compare(key: "m".bytes, target: .createRevision(0), result: .equal)))
            #expect(try succeeded(Compare(key: "m".bytes, target: .version(0), result: .equal)))
            try store.put("a1", "x")
            try store.put("a2", "y")
            #expect(try succeeded(Compare(key: "a".bytes, rangeEnd: "b".bytes, target: .version(1), result: .equal)))
            #expect(
                try !succeeded(Compare(key: "a".bytes, rangeEnd: "b".bytes, target: .value("x".bytes), result: .equal)))
            #expect(try succeeded(Compare(key: "a".bytes, rangeEnd: [0], target: .value("w".bytes), result: .greater)))
            #expect(try succeeded(Compare(key: "a1".bytes, target: .modRevision(3), result: .less)))
            // A read-only txn changes no revision.
            #expect(try store.state().currentRevision == 3)
        }
    }

    @Test func duplicateKeyRules() throws {
        func check(_ ops: [RequestOp]) -> MVCCError? {
            RequestValidation.check(TxnRequest(success: ops), maxTxnOps: 128)
        }
        let put = { (k: String) in RequestOp.put(PutRequest(key: k.bytes)) }
        let del = { (k: String, e: String) in RequestOp.deleteRange(DeleteRangeRequest(key: k.bytes, rangeEnd: e.bytes))
        }
        #expect(check([put("dup"), put("dup")]) == .duplicateKey)
        #expect(check([del("a", "z"), put("m")]) == .duplicateKey)
        #expect(check([del("m", ""), del("m", "")]) == nil)
        #expect(check([put("n"), .txn(TxnRequest(success: [put("n")]))]) == .duplicateKey)
        #expect(check([.txn(TxnRequest(success: [put("n")], failure: [put("n")]))]) == nil)
        #expect(check([.txn(TxnRequest(success: [del("a", "c")])), put("b")]) == .duplicateKey)
        // Deviation from etcd 3.4 (see RequestValidation.interval): a from-key delete covers puts.
        #expect(check([del("a", "\u{0}"), put("q")]) == .duplicateKey)
        #expect(check([.range(RangeRequest(key: "x".bytes)), put("x")]) == nil)
        // 128 ops per list are fine, 129 are not; the limit is per list.
        let many = (0..<128).map { put("k\($0)") }
        #expect(check(many) == nil)
        #expect(check(many + [put("k128")]) == .tooManyOperations)
        #expect(RequestValidation.check(TxnRequest(success: many, failure: many), maxTxnOps: 128) == nil)
        // A nested txn gets the limit minus its parent's largest list.
        let nested = RequestOp.txn(TxnRequest(success: [put("x"), put("y")]))
        #expect(RequestValidation.check(TxnRequest(success: [nested]), maxTxnOps: 3) == nil)
        #expect(RequestValidation.check(TxnRequest(success: [nested, put("z")]), maxTxnOps: 3) == .tooManyOperations)
    }

    @Test func compactionBoundaries() throws {
        try withStore { (store, _) throws in
            for i in 0..<5 { try store.put("k", "v\(i)") }  // revisions 2...6
            try store.put("gone", "x")  // 7
            _ = try store.one(.deleteRange(DeleteRangeRequest(key: "gone".bytes)))  // 8
            let compact = try store.one(.compact(CompactionRequest(revision: 4)))
            #expect(compact.response == .success(.compact(CompactionResponse(revision: 8))))
            #expect(try store.get("k", revision: 4)?.value == "v2".bytes)  // == compact revision is readable
            #expect(throws: MVCCError.compacted) { try store.get("k", revision: 3) }
            #expect(throws: MVCCError.futureRevision) { try store.get("k", revision: 9) }
            #expect(try store.one(.compact(CompactionRequest(revision: 4))).response == .failure(.compacted))
            #expect(try store.one(.compact(CompactionRequest(revision: 9))).response == .failure(.futureRevision))
            #expect(throws: MVCCError.compacted) { try store.hashKV(revision: 4) }  // HashKV is stricter
            #expect(try store.hashKV(revision: 5).compactRevision == 4)
            _ = try store.one(.compact(CompactionRequest(revision: 8)))
            // Physically: k keeps only its latest revision, the deleted key is gone entirely.
            let entries = try store.environment.read { txn in try txn.statistics(store.dbs.rev).entries }
            #expect(entries == 1)
            let indexed = try store.environment.read { txn in try txn.statistics(store.dbs.index).entries }
            #expect(indexed == 1)
            #expect(try store.get("k")?.value == "v4".bytes)
            #expect(try store.get("k", revision: 8)?.version == 5)
        }
    }

    @Test func leasesAttachRevokeAndSurviveReopen() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let store = try MVCCStore(path: dir.path, configuration: testConfiguration())
            #expect(try store.one(.put(PutRequest(key: "a".bytes, lease: 7))).response == .failure(.leaseNotFound))
            #expect(
                try store.one(.leaseGrant(LeaseGrantRequest(id: 7, ttl: 60))).response
                    == .success(.leaseGrant(revision: 1)))
            #expect(try store.one(.leaseGrant(LeaseGrantRequest(id: 7, ttl: 60))).response == .failure(.leaseExists))
            #expect(
                try store.one(.leaseGrant(LeaseGrantRequest(id: 8, ttl: 9_000_000_001))).response
                    == .failure(.leaseTTLTooLarge))
            try store.put("a", "1", lease: 7)
            try store.put("b", "2", lease: 7)
            try store.put("c", "3", lease: 7)
            try store.put("c", "3")  // re-put without lease detaches
            #expect(try store.keys(attachedTo: 7) == ["a".bytes, "b".bytes])
        }
        let store = try MVCCStore(path: dir.path, configuration: testConfiguration())
        #expect(try store.leases() == [Lease(id: 7, ttl: 60)])
        #expect(try store.lease(7) == Lease(id: 7, ttl: 60))
        #expect(try store.keys(attachedTo: 7) == ["a".bytes, "b".bytes])
        let revoke = try store.one(.leaseRevoke(LeaseRevokeRequest(id: 7)))
        #expect(revoke.response == .success(.leaseRevoke(revision: 6)))
        #expect(
            revoke.events.map(\.kv) == [
                KeyValue(key: "a".bytes, modRevision: 6), KeyValue(key: "b".bytes, modRevision: 6),
            ])
        #expect(try store.leases().isEmpty)
        #expect(try store.one(.leaseRevoke(LeaseRevokeRequest(id: 7))).response == .failure(.leaseNotFound))
        #expect(try store.get("c")?.value == "3".bytes)
    }

    @Test func readOnlyTxnAndDatabaseSize() throws {
        try withStore { (store, _) throws in
            try store.put("a", "1")
            try store.put("a", "2")
            let request = TxnRequest(
                compare: [Compare(key: "a".bytes, target: .version(2), result: .equal)],
                success: [.range(RangeRequest(key: "a".bytes, revision: 2))], failure: [])
            let response = try store.readOnlyTxn(request)
            #expect(response.succeeded && response.revision == 3)
            #expect(
                response.responses == [
                    .range(RangeResponse(revision: 3, kvs: [try store.get("a", revision: 2)!], count: 1))
                ])
            #expect(try store.state().currentRevision == 3)
            #expect(throws: MVCCError.futureRevision) {
                try store.readOnlyTxn(TxnRequest(success: [.range(RangeRequest(key: "a".bytes, revision: 4))]))
            }
            #expect(throws: MVCCError.emptyKey) {
                try store.readOnlyTxn(TxnRequest(compare: [Compare(key: [], target: .version(0), result: .equal)]))
            }
            let size = store.databaseSize()
            #expect(size.inUseBytes > 0 && size.fileBytes >= size.inUseBytes && size.mapBytes >= size.fileBytes)
        }
    }
}
