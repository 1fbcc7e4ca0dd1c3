import CLMDB
import Foundation

/// An LMDB environment: one memory-mapped file holding one or more named databases.
///
/// Transactions exist only inside the closures of `read(_:)` and `write(_:)`, so none can leak.
/// Writers are serialized by a lock held for the whole write closure; readers run concurrently with
/// each other and with the writer, from any thread (the environment is always opened with
/// `MDB_NOTLS`, so a read transaction is not tied to the thread that began it; Swift concurrency
/// hops threads).
///
/// When a write fills the map, the transaction is aborted, the map size doubled and the write
/// closure run again from the start against a fresh transaction. Write closures must therefore be
/// free of side effects outside the transaction, or tolerate being rerun.
///
/// `write` is not re-entrant. Do not call `write` from inside a `read` closure: growing the map waits for every open read
/// transaction of this process to end. Open an environment at most once per process at a time
/// (an LMDB rule): close (release) the old instance before opening the same path again.
public final class Environment: @unchecked Sendable {
    // @unchecked: `handle` is immutable after init and LMDB is thread-safe under MDB_NOTLS;
    // `currentMapSize` is only touched under `writerLock`, `growths` under `statsLock`, and resizes
    // exclude readers via `gate`.

    /// Options for opening an environment.
    public struct Options: Sendable {
        /// Initial size of the memory map in bytes; it grows on demand (doubling).
        public var mapSize: Int
        /// Maximum number of named databases.
        public var maxDatabases: UInt32
        /// Maximum number of concurrent read transactions (across processes).
        public var maxReaders: UInt32
        /// Do not fsync on commit (`MDB_NOSYNC`): commits may be lost on power failure (not on a crash
        /// of the process alone).
        public var noSync: Bool
        /// Do not fsync the meta page on commit (`MDB_NOMETASYNC`): the last commit may be lost on
        /// power failure, but the database stays consistent.
        public var noMetaSync: Bool
        /// Turn off OS read-ahead (`MDB_NORDAHEAD`), good for databases larger than RAM.
        public var noReadAhead: Bool
        /// Use a writable memory map (`MDB_WRITEMAP`); off by default because a stray write through a
        /// bad pointer would then corrupt the database.
        public var writeMap: Bool
        /// File mode for newly created files.
        public var fileMode: mode_t

        /// Creates options; the defaults suit a small store that grows as needed.
        public init(
            mapSize: Int = 64 << 20,
            maxDatabases: UInt32 = 16,
            maxReaders: UInt32 = 126,
            noSync: Bool = false,
            noMetaSync: Bool = false,
            noReadAhead: Bool = false,
            writeMap: Bool = false,
            fileMode: mode_t = 0o644
        ) {
            self.mapSize = mapSize
            self.maxDatabases = maxDatabases
            self.maxReaders = maxReaders
            self.noSync = noSync
            self.noMetaSync = noMetaSync
            self.noReadAhead = noReadAhead
            self.writeMap = writeMap
            self.fileMode = fileMode
        }
    }

    let handle: OpaquePointer
    /// The directory holding `data.mdb` and `lock.mdb`.
    public let path: String
    /// Serializes writers (LMDB allows one write transaction at a time; we queue them here rather
    /// than on LMDB's process-shared mutex so that map growth can happen between attempts).
    private let writerLock = NSLock()
    /// Readers hold it shared; a resize holds it exclusive, because `mdb_env_set_mapsize` requires
    /// that no transaction of this process is active.
    private let gate: UnsafeMutablePointer<pthread_rwlock_t>
    /// Current map size, guarded by `writerLock` (resizes happen only inside `write`).
    private var currentMapSize: Int
    /// Map growths since opening, guarded by `statsLock` (read from any thread).
    private var growths = 0
    private let statsLock = NSLock()

    /// How many times the map has grown since opening (for tests and monitoring).
    public var mapGrowthCount: Int {
        statsLock.withLock { growths }
    }

