import Testing

@testable import MVCC

/// Keys beyond LMDB's 511-byte key limit, up to the request size limit, kept in index buckets.
@Suite struct LongKeyTests {
    static let prefix = [UInt8](repeating: 0x70, count: 600)

    @Test func longAndShortKeysAreStoredOrderedAndRanged() throws {
        try withStore { (store, _) throws in
            var keys: [[UInt8]] = [
                Array(Self.prefix[0..<480]),  // exactly the short limit
                Array(Self.prefix[0..<480]) + [0],  // 481 bytes: equals a bucket's index key bytes
                Array(Self.prefix[0..<479]) + [0x71],  // sorts after the whole bucket
                Array(Self.prefix[0..<511]), Array(Self.prefix[0..<512]), Self.prefix,
                Self.prefix + [0], Self.prefix + [0xFF], Self.prefix + [0, 0],
                [UInt8](repeating: 0x70, count: 100_000), "a".bytes, "q".bytes, [0x70],
                [UInt8](repeating: 0x00, count: 700),
            ]
            for i in 0..<40 { keys.append(Self.prefix + Array("-\(i)".utf8)) }
            for (i, key) in keys.enumerated() {
                _ = try store.apply([.put(PutRequest(key: key, value: Array("\(i)".utf8)))], index: UInt64(i + 1))
            }
            let sorted = keys.sorted { $0.lexicographicallyPrecedes($1) }
            let all = try store.range(RangeRequest(key: [0], rangeEnd: [0]))
            #expect(all.kvs.map(\.key) == sorted)
            for key in keys {
                #expect(try store.range(RangeRequest(key: key)).kvs.map(\.key) == [key])
            }
            // Prefix range over the long keys sharing `prefix` + "-".
            let dash = try store.range(RangeRequest(key: Self.prefix + [0x2D], rangeEnd: Self.prefix + [0x2E]))
            #expect(dash.count == 40)
            #expect(dash.kvs.map(\.key) == sorted.filter { $0.starts(with: Self.prefix + [0x2D]) })
            // A range starting inside a bucket and ending in another place.
            let from = Self.prefix + [0]
            let mid = try store.range(RangeRequest(key: from, rangeEnd: Array(Self.prefix[0..<479]) + [0x71, 0]))
            #expect(
                mid.kvs.map(\.key)
                    == sorted.filter {
                        !$0.lexicographicallyPrecedes(from)
                            && $0.lexicographicallyPrecedes(Array(Self.prefix[0..<479]) + [0x71, 0])
                    })
            // Delete a range of long keys, check history and compaction.
            let before = try store.state().currentRevision
            let deleted = try store.apply(
                [.deleteRange(DeleteRangeRequest(key: Self.prefix + [0x2D], rangeEnd: Self.prefix + [0x2E]))],
                index: 1000)
            #expect(deleted?.results[0].events.count == 40)
            #expect(try store.range(RangeRequest(key: Self.prefix + [0x2D], rangeEnd: Self.prefix + [0x2E])).count == 0)
            #expect(
                try store.range(
                    RangeRequest(key: Self.prefix + [0x2D], rangeEnd: Self.prefix + [0x2E], revision: before)
                ).count == 40)
            _ = try store.apply([.compact(CompactionRequest(revision: before + 1))], index: 1001)
            #expect(
                try store.range(RangeRequest(key: [0], rangeEnd: [0])).kvs.map(\.key)
                    == sorted.filter { !$0.starts(with: Self.prefix + [0x2D]) })
        }
    }

    @Test func keysUpToTheRequestLimit() throws {
        try withStore { (store, _) throws in
            let limit = store.configuration.maxRequestBytes
            let huge = [UInt8](repeating: 0x41, count: limit - 8)  // the key alone nearly fills a request
            let result = try store.one(.put(PutRequest(key: huge)))
            #expect(result.response == .success(.put(PutResponse(revision: 2))))
            #expect(try store.range(RangeRequest(key: huge)).kvs.first?.key == huge)
            let bigger = huge + [0x41]
            let tooLarge = try store.one(.put(PutRequest(key: bigger, value: [UInt8](repeating: 1, count: 16))))
            #expect(tooLarge.response == .failure(.requestTooLarge))
            #expect(try store.range(RangeRequest(key: Array(huge[0..<10]), rangeEnd: [0x42])).kvs.map(\.key) == [huge])
        }
    }
}
