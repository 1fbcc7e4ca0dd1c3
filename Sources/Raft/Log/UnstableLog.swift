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

    init(offset: LogIndex) { self.offset = offset }

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
        }
    }

    /// The snapshot at `index` is durable.
    mutating func stableSnapTo(_ index: LogIndex) {
        if let snapshot, snapshot.metadata.index == index { self.snapshot = nil }
    }

    /// Replaces everything with a snapshot.
    mutating func restore(_ snapshot: Snapshot) {
        offset = snapshot.metadata.index + 1
        entries = []
        self.snapshot = snapshot
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
