import LMDB

extension MVCCStore {
    /// Physical compaction progress, apart from the logical compact revision (which takes effect
    /// at once: reads below it fail from the batch that compacted).
    struct CompactionProgress: Equatable {
        /// Physical compaction is complete up to this revision (-1: never compacted).
        var done: Int64
        /// Where the pending pass continues in the `rev` database; nil when none is pending.
        var cursor: Revision?
    }

    static let metaPhysical: [UInt8] = Array("compact_physical".utf8)
    static let metaCursor: [UInt8] = Array("compact_cursor".utf8)

    static func readProgress<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases
    ) throws
        -> CompactionProgress
    {
        let done = try txn.withValue(dbs.meta, key: metaPhysical) { value -> Int64 in
            guard let value, value.count == 8 else { return -1 }
            return Int64(bitPattern: UInt64(bigEndian: value.loadUnaligned(as: UInt64.self)))
        }
        let cursor = try txn.withValue(dbs.meta, key: metaCursor) { $0.flatMap { Revision(bytes: $0) } }
        return CompactionProgress(done: done, cursor: cursor)
    }

    static func writeProgress(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, _ progress: CompactionProgress
    )
        throws
    {
        try txn.put(
            dbs.meta, key: metaPhysical,
            value: withUnsafeBytes(of: UInt64(bitPattern: progress.done).bigEndian, Array.init))
        if let cursor = progress.cursor {
            try txn.put(dbs.meta, key: metaCursor, value: cursor.bytes)
        } else {
            try txn.delete(dbs.meta, key: metaCursor)
        }
    }

    /// etcd's `store.Compact`: for every key keep only its newest revision at or below `revision`
    /// (dropped too if that is a tombstone) and everything newer. The compact revision takes effect
    /// at once. With `sliceLimit` nil the physical removal happens here, in full; otherwise it is
    /// left pending and done in slices by `compactSlice` (etcd also removes the data in the
    /// background, in batches, so that a compaction does not stall the applier).
    static func compact(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, to revision: Int64, _ state: inout State,
        fullScanFactor: Int64 = 4, sliceLimit: Int? = nil
    ) throws {
        // updateCompactRev: at or below the current compact revision is "compacted" (also when
        // repeated), above the current revision is "future".
        if revision <= state.compactRevision { throw MVCCError.compacted }
        if revision > state.currentRevision { throw MVCCError.futureRevision }
        state.compactRevision = revision

        var progress = try readProgress(txn, dbs)
        // A pending pass simply continues towards the new target: the keys it already visited
        // either have revisions beyond its cursor (visited again later) or are already done.
        let since = max(progress.done, 0)
        if progress.cursor == nil { progress.cursor = Revision(main: since + 1, sub: 0) }
        if sliceLimit == nil {
            try compactAll(txn, dbs, since: since, to: revision, fullScanFactor: fullScanFactor)
            progress = CompactionProgress(done: revision, cursor: nil)
        }
        try writeProgress(txn, dbs, progress)
    }

    /// Removes everything the compaction to `revision` drops, in one go.
    static func compactAll(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, since: Int64, to revision: Int64, fullScanFactor: Int64
    ) throws {
        // Only keys written since the previous compaction can have revisions to drop: any other
        // key's stored revisions are just the one kept last time, still its newest at or below
        // `revision`. So collect those keys from the history since the last compaction (in
        // revision order, which keeps the work deterministic), unless that history is large
        // compared with the key count: then one pass over the whole index is cheaper and needs
        // no per-key memory.
        var doomed: [Revision] = []
        var deadKeys: [[UInt8]] = []
        let keyCount = try txn.statistics(dbs.index).entries
        if (revision - since).multipliedReportingOverflow(by: fullScanFactor).partialValue >= Int64(keyCount) {
            try KeyIndex.scan(txn, dbs.index, from: [0], end: .unbounded) { key, entry in
                try compactKey(txn, dbs, key, entry, to: revision, &doomed, &deadKeys)
                return true
            }
        } else {
            let (touched, _) = try keysWritten(txn, dbs, from: Revision(main: since + 1, sub: 0), through: revision)
            for key in touched {
                guard let entry = try KeyIndex.get(txn, dbs.index, key: key) else { continue }
                try compactKey(txn, dbs, key, entry, to: revision, &doomed, &deadKeys)
            }
        }
        try remove(txn, dbs, doomed, deadKeys)
    }

    /// The distinct keys of the revisions from `start` up to main revision `through`, in revision
    /// order, at most `limit` revisions; also where the scan stopped (nil: it reached `through`).
    static func keysWritten(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, from start: Revision, through: Int64,
        limit: Int = .max
    ) throws -> (keys: [[UInt8]], stoppedAt: Revision?) {
        var seen = Set<[UInt8]>()
        var keys: [[UInt8]] = []
        var stoppedAt: Revision? = nil
        var scanned = 0
        try txn.withCursor(dbs.rev) { cursor in
            var entry = try cursor.seek(start.bytes)
            while let (k, v) = entry {
                guard let rev = Revision(bytes: k) else { throw MVCCError.corrupt("revision key") }
                if rev.main > through { return }
                if scanned == limit {
                    stoppedAt = rev
                    return
                }
                scanned += 1
                let key = try decodeRecord(v, revision: rev, skipValue: true).kv.key
                if seen.insert(key).inserted { keys.append(key) }
                entry = try cursor.next()
            }
        }
        return (keys, stoppedAt)
    }

    static func remove(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, _ doomed: [Revision], _ deadKeys: [[UInt8]]
    ) throws {
        for rev in doomed {
            try txn.delete(dbs.rev, key: rev.bytes)
        }
        // A key whose newest revision was a compacted tombstone leaves the index.
        for key in deadKeys {
            try KeyIndex.remove(txn, dbs.index, key: key)
        }
    }

    /// Runs up to `limit` revisions of a pending physical compaction; returns true when none is
    /// left. Logical state (and so every read and HashKV) is the same before and after.
    static func compactSlice(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, compactRevision: Int64, limit: Int
    )
        throws -> Bool
    {
        var progress = try readProgress(txn, dbs)
        guard let cursor = progress.cursor else { return true }
        let (touched, stoppedAt) = try keysWritten(
            txn, dbs, from: cursor, through: compactRevision, limit: max(limit, 1))
        var doomed: [Revision] = []
        var deadKeys: [[UInt8]] = []
        for key in touched {
            guard let entry = try KeyIndex.get(txn, dbs.index, key: key) else { continue }
            try compactKey(txn, dbs, key, entry, to: compactRevision, &doomed, &deadKeys)
        }
        try remove(txn, dbs, doomed, deadKeys)
        progress =
            stoppedAt.map { CompactionProgress(done: progress.done, cursor: $0) }
            ?? CompactionProgress(done: compactRevision, cursor: nil)
        try writeProgress(txn, dbs, progress)
        return stoppedAt == nil
    }

    /// Whether the revision `rev` (with decoded `record`), at or below the compact revision, is one
    /// that compaction keeps: the live newest state of its key at the compact revision. Reads of
    /// leftovers of a pending compaction use it so that they answer as if it had finished.
    static func survivesCompaction<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, _ rev: Revision, _ record: Record, compactRevision: Int64
    ) throws -> Bool {
        if record.tombstone { return false }
        guard let entry = try KeyIndex.get(txn, dbs.index, key: record.kv.key) else { return false }
        return try revision(txn, dbs, of: entry, atRevision: compactRevision) == rev
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

            // A pending compaction's leftovers count as removed (etcd skips revisions "scheduled
            // for deletion" the same way), so the hash does not depend on its progress.
            var survivors = Set<Revision>()
            let pending = try Self.readProgress(txn, dbs).cursor != nil
            if pending {
                try KeyIndex.scan(txn, dbs.index, from: [0], end: .unbounded) { _, entry in
                    if let rev = try Self.revision(txn, dbs, of: entry, atRevision: state.compactRevision) {
                        survivors.insert(rev)
                    }
                    return true
                }
            }

            var crc = CRC32C()
            crc.update(Array("key".utf8))
            try txn.withCursor(dbs.rev) { cursor in
                var entry = try cursor.first()
                while let (k, v) = entry {
                    guard let rev = Revision(bytes: k), v.count >= 17 else { throw MVCCError.corrupt("revision") }
                    if rev.main > atRevision { return }
                    let leftover = pending && rev.main <= state.compactRevision && !survivors.contains(rev)
                    if !leftover && (rev.main > state.compactRevision || keep.isEmpty || keep.contains(rev)) {
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
