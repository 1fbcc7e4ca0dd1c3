import CLMDB

/// An error reported by LMDB, carrying LMDB's return code and its `mdb_strerror` text.
///
/// `MDB_NOTFOUND` from a lookup or cursor move is not an error: those return `nil` instead.
public enum LMDBError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The key/data pair already exists (`MDB_KEYEXIST`).
    case keyExists
    /// Not found (`MDB_NOTFOUND`), where a nil result is not possible, e.g. opening a missing
    /// database without `create`.
    case notFound
    /// A page was not found; the database is corrupted (`MDB_PAGE_NOTFOUND`).
    case pageNotFound
    /// The located page was the wrong type (`MDB_CORRUPTED`).
    case corrupted
    /// Update of the meta page failed or the environment had a fatal error (`MDB_PANIC`).
    case panic
    /// The environment was written by an incompatible LMDB version (`MDB_VERSION_MISMATCH`).
    case versionMismatch
    /// The file is not a valid LMDB file (`MDB_INVALID`).
    case invalid
    /// The map is full (`MDB_MAP_FULL`); `Environment.write` grows the map and retries on its own.
    case mapFull
    /// Too many named databases for the environment's `maxDatabases` (`MDB_DBS_FULL`).
    case databasesFull
    /// Too many concurrent readers for the environment's `maxReaders` (`MDB_READERS_FULL`).
    case readersFull
    /// The transaction has too many dirty pages (`MDB_TXN_FULL`).
    case transactionFull
    /// Cursor stack too deep (`MDB_CURSOR_FULL`).
    case cursorFull
    /// Page has not enough space (`MDB_PAGE_FULL`).
    case pageFull
    /// Another process grew the map beyond this process's mapping (`MDB_MAP_RESIZED`).
    case mapResized
    /// The operation is incompatible with the database flags (`MDB_INCOMPATIBLE`).
    case incompatible
    /// Invalid reuse of a reader lock table slot (`MDB_BAD_RSLOT`).
    case badReaderSlot
    /// The transaction must abort, has a child, or is invalid (`MDB_BAD_TXN`).
    case badTransaction
    /// A key is empty or longer than `Environment.maxKeySize`, or a DUPSORT value is too long
    /// (`MDB_BAD_VALSIZE`).
    case badValueSize
    /// The database handle changed unexpectedly (`MDB_BAD_DBI`).
    case badDatabase
    /// An operating-system error (`errno`), e.g. `ENOENT`, `EACCES`, `ENOSPC`.
    case system(Int32)

    /// Maps an LMDB return code (not `MDB_SUCCESS`, not `MDB_NOTFOUND`) to an error.
    init(code: Int32) {
        switch code {
        case MDB_KEYEXIST: self = .keyExists
        case MDB_NOTFOUND: self = .notFound
        case MDB_PAGE_NOTFOUND: self = .pageNotFound
        case MDB_CORRUPTED: self = .corrupted
        case MDB_PANIC: self = .panic
        case MDB_VERSION_MISMATCH: self = .versionMismatch
        case MDB_INVALID: self = .invalid
        case MDB_MAP_FULL: self = .mapFull
        case MDB_DBS_FULL: self = .databasesFull
        case MDB_READERS_FULL: self = .readersFull
        case MDB_TXN_FULL: self = .transactionFull
        case MDB_CURSOR_FULL: self = .cursorFull
        case MDB_PAGE_FULL: self = .pageFull
        case MDB_MAP_RESIZED: self = .mapResized
        case MDB_INCOMPATIBLE: self = .incompatible
        case MDB_BAD_RSLOT: self = .badReaderSlot
        case MDB_BAD_TXN: self = .badTransaction
        case MDB_BAD_VALSIZE: self = .badValueSize
        case MDB_BAD_DBI: self = .badDatabase
        default: self = .system(code)
        }
    }

    /// LMDB's numeric return code for this error (an `errno` value for `.system`).
    public var code: Int32 {
        switch self {
        case .keyExists: return MDB_KEYEXIST
        case .notFound: return MDB_NOTFOUND
        case .pageNotFound: return MDB_PAGE_NOTFOUND
        case .corrupted: return MDB_CORRUPTED
        case .panic: return MDB_PANIC
        case .versionMismatch: return MDB_VERSION_MISMATCH
        case .invalid: return MDB_INVALID
        case .mapFull: return MDB_MAP_FULL
        case .databasesFull: return MDB_DBS_FULL
        case .readersFull: return MDB_READERS_FULL
        case .transactionFull: return MDB_TXN_FULL
        case .cursorFull: return MDB_CURSOR_FULL
        case .pageFull: return MDB_PAGE_FULL
        case .mapResized: return MDB_MAP_RESIZED
        case .incompatible: return MDB_INCOMPATIBLE
        case .badReaderSlot: return MDB_BAD_RSLOT
        case .badTransaction: return MDB_BAD_TXN
        case .badValueSize: return MDB_BAD_VALSIZE
        case .badDatabase: return MDB_BAD_DBI
        case .system(let errno): return errno
        }
    }

    /// LMDB's own description of the error (`mdb_strerror`).
    public var message: String {
        String(cString: mdb_strerror(code))
    }

    /// The code and LMDB's message, e.g. `LMDB error -30792: MDB_MAP_FULL: Environment mapsize limit reached`.
    public var description: String {
        "LMDB error \(code): \(message)"
    }
}

/// Throws `LMDBError` for any return code other than `MDB_SUCCESS`.
@inline(__always)
func check(_ code: Int32) throws(LMDBError) {
    if code != MDB_SUCCESS {
        throw LMDBError(code: code)
    }
}
