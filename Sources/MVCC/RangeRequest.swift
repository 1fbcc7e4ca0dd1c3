/// A read of a key or key range (etcd's `RangeRequest`).
public struct RangeRequest: Hashable, Sendable {
    /// Sort direction (etcd's `RangeRequest.SortOrder`).
    public enum SortOrder: Hashable, Sendable {
        /// No explicit order: key order, unless `sortTarget` is not `.key` (then ascending).
        case none
        /// Ascending by the sort target.
        case ascend
        /// Descending by the sort target.
        case descend
    }

    /// Field to sort by (etcd's `RangeRequest.SortTarget`).
    public enum SortTarget: Hashable, Sendable {
        /// Key bytes.
        case key
        /// `version`.
        case version
        /// `createRevision`.
        case create
        /// `modRevision`.
        case mod
        /// Value bytes.
        case value
    }

    /// First key of the range (must not be empty).
    public var key: [UInt8]
    /// End of the range: empty for the single key `key`, `[0]` for every key >= `key`, otherwise the
    /// exclusive end (a range whose end is <= `key` is empty, not an error, as in etcd).
    public var rangeEnd: [UInt8]
    /// Maximum number of kvs to return; 0 or negative means no limit (etcd treats both the same).
    public var limit: Int64
    /// Revision to read at; 0 or negative means the current revision.
    public var revision: Int64
    /// Sort direction.
    public var sortOrder: SortOrder
    /// Sort field.
    public var sortTarget: SortTarget
    /// Honoured by the server layer (read without ReadIndex); the store ignores it.
    public var serializable: Bool
    /// Return keys and metadata without values.
    public var keysOnly: Bool
    /// Return only the count.
    public var countOnly: Bool
    /// Drop kvs with `modRevision` below this (0: unused).
    public var minModRevision: Int64
    /// Drop kvs with `modRevision` above this (0: unused).
    public var maxModRevision: Int64
    /// Drop kvs with `createRevision` below this (0: unused).
    public var minCreateRevision: Int64
    /// Drop kvs with `createRevision` above this (0: unused).
    public var maxCreateRevision: Int64

    /// Creates a range request.
    public init(
        key: [UInt8], rangeEnd: [UInt8] = [], limit: Int64 = 0, revision: Int64 = 0,
        sortOrder: SortOrder = .none, sortTarget: SortTarget = .key, serializable: Bool = false,
        keysOnly: Bool = false, countOnly: Bool = false, minModRevision: Int64 = 0,
        maxModRevision: Int64 = 0, minCreateRevision: Int64 = 0, maxCreateRevision: Int64 = 0
    ) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.limit = limit
        self.revision = revision
        self.sortOrder = sortOrder
        self.sortTarget = sortTarget
        self.serializable = serializable
        self.keysOnly = keysOnly
        self.countOnly = countOnly
        self.minModRevision = minModRevision
        self.maxModRevision = maxModRevision
        self.minCreateRevision = minCreateRevision
        self.maxCreateRevision = maxCreateRevision
    }
}

/// The result of a range (etcd's `RangeResponse`).
public struct RangeResponse: Hashable, Sendable {
    /// The store revision the read was served at (`header.revision`): the current revision, also
    /// for reads at an older `revision`, as etcd reports.
    public var revision: Int64
    /// The matching kvs after filters, sort and limit.
    public var kvs: [KeyValue]
    /// True when `limit` cut the result.
    public var more: Bool
    /// Number of keys in the range at the read revision, before limit and filters (etcd quirk).
    public var count: Int64

    /// Creates a range response.
    public init(revision: Int64, kvs: [KeyValue] = [], more: Bool = false, count: Int64 = 0) {
        self.revision = revision
        self.kvs = kvs
        self.more = more
        self.count = count
    }
}
