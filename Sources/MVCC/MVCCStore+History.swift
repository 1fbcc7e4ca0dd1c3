import Foundation
import LMDB

/// Changes read back from history, for watchers catching up (etcd's unsynced watchers).
public struct HistoryBatch: Hashable, Sendable {
    /// The events, in revision order (and op order within a revision).
    public var events: [Event]
    /// The last revision covered by this batch: continue from `throughRevision + 1`.
    public var throughRevision: Int64
    /// The store revision when the batch was read (a catch-up response's `header.revision`).
    public var currentRevision: Int64
}

/// Sizes of the database file, for Status (`dbSize`, `dbSizeInUse`).
public struct DatabaseSize: Hashable, Sendable {
    /// Bytes of the data file on disk.
    public var fileBytes: Int
    /// Bytes of the data file in use by pages (LMDB reuses freed pages before growing).
    public var inUseBytes: Int
    /// The current memory map size, the file's upper bound until the map grows again.
    public var mapBytes: Int
}

extension MVCCStore {
    /// The events of revisions `from...` (at most `maxRevisions` revisions; a revision's events are
    /// never split), each with its `prevKV` when the previous state still exists (etcd omits it
    /// when the previous revision was compacted, and for creations).
    ///
    /// Fails with `compacted` when `from` is below the compact revision (etcd cancels such a
    /// watcher with `compact_revision`).
    public func history(from: Int64, maxRevisions: Int = 1000) throws(MVCCError) -> HistoryBatch {
        try reading { txn in
            let state = try Self.readState(txn, dbs)
            if from < state.compactRevision { throw MVCCError.compacted }
            var events: [Event] = []
            var through = max(from - 1, 0)
            var revisions = 0
            try txn.withCursor(dbs.rev) { cursor in
                var entry = try cursor.seek(Revision(main: max(from, 0), sub: 0).bytes)
                while let (k, v) = entry {
                    guard let rev = Revision(bytes: k) else { throw MVCCError.corrupt("revision key") }
                    if rev.main != through {
                        if revisions == maxRevisions { return }
                        revisions += 1
                        through = rev.main
                    }
                    let record = try Self.decodeRecord(v, revision: rev)
                    // Leftovers of a pending compaction read as removed.
                    if rev.main <= state.compactRevision {
                        let kept = try Self.survivesCompaction(
                            txn, dbs, rev, record, compactRevision: state.compactRevision)
                        if !kept {
                            entry = try cursor.next()
                            continue
                        }
                    }
                    var previous: KeyValue? = nil
                    if let prior = record.previous, let old = try Self.record(txn, dbs, at: prior), !old.tombstone {
                        previous = old.kv
                        if prior.main <= state.compactRevision {
                            let kept = try Self.survivesCompaction(
                                txn, dbs, prior, old, compactRevision: state.compactRevision)
                            if !kept { previous = nil }
                        }
                    }
                    events.append(Event(kind: record.tombstone ? .delete : .put, kv: record.kv, prevKV: previous))
                    entry = try cursor.next()
                }
                through = max(from - 1, state.currentRevision)
            }
            return HistoryBatch(events: events, throughRevision: through, currentRevision: state.currentRevision)
        }
    }

    /// The database file size and the part in use (etcd Status `dbSize` / `dbSizeInUse`).
    public func databaseSize() -> DatabaseSize {
        let info = environment.info
        let attributes = try? FileManager.default.attributesOfItem(atPath: environment.path + "/data.mdb")
        let fileBytes = (attributes?[.size] as? NSNumber)?.intValue ?? info.usedBytes
        return DatabaseSize(fileBytes: fileBytes, inUseBytes: info.usedBytes, mapBytes: info.mapSize)
    }
}
