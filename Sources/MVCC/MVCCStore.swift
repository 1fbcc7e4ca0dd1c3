import Foundation
import LMDB

/// A revisioned key-value store with etcd 3.4 mvcc semantics, kept in one LMDB environment.
///
/// Writes arrive in batches (`apply(_:index:)`): one LMDB write transaction per batch, recording
/// the applied index with the state it produced, so replay after a crash is exact. Reads
/// (`range`, `hashKV`, lease queries) run in LMDB read transactions, concurrently with writes, and
/// see the state as of the last committed batch.
///
/// Layout (all in one environment; see docs/storage.md):
/// - `rev`: revision (16 bytes) -> flags (1) + previous revision of the same key (16) + the
///   protobuf-encoded `mvccpb.KeyValue` as etcd stores it;
/// - `index`: user key -> latest revision (long keys in buckets, see `KeyIndex`), persistent, so
///   opening never rescans history (etcd rebuilds its index in memory at start);
/// - `lease`: lease ID -> TTL; `leasekeys`: lease ID + revision of an attached key's latest put;
/// - `meta`: applied index, current and compact revision, compaction progress, caller metadata.
///
/// Open a directory with at most one `MVCCStore` at a time per process (LMDB's rule); release the
/// old instance before reopening.
public final class MVCCStore: Sendable {
    /// Limits and storage options.
    public struct Configuration: Sendable {
        /// Longest compare/success/failure list of a txn (etcd `--max-txn-ops`, default 128).
        public var maxTxnOps: Int
        /// Largest request, measured as its protobuf encoding (etcd `--max-request-bytes`,
        /// default 1.5 MiB, which etcd measures on the Raft entry).
        public var maxRequestBytes: Int
        /// LMDB options (initial map size, sync behaviour).
        public var environment: Environment.Options
        /// nil (default): a compaction removes the old data within its own batch. A number: the
        /// compaction only takes effect logically, and every later batch removes the data of at
        /// most this many old revisions (etcd removes it in the background in batches of 1000),
        /// so that compacting a large store does not stall one batch; `compactPending(limit:)`
        /// drains it on demand. Reads and HashKV answer the same either way.
        public var compactionSliceRevisions: Int? = nil
        /// Compaction walks the whole key index when (revisions since the last compaction) x this
        /// factor >= the key count, else only the keys written since; tests force either path.
        var fullScanFactor: Int64 = 4

        /// Creates a configuration with etcd's defaults.
        public init(
            maxTxnOps: Int = 128, maxRequestBytes: Int = 1_572_864,
            environment: Environment.Options = Environment.Options(mapSize: 64 << 20, maxDatabases: 8)
        ) {
            self.maxTxnOps = maxTxnOps
            self.maxRequestBytes = maxRequestBytes
            self.environment = environment
        }
    }

    /// The store's bookkeeping as of the last committed batch.
    public struct State: Hashable, Sendable {
        /// Index of the last applied batch (0 when none).
        public var appliedIndex: UInt64
        /// The current store revision (1 for a new store, as in etcd).
        public var currentRevision: Int64
        /// The compact revision (-1 when never compacted, as in etcd).
        public var compactRevision: Int64
    }

    struct Databases: Sendable {
        var rev: Database
        var index: Database
        var lease: Database
        var leaseKeys: Database
        var meta: Database
    }

    /// The LMDB environment (for snapshots via `Environment.copy` and size reporting).
    public let environment: Environment
    /// The limits in force.
    public let configuration: Configuration
    let dbs: Databases

    static let metaApplied: [UInt8] = Array("applied_index".utf8)
    static let metaCurrent: [UInt8] = Array("current_revision".utf8)
    static let metaCompact: [UInt8] = Array("compact_revision".utf8)

    /// Opens (creating if needed) the store in directory `path`. Opening reads only the meta
    /// records: its cost does not depend on the number of keys.
    public init(path: String, configuration: Configuration = Configuration()) throws(MVCCError) {
        self.configuration = configuration
        do {
            var options = configuration.environment
            options.maxDatabases = max(options.maxDatabases, 8)
            environment = try Environment(path: path, options: options)
            dbs = Databases(
                rev: try environment.openDatabase("rev"),
                index: try environment.openDatabase("index"),
                lease: try environment.openDatabase("lease"),
                leaseKeys: try environment.openDatabase("leasekeys"),
                meta: try environment.openDatabase("meta"))
        } catch let error as LMDBError {
            throw .storage(error)
        } catch {
            throw .corrupt("\(error)")
        }
    }

    /// Applied index, current and compact revision, as committed.
    public func state() throws(MVCCError) -> State {
        try reading { txn in try Self.readState(txn, dbs) }
    }

