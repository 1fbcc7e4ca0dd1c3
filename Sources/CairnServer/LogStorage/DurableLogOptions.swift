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
