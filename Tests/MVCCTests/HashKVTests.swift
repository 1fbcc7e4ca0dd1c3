import Testing

@testable import MVCC

/// HashKV: equal for equal history, different otherwise, and etcd's definition (crc32c).
@Suite struct HashKVTests {
    func history(_ store: MVCCStore, extra: Bool = false) throws {
        var index: UInt64 = 0
        func apply(_ op: WriteOperation) throws {
            index += 1
            _ = try store.apply([op], index: index)
        }
        try apply(.leaseGrant(LeaseGrantRequest(id: 9, ttl: 30)))
        for i in 0..<30 {
            try apply(
                .put(PutRequest(key: Array("key\(i % 7)".utf8), value: Array("v\(i)".utf8), lease: i % 5 == 0 ? 9 : 0)))
        }
        try apply(.deleteRange(DeleteRangeRequest(key: "key3".bytes)))
        try apply(.compact(CompactionRequest(revision: 20)))
        try apply(.put(PutRequest(key: [UInt8](repeating: 0x6C, count: 900), value: "long".bytes)))
        if extra { try apply(.put(PutRequest(key: "key1".bytes, value: "different".bytes))) }
        try apply(.leaseRevoke(LeaseRevokeRequest(id: 9)))
    }

    @Test func equalHistoryEqualHash() throws {
        try withStore { (a, _) throws in
            try withStore { (b, _) throws in
                try history(a)
                try history(b)
                let ha = try a.hashKV()
                #expect(ha == (try b.hashKV()))
                #expect(ha.compactRevision == 20)
                for revision in Int64(21)...(try a.state().currentRevision) {
                    #expect(try a.hashKV(revision: revision) == b.hashKV(revision: revision))
                }
                // Batching differently does not change history, hence not the hash either.
                #expect(try a.hashKV(revision: 25).hash != a.hashKV(revision: 26).hash)
            }
        }
    }

    @Test func differentHistoryDifferentHash() throws {
        try withStore { (a, _) throws in
            try withStore { (b, _) throws in
                try history(a)
                try history(b, extra: true)
                #expect(try a.hashKV().hash != b.hashKV().hash)
                // Before the divergence they agree.
                for revision in Int64(21)...33 {
                    #expect(
                        try a.hashKV(revision: revision).hash == b.hashKV(revision: revision).hash, "at \(revision)")
                }
            }
        }
    }

    @Test func laterWritesDoNotChangeAPastHash() throws {
        try withStore { (store, _) throws in
            try store.put("a", "1")
            try store.put("b", "2")
            let atThree = try store.hashKV(revision: 3)
            try store.put("a", "3")
            #expect(try store.hashKV(revision: 3).hash == atThree.hash)
            #expect(try store.hashKV().revision == 4)
        }
    }

    @Test func crc32cMatchesTheStandardCheckValue() {
        var crc = CRC32C()
        crc.update("123456789".bytes)
        #expect(crc.value == 0xE306_9283)
    }

    @Test func emptyStoreHashesTheBucketNameOnly() throws {
        try withStore { (store, _) throws in
            var crc = CRC32C()
            crc.update("key".bytes)
            #expect(try store.hashKV() == HashKVResponse(hash: crc.value, compactRevision: -1, revision: 1))
        }
    }
}

/// HashKV values recorded from a real etcd 3.4.23 (Debian etcd-server) after this history, made
/// with etcdctl: put a 1; put b 2; put a 3; del b; lease grant 60 (ID 2324035533974405641);
/// put c 4 --lease; put <"k" x 600> long; put a 5; compact 4; put d 6; del c; then
/// `etcdctl endpoint hashkv [--rev N] -w json`. Our store, fed the same history, must give the
/// same numbers: it stores and hashes the same bytes.
@Suite struct EtcdHashCompatibilityTests {
    @Test func hashesMatchEtcd() throws {
        try withStore { (store, _) throws in
            #expect(try store.hashKV().hash == 1_084_519_789)  // empty store
            let lease: Int64 = 2_324_035_533_974_405_641
            let history: [WriteOperation] = [
                .put(PutRequest(key: "a".bytes, value: "1".bytes)),
                .put(PutRequest(key: "b".bytes, value: "2".bytes)),
                .put(PutRequest(key: "a".bytes, value: "3".bytes)),
                .deleteRange(DeleteRangeRequest(key: "b".bytes)),
                .leaseGrant(LeaseGrantRequest(id: lease, ttl: 60)),
                .put(PutRequest(key: "c".bytes, value: "4".bytes, lease: lease)),
                .put(PutRequest(key: [UInt8](repeating: 0x6B, count: 600), value: "long".bytes)),
                .put(PutRequest(key: "a".bytes, value: "5".bytes)),
                .compact(CompactionRequest(revision: 4)),
                .put(PutRequest(key: "d".bytes, value: "6".bytes)),
                .deleteRange(DeleteRangeRequest(key: "c".bytes)),
            ]
            let result = try store.apply(history, index: 1)
            #expect(result?.revision == 10)
            #expect(try store.hashKV() == HashKVResponse(hash: 3_266_218_116, compactRevision: 4, revision: 10))
            #expect(try store.hashKV(revision: 7).hash == 2_821_299_490)
            #expect(try store.hashKV(revision: 8).hash == 3_848_980_840)
        }
    }
}
