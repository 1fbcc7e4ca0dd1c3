import Raft

/// Tuning and observation hooks of a `DurableLog`.
public struct DurableLogOptions {
    /// The size segment files are preallocated to (64 MiB, as etcd's WAL). A save larger than a
    /// segment gets a segment of its own, grown to fit.
    public var segmentSize: Int64
    /// How many bytes of the most recent entries' payloads stay in memory; older entries are read
    /// back from their segment (pread) when a lagging follower needs them.
    public var cacheBytes: Int
    /// Whether new segments are filled with written zeros instead of fallocated. On ext4 a
    /// fallocated extent is "unwritten": the first write into each one converts it, a metadata
    /// change that the next fdatasync has to commit to the journal too. Writing the zeros up front
    /// costs one sequential write of the segment when it is created (inside the save that rolls
    /// over) and makes every later fdatasync a pure data flush, up to 1.7x faster for batched saves
    /// here (docs/benchmarks/log-storage.md), hence the default.
    public var zeroFillSegments: Bool
    /// Called after every successful sync, with what was synced (tests count them; metrics may).
    public var syncObserver: ((SyncKind) -> Void)?

    /// Creates options.
    public init(
        segmentSize: Int64 = 64 << 20, cacheBytes: Int = 16 << 20, zeroFillSegments: Bool = true,
        syncObserver: ((SyncKind) -> Void)? = nil
    ) {
        self.segmentSize = segmentSize
        self.cacheBytes = cacheBytes
        self.zeroFillSegments = zeroFillSegments
        self.syncObserver = syncObserver
    }
}

/// What a sync made durable.
public enum SyncKind: Sendable, Hashable {
    /// fdatasync of a segment after writing records: exactly one per persisting call.
    case data
    /// fsync of a newly created (preallocated) segment file: once per segment.
    case newFile
    /// fsync of the log directory after creating or deleting segment files.
    case directory
}

/// How many syncs of each kind a log has done since it was opened (recovery included).
public struct SyncCounts: Equatable, Sendable {
    /// fdatasyncs after writing records.
    public var data = 0
    /// fsyncs of new segment files.
    public var newFile = 0
    /// fsyncs of the directory.
    public var directory = 0

    /// All syncs together.
    public var total: Int { data + newFile + directory }
}

/// What recovery found and repaired when the log was opened.
public struct RecoveryReport: Equatable, Sendable {
    /// Where a torn tail was cut off, and why it counted as torn.
    public struct TornTail: Equatable, Sendable {
        /// The segment file.
        public var file: String
        /// The offset of the first record dropped.
        public var offset: Int64
        /// What was wrong with it.
        public var reason: String
    }

    /// The segments replayed.
    public var segments = 0
    /// The records replayed (segment headers included).
    public var records = 0
    /// The torn tail (the unacknowledged write of a crash) that was cut off, if any.
    public var tornTail: TornTail?
    /// A last segment whose creation was interrupted (no header) and which was removed.
    public var removedEmptySegment: String?

    /// An empty report.
    public init() {}
}
