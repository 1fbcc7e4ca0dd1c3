/// The part of the log not yet persisted: possibly a snapshot, then entries starting at `offset`.
/// Mirrors etcd-io/raft's `unstable`. Entries move to stable storage through `stableTo` once the
/// application reports (via `advance`) that they are durable.
struct UnstableLog: Sendable {
    /// An incoming snapshot not yet persisted.
    var snapshot: Snapshot?
    /// Unpersisted entries; `entries[i]` has index `offset + i`.
    var entries: [Entry] = []
    /// The index of `entries[0]` (or where the next unstable entry goes).
    var offset: LogIndex
    /// Entries below this index were handed out in a Ready and are being persisted; they are not
    /// handed out again (asynchronous persistence: several Readys may be in flight).
    var offsetInProgress: LogIndex
    /// Whether `snapshot` was handed out in a Ready and is being persisted.
    var snapshotInProgress = false

    init(offset: LogIndex) {
        self.offset = offset
        self.offsetInProgress = offset
    }

    /// The entries not yet handed out for persistence.
    var entriesToPersist: [Entry] {
        let start = offsetInProgress.distance(from: offset)
        return start >= entries.count ? [] : Array(entries[start...])
    }

    /// Whether there are entries not yet handed out.
    var hasEntriesToPersist: Bool { offsetInProgress.distance(from: offset) < entries.count }

    /// The snapshot, if not yet handed out.
    var snapshotToPersist: Snapshot? { snapshotInProgress ? nil : snapshot }

    /// Marks everything currently unstable as handed out in a Ready.
    mutating func acceptInProgress() {
        offsetInProgress = offset + UInt64(entries.count)
        snapshotInProgress = snapshot != nil
    }

    /// The first index known from the snapshot, if there is one.
    func maybeFirstIndex() -> LogIndex? {
        snapshot.map { $0.metadata.index + 1 }
    }

    /// The last index if there are unstable entries or a snapshot.
    func maybeLastIndex() -> LogIndex? {
        if !entries.isEmpty { return offset + UInt64(entries.count - 1) }
        return snapshot?.metadata.index
    }

    /// The term of `index` if this part of the log knows it.
    func maybeTerm(_ index: LogIndex) -> Term? {
        if index < offset {
            if let snapshot, snapshot.metadata.index == index { return snapshot.metadata.term }
            return nil
        }
        guard let last = maybeLastIndex(), index <= last else { return nil }
        return entries[index.distance(from: offset)].term
    }

    /// Entries up to `index` (with `term`) are durable. Ignored when the entry was replaced since
    /// (its term differs) or is not unstable.
    mutating func stableTo(_ index: LogIndex, term: Term) {
        guard let t = maybeTerm(index) else { return }
        // Only entries (not the snapshot) are stabilized here; a term match at an index below
        // offset could only come from the snapshot.
        if t == term && index >= offset {
            entries.removeFirst(index.distance(from: offset) + 1)
            offset = index + 1
            offsetInProgress = max(offsetInProgress, offset)
        }
    }

    /// The snapshot at `index` is durable.
    mutating func stableSnapTo(_ index: LogIndex) {
        if let snapshot, snapshot.metadata.index == index {
            self.snapshot = nil
            snapshotInProgress = false
        }
    }

    /// Replaces everything with a snapshot.
    mutating func restore(_ snapshot: Snapshot) {
        offset = snapshot.metadata.index + 1
        offsetInProgress = offset
        entries = []
        self.snapshot = snapshot
        snapshotInProgress = false
    }

    /// Appends `newEntries`, first truncating whatever they overlap.
    mutating func truncateAndAppend(_ newEntries: [Entry]) {
        guard let first = newEntries.first else { return }
        let after = first.index
        if after == offset + UInt64(entries.count) {
            // The direct continuation of the unstable entries.
            entries.append(contentsOf: newEntries)
        } else if after <= offset {
            // Replaces all unstable entries (and the stable ones from `after`, which the
            // application overwrites when it persists these).
            offset = after
            entries = newEntries
        } else {
            // Keeps the unstable entries before `after`, then appends.
            entries = Array(entries[0..<after.distance(from: offset)]) + newEntries
        }
        // Entries from `after` on are new: they must be handed out (again) for persistence, and
        // written after whatever is in flight, which they overwrite.
        offsetInProgress = min(offsetInProgress, after)
    }

    /// The unstable entries in `[low, high)`.
    func slice(_ low: LogIndex, _ high: LogIndex) -> [Entry] {
        checkOutOfBounds(low, high)
        return Array(entries[low.distance(from: offset)..<high.distance(from: offset)])
    }

    private func checkOutOfBounds(_ low: LogIndex, _ high: LogIndex) {
        let upper = offset + UInt64(entries.count)
        precondition(low <= high, "invalid unstable.slice \(low) > \(high)")
        precondition(low >= offset && high <= upper, "unstable.slice[\(low),\(high)) out of bound [\(offset),\(upper)]")
    }
}