    /// Opens (creating if needed) the environment in directory `path`.
    public init(path: String, options: Options = Options()) throws(LMDBError) {
        try makeDirectory(path)
        var env: OpaquePointer?
        try check(mdb_env_create(&env))
        guard let env else { throw LMDBError.invalid }
        do {
            try check(mdb_env_set_mapsize(env, options.mapSize))
            try check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)))
            try check(mdb_env_set_maxreaders(env, options.maxReaders))
            var flags = UInt32(MDB_NOTLS)
            if options.noSync { flags |= UInt32(MDB_NOSYNC) }
            if options.noMetaSync { flags |= UInt32(MDB_NOMETASYNC) }
            if options.noReadAhead { flags |= UInt32(MDB_NORDAHEAD) }
            if options.writeMap { flags |= UInt32(MDB_WRITEMAP) }
            try check(mdb_env_open(env, path, flags, options.fileMode))
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.handle = env
        self.path = path
        self.gate = .allocate(capacity: 1)
        pthread_rwlock_init(gate, nil)
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        self.currentMapSize = info.me_mapsize
    }

    deinit {
        mdb_env_close(handle)
        pthread_rwlock_destroy(gate)
        gate.deallocate()
    }

    /// The largest key LMDB accepts in this build (`MDB_MAXKEYSIZE`, 511 on Debian); also the
    /// largest value in a DUPSORT database.
    public var maxKeySize: Int {
        Int(mdb_env_get_maxkeysize(handle))
    }

    /// Runs `body` in a read-only transaction that sees a consistent snapshot of the database as of
    /// its start, concurrently with the writer and other readers. The transaction ends (is aborted,
    /// which for a reader just releases its snapshot) when `body` returns or throws. Beginning it
    /// fails with `LMDBError.readersFull` when every reader slot is taken.
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        pthread_rwlock_rdlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        var txn: OpaquePointer?
        try check(mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn))
        defer { mdb_txn_abort(txn) }
        return try body(ReadTransaction(pointer: txn!))
    }

    /// Runs `body` in a write transaction and commits it if `body` returns; aborts it if `body`
    /// throws (nothing it wrote becomes visible). Writers run one at a time.
    ///
    /// If the map fills up (during `body` or at commit), the transaction is aborted, the map
    /// doubled, and `body` runs again in a new transaction.
    public func write<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        writerLock.lock()
        defer { writerLock.unlock() }
        while true {
            var txn: OpaquePointer?
            try check(mdb_txn_begin(handle, nil, 0, &txn))
            let transaction = WriteTransaction(pointer: txn!)
            let result: R
            do {
                result = try body(transaction)
            } catch LMDBError.mapFull {
                mdb_txn_abort(txn)
                try grow()
                continue
            } catch {
                mdb_txn_abort(txn)
                throw error
            }
            let rc = mdb_txn_commit(txn)  // frees the transaction whether or not it succeeds
            if rc == MDB_MAP_FULL {
                try grow()
                continue
            }
            try check(rc)
            return result
        }
    }

    /// Doubles the map. Called with `writerLock` held and no write transaction open; waits for
    /// every reader of this process to finish, as `mdb_env_set_mapsize` requires.
    private func grow() throws(LMDBError) {
        pthread_rwlock_wrlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        let newSize = currentMapSize * 2
        try check(mdb_env_set_mapsize(handle, newSize))
        currentMapSize = newSize
        statsLock.withLock { growths += 1 }
    }

    /// Opens (or, with `create`, creates) the named database `name` (nil: the unnamed main
    /// database). The handle stays valid for the life of the environment.
    public func openDatabase(
        _ name: String?, flags: Database.Flags = [], create: Bool = true
    ) throws -> Database {
        try write { txn in
            var dbi = MDB_dbi()
            var raw = flags.rawValue
            if create { raw |= UInt32(MDB_CREATE) }
            try check(mdb_dbi_open(txn.pointer, name, raw, &dbi))
            return Database(handle: dbi, flags: flags)
        }
    }

    /// Writes a consistent copy of the environment into the (existing, empty) directory `path`,
    /// from a read snapshot: writers are not blocked. `compact` omits free pages and renumbers
    /// pages (`MDB_CP_COMPACT`), which is slower but yields a smaller file.
    public func copy(to path: String, compact: Bool = false) throws(LMDBError) {
        try makeDirectory(path)
        pthread_rwlock_rdlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        try check(mdb_env_copy2(handle, path, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }

    /// Writes a consistent copy of the data file (what `copy(to:)` puts in `data.mdb`) to an open
    /// file descriptor, e.g. a pipe or socket for streaming a snapshot; writers are not blocked.
    /// The descriptor is not closed.
    public func copy(toFileDescriptor fd: Int32, compact: Bool = false) throws(LMDBError) {
        pthread_rwlock_rdlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        try check(mdb_env_copyfd2(handle, fd, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }

    /// Flushes the data buffers to disk; needed only with `noSync`/`noMetaSync` (`force`: even
    /// when `noSync` is set).
    public func sync(force: Bool = true) throws(LMDBError) {
        try check(mdb_env_sync(handle, force ? 1 : 0))
    }

    /// Environment-wide figures: map size, last used page, last committed transaction, readers.
    public var info: EnvironmentInfo {
        var raw = MDB_envinfo()
        mdb_env_info(handle, &raw)
        var stat = MDB_stat()
        mdb_env_stat(handle, &stat)
        return EnvironmentInfo(
            mapSize: raw.me_mapsize,
            lastPageNumber: raw.me_last_pgno,
            lastTransactionID: raw.me_last_txnid,
            maxReaders: Int(raw.me_maxreaders),
            readersInUse: Int(raw.me_numreaders),
            pageSize: Int(stat.ms_psize))
    }
}

/// Creates `path` and any missing parents (mode 0755), reporting the failing `errno`.
func makeDirectory(_ path: String) throws(LMDBError) {
    var prefix = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
        prefix += "/" + component
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
            throw LMDBError.system(errno)
        }
    }
}
