/// A delete of a key or key range (etcd's `DeleteRangeRequest`).
public struct DeleteRangeRequest: Hashable, Sendable {
    /// First key (must not be empty).
    public var key: [UInt8]
    /// End of the range, as in `RangeRequest.rangeEnd`.
    public var rangeEnd: [UInt8]
    /// Return the deleted kvs.
    public var prevKV: Bool

    /// Creates a delete request.
    public init(key: [UInt8], rangeEnd: [UInt8] = [], prevKV: Bool = false) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.prevKV = prevKV
    }
}

/// The result of a delete (etcd's `DeleteRangeResponse`).
public struct DeleteRangeResponse: Hashable, Sendable {
    /// The delete's revision if it deleted something, else the unchanged current revision.
    public var revision: Int64
    /// Number of keys deleted.
    public var deleted: Int64
    /// The deleted kvs in key order, if requested.
    public var prevKVs: [KeyValue]

    /// Creates a delete response.
    public init(revision: Int64, deleted: Int64 = 0, prevKVs: [KeyValue] = []) {
        self.revision = revision
        self.deleted = deleted
        self.prevKVs = prevKVs
    }
}