    static func readState<T: ReadableTransaction & ~Copyable>(_ txn: borrowing T, _ dbs: Databases) throws -> State {
        func int(_ key: [UInt8]) throws -> Int64? {
            try txn.withValue(dbs.meta, key: key) { value in
                guard let value else { return nil }
                guard value.count == 8 else { throw MVCCError.corrupt("meta") }
                return Int64(bitPattern: UInt64(bigEndian: value.loadUnaligned(as: UInt64.self)))
            }
        }
        return State(
            appliedIndex: UInt64(bitPattern: try int(metaApplied) ?? 0),
            currentRevision: try int(metaCurrent) ?? 1,
            compactRevision: try int(metaCompact) ?? -1)
    }

    static func writeState(_ txn: borrowing WriteTransaction, _ dbs: Databases, _ state: State) throws {
        func put(_ key: [UInt8], _ value: Int64) throws {
            try txn.put(dbs.meta, key: key, value: withUnsafeBytes(of: UInt64(bitPattern: value).bigEndian, Array.init))
        }
        try put(metaApplied, Int64(bitPattern: state.appliedIndex))
        try put(metaCurrent, state.currentRevision)
        try put(metaCompact, state.compactRevision)
    }

    /// Runs `body` in a write transaction (committed when it returns), mapping storage errors to
    /// `MVCCError`.
    func writing<R>(_ body: (borrowing WriteTransaction) throws -> R) throws(MVCCError) -> R {
        do {
            return try environment.write(body)
        } catch let error as MVCCError {
            throw error
        } catch let error as LMDBError {
            throw .storage(error)
        } catch {
            throw .corrupt("\(error)")
        }
    }

    /// Runs `body` in a read transaction, mapping storage errors to `MVCCError`.
    func reading<R>(_ body: (borrowing ReadTransaction) throws -> R) throws(MVCCError) -> R {
        do {
            return try environment.read(body)
        } catch let error as MVCCError {
            throw error
        } catch let error as LMDBError {
            throw .storage(error)
        } catch {
            throw .corrupt("\(error)")
        }
    }

    // MARK: Records

    /// A decoded `rev` record.
    struct Record {
        var tombstone: Bool
        var previous: Revision?
        var kv: KeyValue
    }

    static func encodeRecord(tombstone: Bool, previous: Revision?, kv: KeyValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(17 + kv.protobufSize)
        out.append(tombstone ? 1 : 0)
        out += (previous ?? Revision(main: 0, sub: 0)).bytes
        if tombstone {
            // etcd stores a tombstone as KeyValue{Key} alone.
            KeyValue(key: kv.key).appendProtobuf(to: &out)
        } else {
            kv.appendProtobuf(to: &out)
        }
        return out
    }

    static func decodeRecord(
        _ bytes: UnsafeRawBufferPointer, revision: Revision, skipValue: Bool = false
    ) throws
        -> Record
    {
        guard bytes.count >= 17, let previous = Revision(bytes: UnsafeRawBufferPointer(rebasing: bytes[1..<17])),
            var kv = KeyValue(protobuf: UnsafeRawBufferPointer(rebasing: bytes[17...]), skipValue: skipValue)
        else { throw MVCCError.corrupt("revision \(revision)") }
        let tombstone = bytes[0] != 0
        if tombstone { kv.modRevision = revision.main }
        return Record(tombstone: tombstone, previous: previous.main == 0 ? nil : previous, kv: kv)
    }

    static func record<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, at revision: Revision, skipValue: Bool = false
    ) throws -> Record? {
        try txn.withValue(dbs.rev, key: revision.bytes) { value in
            try value.map { try decodeRecord($0, revision: revision, skipValue: skipValue) }
        }
    }

    /// The revision holding `key`'s state at store revision `atRevision` (nil if the key did not
    /// exist then). Walks the key's chain of previous revisions back from its latest; the chain
    /// ends at the compacted boundary, below which no read is allowed.
    static func revision<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, of entry: IndexEntry, atRevision: Int64
    ) throws -> Revision? {
        var current = entry.latest
        var tombstone = entry.tombstone
        var currentRecord: Record? = nil
        while current.main > atRevision {
            guard let record = try currentRecord ?? record(txn, dbs, at: current, skipValue: true),
                let previous = record.previous,
                let older = try Self.record(txn, dbs, at: previous, skipValue: true)
            else { return nil }
            current = previous
            tombstone = older.tombstone
            currentRecord = older
        }
        return tombstone ? nil : current
    }

    /// The live kv of `key` at the latest revision (within a write: including the batch's writes).
    static func latest<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, key: [UInt8]
    ) throws
        -> (entry: IndexEntry, kv: KeyValue)?
    {
        guard let entry = try KeyIndex.get(txn, dbs.index, key: key), !entry.tombstone,
            let record = try record(txn, dbs, at: entry.latest)
        else { return nil }
        return (entry, record.kv)
    }
}
