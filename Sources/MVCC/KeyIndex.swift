import LMDB

// The persistent key index: user key -> its latest revision (and whether that is a tombstone).
//
// LMDB keys are at most 511 bytes (MDB_MAXKEYSIZE) while etcd accepts keys up to the request
// limit (1.5 MiB). Keys of up to `KeyIndex.shortKeyLimit` (480) bytes are index keys as they are.
// A longer key lives in a *bucket*: the index entry keyed by its first 480 bytes followed by one
// 0x00 byte (481 bytes, so it can never equal a short key). The bucket sorts right after the
// 480-byte prefix itself and before any other key (a short key greater than the prefix differs
// from it within the first 480 bytes), so index order is exactly user-key order, bucket contents
// included. A bucket's value holds its keys' remainders (the bytes after the prefix), sorted.
//
// Short entry value: rev (16) + tombstone flag (1).
// Bucket value: repeated { remainder length (4, big-endian), remainder, rev (16), flag (1) }.

/// The index state of one key: its latest revision.
struct IndexEntry: Hashable {
    var latest: Revision
    var tombstone: Bool

    var encoded: [UInt8] {
        latest.bytes + [tombstone ? 1 : 0]
    }

    init(latest: Revision, tombstone: Bool) {
        self.latest = latest
        self.tombstone = tombstone
    }

    init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 17, let rev = Revision(bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<16])) else {
            return nil
        }
        latest = rev
        tombstone = bytes[16] != 0
    }
}

/// The end of a key range, decoded from etcd's `range_end` conventions.
enum RangeEnd: Hashable {
    /// Empty `range_end`: just the key.
    case single
    /// `range_end == [0]`: every key >= key.
    case unbounded
    /// The exclusive end.
    case before([UInt8])

    init(_ rangeEnd: [UInt8]) {
        if rangeEnd.isEmpty {
            self = .single
        } else if rangeEnd == [0] {
            self = .unbounded
        } else {
            self = .before(rangeEnd)
        }
    }
}

/// One long key inside a bucket.
struct BucketItem {
    var remainder: [UInt8]
    var entry: IndexEntry
}

/// Namespace for the index encoding and its LMDB operations.
enum KeyIndex {
    /// Keys up to this length are stored as index keys directly.
    static let shortKeyLimit = 480

    /// The bucket's index key for a long key: its first 480 bytes and a 0x00.
    static func bucketKey(_ key: [UInt8]) -> [UInt8] {
        Array(key[0..<shortKeyLimit]) + [0]
    }

    static func decodeBucket(_ bytes: UnsafeRawBufferPointer) throws -> [BucketItem] {
        var items: [BucketItem] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else { throw MVCCError.corrupt("bucket") }
            let length = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
            guard offset + length + 17 <= bytes.count,
                let entry = IndexEntry(
                    bytes: UnsafeRawBufferPointer(rebasing: bytes[(offset + length)..<(offset + length + 17)]))
            else { throw MVCCError.corrupt("bucket") }
            items.append(
                BucketItem(remainder: Array(bytes[offset..<(offset + length)]), entry: entry))
            offset += length + 17
        }
        return items
    }

    static func encodeBucket(_ items: [BucketItem]) -> [UInt8] {
        var out: [UInt8] = []
        for item in items {
            let n = UInt32(item.remainder.count)
            out += [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
            out += item.remainder
            out += item.entry.encoded
        }
        return out
    }

    /// The index entry of `key`, or nil if the key has never been written (or was compacted away).
    static func get<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ db: Database, key: [UInt8]
    ) throws -> IndexEntry? {
        if key.count <= shortKeyLimit {
            return try txn.withValue(db, key: key) { value in
                guard let value else { return nil }
                guard let entry = IndexEntry(bytes: value) else { throw MVCCError.corrupt("index entry") }
                return entry
            }
        }
        let remainder = Array(key[shortKeyLimit...])
        return try txn.withValue(db, key: bucketKey(key)) { value in
            guard let value else { return nil }
            return try decodeBucket(value).first { $0.remainder == remainder }?.entry
        }
    }

    /// Sets the index entry of `key`.
    static func set(_ txn: borrowing WriteTransaction, _ db: Database, key: [UInt8], entry: IndexEntry) throws {
        if key.count <= shortKeyLimit {
            try txn.put(db, key: key, value: entry.encoded)
            return
        }
        let bucket = bucketKey(key)
        let remainder = Array(key[shortKeyLimit...])
        var items = try txn.withValue(db, key: bucket) { try $0.map(decodeBucket) ?? [] }
        let position = items.partitioningIndex { !$0.remainder.lexicographicallyPrecedes(remainder) }
        if position < items.count, items[position].remainder == remainder {
            items[position].entry = entry
        } else {
            items.insert(BucketItem(remainder: remainder, entry: entry), at: position)
        }
        try txn.put(db, key: bucket, value: encodeBucket(items))
    }

    /// Removes `key` from the index.
    static func remove(_ txn: borrowing WriteTransaction, _ db: Database, key: [UInt8]) throws {
        if key.count <= shortKeyLimit {
            try txn.delete(db, key: key)
            return
        }
        let bucket = bucketKey(key)
        let remainder = Array(key[shortKeyLimit...])
        var items = try txn.withValue(db, key: bucket) { try $0.map(decodeBucket) ?? [] }
        items.removeAll { $0.remainder == remainder }
        if items.isEmpty {
            try txn.delete(db, key: bucket)
        } else {
            try txn.put(db, key: bucket, value: encodeBucket(items))
        }
    }

    /// Visits the indexed keys in [start, end) in key order until `visit` returns false.
    static func scan<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ db: Database, from start: [UInt8], end: RangeEnd,
        _ visit: ([UInt8], IndexEntry) throws -> Bool
    ) throws {
        switch end {
        case .single:
            if let entry = try get(txn, db, key: start) { _ = try visit(start, entry) }
            return
        case .before(let limit):
            if !start.lexicographicallyPrecedes(limit) { return }
        case .unbounded:
            break
        }
        let seekKey = start.count <= shortKeyLimit ? start : bucketKey(start)
        try txn.withCursor(db) { cursor in
            var current = try cursor.seek(seekKey)
            while let (k, v) = current {
                if k.count <= shortKeyLimit {
                    let key = Array(k)
                    if case .before(let limit) = end, !key.lexicographicallyPrecedes(limit) { return }
                    guard let entry = IndexEntry(bytes: v) else { throw MVCCError.corrupt("index entry") }
                    if try !visit(key, entry) { return }
                } else {
                    let prefix = Array(k[0..<shortKeyLimit])
                    for item in try decodeBucket(v) {
                        let key = prefix + item.remainder
                        if key.lexicographicallyPrecedes(start) { continue }
                        if case .before(let limit) = end, !key.lexicographicallyPrecedes(limit) { return }
                        if try !visit(key, item.entry) { return }
                    }
                }
                current = try cursor.next()
            }
        }
    }
}

extension Array {
    /// The first index whose element satisfies `belongsInSecondPartition` (the array must be
    /// partitioned by it).
    func partitioningIndex(where belongsInSecondPartition: (Element) throws -> Bool) rethrows -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if try belongsInSecondPartition(self[mid]) {
                high = mid
            } else {
                low = mid + 1
            }
        }
        return low
    }
}
