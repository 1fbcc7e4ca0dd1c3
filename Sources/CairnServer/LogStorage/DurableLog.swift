import Raft

/// The durable Raft log of one member: entries, hard state and snapshot metadata, each durable
/// before `save` returns (the member acknowledges nothing earlier: thesis 3.8, "persistent state").
///
/// On disk it is an append-only sequence of checksummed records (`RecordFrame`) in preallocated,
/// numbered segment files. Each persisting call (`save`, `createSnapshot`, `compact`) writes its
/// records with one pwrite and makes them durable with exactly one fdatasync, however many entries
/// it carries, which is what makes batching a whole `Ready` worthwhile. Starting a new segment
/// additionally syncs the new file and the directory once (every `segmentSize` bytes).
///
/// Nothing is ever overwritten in place: a conflicting suffix is discarded by a truncation record
/// followed by the new entries, and compaction is a record plus the deletion of whole segments
/// that hold nothing live. Replaying the records therefore reproduces exactly the state that was
/// acknowledged; recovery (`DurableLog+Recovery.swift`) cuts a torn tail and refuses anything else.
///
/// Reads come from an in-memory index (term, location) of every live entry; the payloads of the
/// most recent `cacheBytes` stay in memory, older ones are read back from their segment.
///
/// Conforms to Raft's `LogStorage`, so a `RawNode` runs on it directly. Not thread-safe: one owner
/// (the Raft loop) uses it, as `MemoryStorage`.
public final class DurableLog {
    /// Where an entry lives and, while it is recent, its payload.
    struct EntryMeta {
        var term: Term
        var type: EntryType
        /// The sequence number of the segment holding the record.
        var segment: UInt64
        /// The offset of the record in that segment.
        var offset: Int64
        var payloadSize: Int
        /// The payload, if still cached.
        var data: [UInt8]?
    }

    enum State {
        case open, failed, closed
    }

    /// The directory holding the segment files.
    public let directory: String
    let options: DurableLogOptions
    /// The live segments, oldest first; the last one receives appends.
    var segments: [SegmentFile] = []
    /// The position before the first live entry (compacted or covered by an applied snapshot).
    var dummyIndex: LogIndex = 0
    var dummyTerm: Term = 0
    /// `metas[i]` describes the entry at `dummyIndex + 1 + i`.
    var metas: [EntryMeta] = []
    /// `metas[..<cacheFloor]` have no cached payload; the rest do.
    var cacheFloor = 0
    var cachedBytes = 0
    var state = State.open
    /// Held (flock) while the log is open: two writers would interleave records.
    let lockFile: FileHandle

    /// The hard state last saved.
    public internal(set) var hardState = HardState()
    /// The snapshot last saved or created (index 0 when there is none).
    public internal(set) var currentSnapshot = Snapshot()
    /// The syncs done since the log was opened.
    public internal(set) var syncCounts = SyncCounts()
    /// What recovery found when the log was opened.
    public internal(set) var recovery = RecoveryReport()

