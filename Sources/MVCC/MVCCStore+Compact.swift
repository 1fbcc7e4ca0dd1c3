import LMDB

extension MVCCStore {
    /// etcd's `store.Compact`, done physically within the batch: for every key keep only its newest
    /// revision at or below `revision` (dropped too if that is a tombstone) and everything newer.
    static func compact(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, to revision: Int64, _ state: inout State,
        fullScanFactor: Int64 = 4
    ) throws {
        // updateCompactRev: at or below the current compact revision is "compacted" (also when
        // repeated), above the current revision is "future".
        if revision <= state.compactRevision { throw MVCCError.compacted }
        if revision > state.currentRevision { throw MVCCError.futureRevision }

        // Only keys written since the previous compaction can have revisions to drop: any other
        // key's stored revisions are just the one kept last time, still its newest at or below
        // `revision`. So collect those keys from the history since the last compaction (in
        // revision order, which keeps the work deterministic), unless that history is large
        // compared with the key count: then one pass over the whole index is cheaper and needs
        // no per-key memory.
        var doomed: [Revision] = []
        var deadKeys: [[UInt8]] = []
        let since = max(state.compactRevision, 0)
        let keyCount = try txn.statistics(dbs.index).entries
        if (revision - since).multipliedReportingOverflow(by: fullScanFactor).partialValue >= Int64(keyCount) {
            try KeyIndex.scan(txn, dbs.index, from: [0], end: .unbounded) { key, entry in
                try compactKey(txn, dbs, key, entry, to: revision, &doomed, &deadKeys)
                return true
            }
        } else {
            var seen = Set<[UInt8]>()
            var touched: [[UInt8]] = []
            try txn.withCursor(dbs.rev) { cursor in
                var entry = try cursor.seek(Revision(main: since + 1, sub: 0).bytes)
                while let (k, v) = entry {
                    guard let rev = Revision(bytes: k) else { throw MVCCError.corrupt("revision key") }
                    if rev.main > revision { break }
                    let key = try decodeRecord(v, revision: rev, skipValue: true).kv.key
                    if seen.insert(key).inserted { touched.append(key) }
                    entry = try cursor.next()
                }
            }
            for key in touched {
                guard let entry = try KeyIndex.get(txn, dbs.index, key: key) else {
                    throw MVCCError.corrupt("key of revision history missing from the index")
                }
                try compactKey(txn, dbs, key, entry, to: revision, &doomed, &deadKeys)
            }
        }
        for rev in doomed {
            try txn.delete(dbs.rev, key: rev.bytes)
        }
        // A key whose newest revision was a compacted tombstone leaves the index.
        for key in deadKeys {
            try KeyIndex.remove(txn, dbs.index, key: key)
        }
        state.compactRevision = revision
    }

    /// Compacts one key: walks its chain of revisions from the latest down to its newest revision
    /// at or below `revision`, which stays unless it is a tombstone; everything older goes. A
    /// key's stored revisions are always a contiguous newest-first part of its chain (compaction
    /// cuts the tail), so the walk ends at the first missing record.
    static func compactKey<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, _ key: [UInt8], _ entry: IndexEntry, to revision: Int64,
        _ doomed: inout [Revision], _ deadKeys: inout [[UInt8]]
    ) throws {
        var current = entry.latest
        var record = try Self.record(txn, dbs, at: current, skipValue: true)
        while current.main > revision {
            guard let newer = record, let previous = newer.previous else { return }
            current = previous
            record = try Self.record(txn, dbs, at: current, skipValue: true)
        }
        guard let kept = record else { return }  // already compacted away
        if kept.tombstone {
            doomed.append(current)
            if entry.latest == current { deadKeys.append(key) }
        }
        var older = kept.previous
        while let rev = older, let gone = try Self.record(txn, dbs, at: rev, skipValue: true) {
            doomed.append(rev)
            older = gone.previous
        }
    }

    /// etcd's `HashKV` (`store.HashByRev`): CRC-32C (Castagnoli) over the bucket name "key" and then,
    /// in revision order, every stored revision key (etcd's 17/18-byte form) and its protobuf
    /// `KeyValue`, up to `revision` (0: current). Revisions at or below the compact revision count
    /// only if they are a key's live state at `revision` (unless no key is live then, as in etcd).
    /// Stores with equal history give equal hashes, and the same hash as etcd.
    public func hashKV(revision: Int64 = 0) throws(MVCCError) -> HashKVResponse {
        try reading { txn in
            let state = try Self.readState(txn, dbs)
            // HashByRev is stricter than Range: the compact revision itself is already "compacted".
            if revision > 0 && revision <= state.compactRevision { throw MVCCError.compacted }
            if revision > 0 && revision > state.currentRevision { throw MVCCError.futureRevision }
            let atRevision = revision == 0 ? state.currentRevision : revision

            var keep = Set<Revision>()
            try KeyIndex.scan(txn, dbs.index, from: [0], end: .unbounded) { _, entry in
                if let rev = try Self.revision(txn, dbs, of: entry, atRevision: atRevision) { keep.insert(rev) }
                return true
            }
            // The empty key cannot be stored, so [0] starts the whole keyspace except keys equal
            // to the empty string; none exist.

            var crc = CRC32C()
            crc.update(Array("key".utf8))
            try txn.withCursor(dbs.rev) { cursor in
                var entry = try cursor.first()
                while let (k, v) = entry {
                    guard let rev = Revision(bytes: k), v.count >= 17 else { throw MVCCError.corrupt("revision") }
                    if rev.main > atRevision { return }
                    if rev.main > state.compactRevision || keep.isEmpty || keep.contains(rev) {
                        crc.update(rev.etcdBytes(tombstone: v[0] != 0))
                        crc.update(UnsafeRawBufferPointer(rebasing: v[17...]))
                    }
                    entry = try cursor.next()
                }
            }
            return HashKVResponse(
                hash: crc.value, compactRevision: state.compactRevision, revision: state.currentRevision)
        }
    }
}
