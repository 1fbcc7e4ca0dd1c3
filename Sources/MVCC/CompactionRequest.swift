/// Removal of history below a revision (etcd's `CompactionRequest`).
public struct CompactionRequest: Hashable, Sendable {
    /// Revision to compact to; reads below it fail afterwards.
    public var revision: Int64
    /// Honoured by the server layer (etcd: wait for physical removal); the store always compacts
    /// physically within the batch.
    public var physical: Bool

    /// Creates a compaction request.
    public init(revision: Int64, physical: Bool = false) {
        self.revision = revision
        self.physical = physical
    }
}

/// The result of a compaction (etcd's `CompactionResponse`).
public struct CompactionResponse: Hashable, Sendable {
    /// The current revision after compacting.
    public var revision: Int64

    /// Creates a compaction response.
    public init(revision: Int64) {
        self.revision = revision
    }
}

/// The result of `MVCCStore.hashKV` (etcd's `HashKVResponse`).
public struct HashKVResponse: Hashable, Sendable {
    /// CRC-32C over the kept history up to the requested revision, as etcd computes it.
    public var hash: UInt32
    /// The store's compact revision (-1 when never compacted, as etcd reports it).
    public var compactRevision: Int64
    /// The current revision (`header.revision`).
    public var revision: Int64

    /// Creates a hash response.
    public init(hash: UInt32, compactRevision: Int64, revision: Int64) {
        self.hash = hash
        self.compactRevision = compactRevision
        self.revision = revision
    }
}