    /// Opens the log in `directory` (created if missing), replaying and checking every record.
    ///
    /// A torn tail is cut off (see `recovery`); any other damage or inconsistency throws a
    /// `LogStorageError` naming the file and offset.
    public init(directory: String, options: DurableLogOptions = DurableLogOptions()) throws(LogStorageError) {
        self.directory = directory
        self.options = options
        try Directory.ensure(directory)
        lockFile = try FileHandle.openOrCreate(directory + "/LOCK")
        do {
            try lockFile.lockExclusively()
            try recover()
            if segments.isEmpty { try persist([]) }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Closes the segment files. Later calls throw `.closed`.
    public func close() {
        for segment in segments { segment.file.close() }
        lockFile.close()
        state = .closed
    }

    var lastIndexValue: LogIndex { dummyIndex + UInt64(metas.count) }
    var lastTerm: Term { metas.last?.term ?? dummyTerm }

    /// The term of `index`, or nil outside `dummyIndex...lastIndexValue`.
    func termValue(_ index: LogIndex) -> Term? {
        if index == dummyIndex { return dummyTerm }
        if index < dummyIndex || index > lastIndexValue { return nil }
        return metas[Int(index.rawValue - dummyIndex.rawValue) - 1].term
    }

    func checkOpen() throws(LogStorageError) {
        switch state {
        case .open: return
        case .failed: throw .failed
        case .closed: throw .closed
        }
    }

    /// Makes a new member's configuration durable (as `MemoryStorage(confState:)` does in memory):
    /// only on an empty log.
    public func bootstrap(confState: ConfState) throws(LogStorageError) {
        try checkOpen()
        guard lastIndexValue == 0, currentSnapshot.isEmpty, hardState.isEmpty else {
            throw .invalidAppend("bootstrap needs an empty log (last index \(lastIndexValue))")
        }
        try persist([.snapshot(Snapshot(metadata: SnapshotMetadata(confState: confState)), .created)])
    }

    /// Persists one `Ready`: its snapshot (which replaces the log), its entries (an entry at or
    /// below the last index replaces that suffix) and its hard state, with one fdatasync.
    ///
    /// Entries at or below the compacted index are ignored, as `MemoryStorage.append` does.
    /// A call with nothing to persist does not sync.
    ///
    /// Pass `sync: ready.mustSync`: a Ready that only moves the commit index need not be flushed
    /// (etcd skips that fsync too; a lost commit index is learned again from the leader). Its
    /// records are written and become durable with the next synced save. A save carrying a
    /// snapshot is always synced, since it may delete segments.
    public func save(
        entries: [Entry], hardState newHardState: HardState? = nil, snapshot: Snapshot? = nil,
        sync: Bool = true
    )
        throws(LogStorageError)
    {
        try checkOpen()
        var records: [LogRecord] = []
        // Validate against the state as it will be after the snapshot, so that nothing is written
        // that replay would then refuse.
        var last = lastIndexValue
        var floor = dummyIndex
        var snapshotIndex = currentSnapshot.metadata.index
        var previousTerm = lastTerm
        if let snapshot {
            let index = snapshot.metadata.index
            guard index > snapshotIndex else { throw .snapshotOutOfDate(index, current: snapshotIndex) }
            records.append(.snapshot(snapshot, .applied))
            (last, floor, snapshotIndex, previousTerm) = (index, index, index, snapshot.metadata.term)
        }
        let fresh = entries.drop { $0.index <= floor }
        if let first = fresh.first {
            guard first.index <= last + 1 else {
                throw .invalidAppend("entry \(first.index) would leave a gap after the last index \(last)")
            }
            guard first.index > snapshotIndex else {
                throw .invalidAppend(
                    "entry \(first.index) would replace an entry covered by the snapshot at \(snapshotIndex)")
            }
            if first.index <= last {
                // A conflicting suffix (thesis 3.5: a follower's uncommitted entries replaced by the
                // leader's). Recorded explicitly so that replay reproduces it and can tell an
                // intended overwrite from a damaged log.
                records.append(.truncate(after: first.index - 1))
                previousTerm = termValue(first.index - 1) ?? previousTerm
            }
            var expected = first.index
            for entry in fresh {
                guard entry.index == expected else {
                    throw .invalidAppend("entries are not contiguous: \(entry.index) follows \(expected - 1)")
                }
                guard entry.term >= previousTerm else {
                    throw .invalidAppend(
                        "entry \(entry.index) has term \(entry.term) below its predecessor's \(previousTerm)")
                }
                records.append(.entry(entry))
                previousTerm = entry.term
                expected += 1
            }
        }
        if let newHardState { records.append(.hardState(newHardState)) }
        if records.isEmpty { return }
        try persist(records, sync: sync || snapshot != nil)
        if snapshot != nil { try dropObsoleteSegments() }
    }

    /// Records a snapshot the application made of its state at `index` (at most the last index);
    /// the entries stay until `compact`. One fdatasync.
    @discardableResult
    public func createSnapshot(
        _ index: LogIndex, confState: ConfState?, data: [UInt8]
    ) throws(LogStorageError)
        -> Snapshot
    {
        try checkOpen()
        let current = currentSnapshot.metadata.index
        guard index > current else { throw .snapshotOutOfDate(index, current: current) }
        guard index <= lastIndexValue else { throw .beyondLastIndex(index, last: lastIndexValue) }
        guard let term = termValue(index) else { throw .alreadyCompacted(index) }
        var snapshot = currentSnapshot
        snapshot.metadata.index = index
        snapshot.metadata.term = term
        if let confState { snapshot.metadata.confState = confState }
        snapshot.data = data
        try persist([.snapshot(snapshot, .created)])
        return snapshot
    }

    /// Discards the entries up to and including `index` (the application applied them and a
    /// snapshot covers them), then deletes the segments that hold nothing live any more.
    /// One fdatasync for the record, one directory sync if segments were deleted.
    public func compact(_ index: LogIndex) throws(LogStorageError) {
        try checkOpen()
        guard index > dummyIndex else { throw .alreadyCompacted(index) }
        guard index <= lastIndexValue else { throw .beyondLastIndex(index, last: lastIndexValue) }
        try persist([.compact(through: index)])
        try dropObsoleteSegments()
    }

    /// The number of segment files the log currently uses.
    public var segmentCount: Int { segments.count }
}
