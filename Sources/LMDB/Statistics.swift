import CLMDB

/// Environment-wide figures (`mdb_env_info`), e.g. for reporting the database size.
public struct EnvironmentInfo: Sendable, Equatable {
    /// Size of the memory map in bytes.
    public var mapSize: Int
    /// Number of the last used page.
    public var lastPageNumber: Int
    /// ID of the last committed transaction.
    public var lastTransactionID: Int
    /// Maximum number of reader slots.
    public var maxReaders: Int
    /// Reader slots in use.
    public var readersInUse: Int
    /// Database page size in bytes.
    public var pageSize: Int

    /// Bytes of the data file in use: `(lastPageNumber + 1) * pageSize`.
    public var usedBytes: Int {
        (lastPageNumber + 1) * pageSize
    }
}

/// Statistics of one database (`mdb_stat`).
public struct DatabaseStatistics: Sendable, Equatable {
    /// Page size in bytes.
    public var pageSize: Int
    /// Depth of the B-tree.
    public var depth: Int
    /// Internal (non-leaf) pages.
    public var branchPages: Int
    /// Leaf pages.
    public var leafPages: Int
    /// Overflow pages (values larger than about half a page).
    public var overflowPages: Int
    /// Number of key/value pairs (counting each duplicate in a DUPSORT database).
    public var entries: Int

    init(_ raw: MDB_stat) {
        pageSize = Int(raw.ms_psize)
        depth = Int(raw.ms_depth)
        branchPages = raw.ms_branch_pages
        leafPages = raw.ms_leaf_pages
        overflowPages = raw.ms_overflow_pages
        entries = raw.ms_entries
    }

    /// Pages used by this database.
    public var usedPages: Int {
        branchPages + leafPages + overflowPages
    }
}
