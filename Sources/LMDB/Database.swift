import CLMDB

/// A handle to a database inside an `Environment`, from `Environment.openDatabase`.
public struct Database: Sendable, Hashable {
    /// Flags fixed when a database is created.
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The raw `mdb_dbi_open` flags.
        public let rawValue: UInt32
        /// Creates flags from raw `mdb_dbi_open` bits.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Keys compare as strings read backwards (`MDB_REVERSEKEY`).
        public static let reverseKey = Flags(rawValue: UInt32(MDB_REVERSEKEY))
        /// Several sorted values per key (`MDB_DUPSORT`); values are then limited to `maxKeySize`.
        public static let dupSort = Flags(rawValue: UInt32(MDB_DUPSORT))
        /// Keys are native unsigned integers (`MDB_INTEGERKEY`).
        public static let integerKey = Flags(rawValue: UInt32(MDB_INTEGERKEY))
        /// With `dupSort`: all values have the same size (`MDB_DUPFIXED`).
        public static let dupFixed = Flags(rawValue: UInt32(MDB_DUPFIXED))
    }

    let handle: MDB_dbi
    /// The flags the database was opened with.
    public let flags: Flags
}
