import CLMDB

/// A cursor over one database, available only inside `ReadableTransaction.withCursor`.
///
/// Every positioning method returns the pair it landed on, or nil when there is none (LMDB's
/// `MDB_NOTFOUND`). The buffers point into the memory map and are valid until the cursor moves or
/// the transaction writes.
public struct Cursor: ~Copyable {
    /// A key/value pair the cursor is positioned on.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let pointer: OpaquePointer

    private func move(
        _ op: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil, value: UnsafeRawBufferPointer? = nil
    )
        throws -> Entry?
    {
        var k = MDB_val(mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var v = MDB_val(mv_size: value?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: value?.baseAddress))
        let rc = mdb_cursor_get(pointer, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc)
        return (
            UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
            UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)
        )
    }

    /// Moves to the first pair.
    public func first() throws -> Entry? { try move(MDB_FIRST) }
    /// Moves to the last pair.
    public func last() throws -> Entry? { try move(MDB_LAST) }
    /// Moves to the next pair (in a DUPSORT database: the next value, then the next key).
    public func next() throws -> Entry? { try move(MDB_NEXT) }
    /// Moves to the previous pair.
    public func prev() throws -> Entry? { try move(MDB_PREV) }
    /// The pair at the current position.
    public func current() throws -> Entry? { try move(MDB_GET_CURRENT) }

    /// Moves to the first key >= `key` (`MDB_SET_RANGE`).
    public func seek(_ key: UnsafeRawBufferPointer) throws -> Entry? {
        try move(MDB_SET_RANGE, key: key)
    }
    /// Moves to the first key >= `key` (`MDB_SET_RANGE`).
    public func seek(_ key: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { try seek($0) }
    }
    /// Moves to exactly `key` (`MDB_SET_KEY`), or returns nil.
    public func seekExact(_ key: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { try move(MDB_SET_KEY, key: $0) }
    }
    /// Moves to the last key < `key`, or nil if there is none.
    public func seekBefore(_ key: [UInt8]) throws -> Entry? {
        if try seek(key) != nil { return try prev() }
        return try last()
    }

    // MARK: DUPSORT

    /// DUPSORT: moves to the first value of the current key.
    public func firstDuplicate() throws -> Entry? { try move(MDB_FIRST_DUP) }
    /// DUPSORT: moves to the last value of the current key.
    public func lastDuplicate() throws -> Entry? { try move(MDB_LAST_DUP) }
    /// DUPSORT: moves to the next value of the current key, or nil at its last value.
    public func nextDuplicate() throws -> Entry? { try move(MDB_NEXT_DUP) }
    /// DUPSORT: moves to the previous value of the current key, or nil at its first value.
    public func prevDuplicate() throws -> Entry? { try move(MDB_PREV_DUP) }
    /// DUPSORT: moves to the first value of the next key.
    public func nextKey() throws -> Entry? { try move(MDB_NEXT_NODUP) }
    /// DUPSORT: moves to the last value of the previous key.
    public func prevKey() throws -> Entry? { try move(MDB_PREV_NODUP) }
    /// DUPSORT: moves to the first value >= `value` of exactly `key` (`MDB_GET_BOTH_RANGE`).
    public func seek(key: [UInt8], value: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try move(MDB_GET_BOTH_RANGE, key: k, value: v) }
        }
    }
    /// DUPSORT: the number of values of the current key.
    public func duplicateCount() throws -> Int {
        var count = 0
        try check(mdb_cursor_count(pointer, &count))
        return count
    }

    /// Deletes the pair at the cursor (write transactions only); the cursor then sits on the next
    /// pair, which `current()` returns.
    public func deleteCurrent() throws {
        try check(mdb_cursor_del(pointer, 0))
    }
}
