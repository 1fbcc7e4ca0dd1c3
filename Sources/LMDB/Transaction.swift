import CLMDB
import Glibc

/// Read operations shared by read-only and write transactions.
///
/// Buffers returned by `withValue` point into the memory map: they are valid only inside the
/// closure (and never across a write in the same transaction).
public protocol ReadableTransaction: ~Copyable {
    /// The underlying `MDB_txn`.
    var pointer: OpaquePointer { get }
}

extension ReadableTransaction where Self: ~Copyable {
    /// Calls `body` with the value stored under `key` (without copying it), or with nil if absent.
    public func withValue<R>(
        _ db: Database, key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(pointer, db.handle, &k, &v)
        if rc == MDB_NOTFOUND {
            return try body(nil)
        }
        try check(rc)
        return try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Calls `body` with the value stored under `key` (without copying it), or with nil if absent.
    public func withValue<R>(
        _ db: Database, key: [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try key.withUnsafeBytes { try withValue(db, key: $0, body) }
    }

    /// A copy of the value stored under `key`, or nil if absent.
    public func get(_ db: Database, key: [UInt8]) throws -> [UInt8]? {
        try withValue(db, key: key) { $0.map { Array($0) } }
    }

    /// A copy of the value stored under `key`, or nil if absent.
    public func get(_ db: Database, key: UnsafeRawBufferPointer) throws -> [UInt8]? {
        try withValue(db, key: key) { $0.map { Array($0) } }
    }

    /// Runs `body` with a cursor over `db`; the cursor is closed when `body` returns.
    public func withCursor<R>(_ db: Database, _ body: (borrowing Cursor) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(pointer, db.handle, &cursor))
        defer { mdb_cursor_close(cursor) }
        return try body(Cursor(pointer: cursor!))
    }

    /// Statistics of `db` as seen by this transaction (entries, pages, depth).
    public func statistics(_ db: Database) throws -> DatabaseStatistics {
        var raw = MDB_stat()
        try check(mdb_stat(pointer, db.handle, &raw))
        return DatabaseStatistics(raw)
    }

    /// Visits the pairs with `start <= key < end` (`end` nil: to the last key) in key order until
    /// `body` returns false. Buffers are valid only during the call.
    public func forEach(
        _ db: Database, from start: [UInt8], to end: [UInt8]? = nil,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try withCursor(db) { cursor in
            var entry = start.isEmpty ? try cursor.first() : try cursor.seek(start)
            while let (k, v) = entry {
                if let end, compareBytes(k, end) >= 0 { return }
                if try !body(k, v) { return }
                entry = try cursor.next()
            }
        }
    }
}

/// A read-only transaction, available only inside `Environment.read`.
public struct ReadTransaction: ReadableTransaction, ~Copyable {
    /// The underlying `MDB_txn`.
    public let pointer: OpaquePointer
}

/// A write transaction, available only inside `Environment.write`. Its reads see its own writes.
public struct WriteTransaction: ReadableTransaction, ~Copyable {
    /// The underlying `MDB_txn`.
    public let pointer: OpaquePointer

    /// Stores `value` under `key`, replacing any value (in a DUPSORT database: adding a duplicate).
    /// Throws `LMDBError.badValueSize` for an empty key or one longer than `maxKeySize`.
    public func put(_ db: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try check(mdb_put(pointer, db.handle, &k, &v, 0))
    }

    /// Stores `value` under `key`, replacing any value (in a DUPSORT database: adding a duplicate).
    public func put(_ db: Database, key: [UInt8], value: [UInt8]) throws {
        try key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try put(db, key: k, value: v) } }
    }

    /// Stores `value` under `key` only if `key` is absent (in a DUPSORT database: only if this exact
    /// pair is absent); returns false, writing nothing, otherwise.
    public func insert(_ db: Database, key: [UInt8], value: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { key in
            try value.withUnsafeBytes { value in
                var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
                var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
                let flags = db.flags.contains(.dupSort) ? UInt32(MDB_NODUPDATA) : UInt32(MDB_NOOVERWRITE)
                let rc = mdb_put(pointer, db.handle, &k, &v, flags)
                if rc == MDB_KEYEXIST { return false }
                try check(rc)
                return true
            }
        }
    }

    /// Reserves `count` bytes under `key` and lets `body` fill them in place (`MDB_RESERVE`), saving
    /// a copy of large values. Not for DUPSORT databases.
    public func put(
        _ db: Database, key: UnsafeRawBufferPointer, reserving count: Int,
        _ body: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: count, mv_data: nil)
        try check(mdb_put(pointer, db.handle, &k, &v, UInt32(MDB_RESERVE)))
        try body(UnsafeMutableRawBufferPointer(start: v.mv_data, count: count))
    }

    /// Deletes `key` (in a DUPSORT database: all its values); returns false if it was absent.
    @discardableResult
    public func delete(_ db: Database, key: UnsafeRawBufferPointer) throws -> Bool {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        let rc = mdb_del(pointer, db.handle, &k, nil)
        if rc == MDB_NOTFOUND { return false }
        try check(rc)
        return true
    }

    /// Deletes `key` (in a DUPSORT database: all its values); returns false if it was absent.
    @discardableResult
    public func delete(_ db: Database, key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { try delete(db, key: $0) }
    }

    /// Deletes one value of `key` in a DUPSORT database; returns false if the pair was absent.
    @discardableResult
    public func delete(_ db: Database, key: [UInt8], value: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { key in
            try value.withUnsafeBytes { value in
                var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
                var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
                let rc = mdb_del(pointer, db.handle, &k, &v)
                if rc == MDB_NOTFOUND { return false }
                try check(rc)
                return true
            }
        }
    }

    /// Removes every pair from `db` (the database itself stays).
    public func clear(_ db: Database) throws {
        try check(mdb_drop(pointer, db.handle, 0))
    }
}

/// Byte-wise comparison as LMDB's default key order (memcmp, then length).
@inline(__always)
public func compareBytes(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Int {
    b.withUnsafeBytes { compareBytes(a, $0) }
}

/// Byte-wise comparison as LMDB's default key order (memcmp, then length).
@inline(__always)
public func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0 {
        let c = memcmp(a.baseAddress!, b.baseAddress!, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}
