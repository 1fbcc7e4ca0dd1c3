/// The Raft log: stable entries in `storage` followed by the `unstable` tail, plus the commit and
/// apply cursors. Mirrors etcd-io/raft's `raftLog`. Invariant: applied <= committed <= lastIndex.
struct RaftLog {
    /// The durable part of the log.
    let storage: any LogStorage
    /// The not-yet-durable tail.
    var unstable: UnstableLog
    /// The highest index known to be committed by a quorum.
    var committed: LogIndex
    /// The highest index the application reported applied (via `advance`).
    var applied: LogIndex
    /// The highest index handed out to apply in a Ready (>= applied while Readys are in flight).
    var applying: LogIndex
    /// The payload byte limit of committed entries returned by `nextEntries`.
    let maxNextEntriesSize: UInt64

    init(storage: any LogStorage, maxNextEntriesSize: UInt64 = .max) {
        self.storage = storage
        self.maxNextEntriesSize = maxNextEntriesSize
        // The storage is trusted to be consistent; a failure here is a programming error.
        let first = (try? storage.firstIndex()) ?? 1
        let last = (try? storage.lastIndex()) ?? 0
        unstable = UnstableLog(offset: last + 1)
        // Everything up to the first index was compacted, hence committed and applied.
        committed = first - 1
        applied = first - 1
        applying = first - 1
    }

    // MARK: Indexes and terms

    var firstIndex: LogIndex {
        if let i = unstable.maybeFirstIndex() { return i }
        return (try? storage.firstIndex()) ?? 1
    }

    var lastIndex: LogIndex {
        if let i = unstable.maybeLastIndex() { return i }
        return (try? storage.lastIndex()) ?? 0
    }

    /// The last index that is durable: the stored log, cut at the start of the unstable tail
    /// (which may overwrite stored entries once persisted).
    var lastStableIndex: LogIndex {
        let stored = (try? storage.lastIndex()) ?? 0
        // A pending snapshot replaces the stored log: nothing is known durable until it is.
        if unstable.snapshot != nil { return 0 }
        return unstable.entries.isEmpty ? stored : min(stored, unstable.offset - 1)
    }

    var lastTerm: Term {
        (try? term(lastIndex)) ?? 0
    }

    /// The term of the entry at `index`. Throws `.compacted` below the first index - 1 and
    /// returns 0 beyond the last index (as etcd-io/raft does, so that matching fails cleanly).
    func term(_ index: LogIndex) throws(RaftError) -> Term {
        // The valid range is [firstIndex - 1, lastIndex]: the dummy entry's term is known.
        let dummy = firstIndex - 1
        if index < dummy { throw .compacted }
        if index > lastIndex { return 0 }
        if let t = unstable.maybeTerm(index) { return t }
        return try storage.term(index)
    }

    /// The term at `index`, or 0 when it is compacted or unavailable.
    func zeroTermOnError(_ index: LogIndex) -> Term {
        (try? term(index)) ?? 0
    }

    func matchTerm(_ index: LogIndex, _ term: Term) -> Bool {
        guard let t = try? self.term(index) else { return false }
        return t == term
    }

    /// Whether a log ending at (`lastIndex`, `term`) is at least as up to date as ours (paper §5.4.1:
    /// a later last term wins; with equal terms, the longer log wins).
    func isUpToDate(lastIndex: LogIndex, term: Term) -> Bool {
        term > lastTerm || (term == lastTerm && lastIndex >= self.lastIndex)
    }

    // MARK: Appending

    /// Handles an append of `entries` after (`index`, `logTerm`) with the leader's `committed`.
    /// Returns the new last index covered by the append, or nil if the log does not contain an
    /// entry at `index` with `logTerm` (paper §5.3, the consistency check).
    mutating func maybeAppend(index: LogIndex, logTerm: Term, committed: LogIndex, entries: [Entry]) -> LogIndex? {
        guard matchTerm(index, logTerm) else { return nil }
        let lastNew = index + UInt64(entries.count)
        let conflict = findConflict(entries)
        if conflict != 0 {
            precondition(
                conflict > self.committed,
                "entry \(conflict) conflicts with committed entry [committed(\(self.committed))]")
            append(Array(entries[conflict.distance(from: index + 1)...]))
        }
        // Only what the leader sent is known to match its log, so the commit index may not pass
        // the last new entry (paper Figure 2, AppendEntries receiver rule 5).
        commitTo(min(committed, lastNew))
        return lastNew
    }

    /// Appends entries after truncating whatever they overlap; returns the new last index.
    @discardableResult
    mutating func append(_ entries: [Entry]) -> LogIndex {
        guard let first = entries.first else { return lastIndex }
        precondition(
            first.index - 1 >= committed, "after(\(first.index - 1)) is out of range [committed(\(committed))]")
        unstable.truncateAndAppend(entries)
        return lastIndex
    }

    /// The index of the first entry of `entries` that is absent from the log or has a different
    /// term; 0 if all of them are present. Entries must be contiguous.
    func findConflict(_ entries: [Entry]) -> LogIndex {
        for e in entries where !matchTerm(e.index, e.term) {
            return e.index
        }
        return 0
    }

    /// Starting at `index` going down, the first index whose term is <= `term` (or the first
    /// index whose term is unknown). Lets a rejected append skip a whole term of conflicting
    /// entries at once (paper §5.3, the optimisation at the end of the section).
    func findConflictByTerm(_ index: LogIndex, term: Term) -> LogIndex {
        if index > lastIndex { return index }
        var i = index
        while true {
            guard let t = try? self.term(i) else { break }
            if t <= term { break }
            if i == 0 { break }
            i -= 1
        }
        return i
    }

    // MARK: Commit and apply

    mutating func commitTo(_ index: LogIndex) {
        // Never decrease the commit index.
        if committed < index {
            precondition(index <= lastIndex, "tocommit(\(index)) is out of range [lastIndex(\(lastIndex))]")
            committed = index
        }
    }

    /// Commits `maxIndex` if it is of `term`: a leader only commits entries of its own term by
    /// counting replicas (paper §5.4.2); earlier entries commit indirectly.
    mutating func maybeCommit(_ maxIndex: LogIndex, term: Term) -> Bool {
        if maxIndex > committed && zeroTermOnError(maxIndex) == term {
            commitTo(maxIndex)
            return true
        }
        return false
    }

    mutating func appliedTo(_ index: LogIndex) {
        if index == 0 { return }
        precondition(
            committed >= index && index >= applied,
            "applied(\(index)) is out of range [prevApplied(\(applied)), committed(\(committed))]")
        applied = index
        applying = max(applying, index)
    }

    mutating func stableTo(_ index: LogIndex, term: Term) { unstable.stableTo(index, term: term) }

    mutating func stableSnapTo(_ index: LogIndex) { unstable.stableSnapTo(index) }

    // MARK: Reading

    var unstableEntries: [Entry] { unstable.entries }

    /// Committed entries not yet handed out to apply, limited to `maxNextEntriesSize` bytes.
    func nextEntries() -> [Entry] {
        let low = max(applying + 1, firstIndex)
        if committed + 1 > low {
            return (try? slice(low, committed + 1, maxSize: maxNextEntriesSize)) ?? []
        }
        return []
    }

    var hasNextEntries: Bool {
        committed + 1 > max(applying + 1, firstIndex)
    }

    /// Committed entries up to `index` were handed out to apply.
    mutating func acceptApplying(_ index: LogIndex) {
        applying = max(applying, index)
    }

    var hasPendingSnapshot: Bool { unstable.snapshot != nil }

    func snapshot() throws(RaftError) -> Snapshot {
        if let s = unstable.snapshot { return s }
        return try storage.snapshot()
    }

    /// Entries from `index` to the end, limited to `maxSize` bytes.
    func entries(from index: LogIndex, maxSize: UInt64) throws(RaftError) -> [Entry] {
        if index > lastIndex { return [] }
        return try slice(index, lastIndex + 1, maxSize: maxSize)
    }

    /// All entries (for tests).
    func allEntries() -> [Entry] {
        (try? entries(from: firstIndex, maxSize: .max)) ?? []
    }

    /// Entries in `[low, high)`, limited to `maxSize` bytes (at least one entry).
    func slice(_ low: LogIndex, _ high: LogIndex, maxSize: UInt64) throws(RaftError) -> [Entry] {
        try checkOutOfBounds(low, high)
        if low == high { return [] }
        var result: [Entry] = []
        if low < unstable.offset {
            let stored = try storage.entries(low, min(high, unstable.offset), maxSize: maxSize)
            // The storage stopped early (size limit): return what it gave.
            if UInt64(stored.count) < min(high, unstable.offset).rawValue - low.rawValue {
                return stored
            }
            result = stored
        }
        if high > unstable.offset {
            let tail = unstable.slice(max(low, unstable.offset), high)
            result.append(contentsOf: tail)
        }
        return limitSize(result, maxSize)
    }

    private func checkOutOfBounds(_ low: LogIndex, _ high: LogIndex) throws(RaftError) {
        precondition(low <= high, "invalid slice \(low) > \(high)")
        if low < firstIndex { throw .compacted }
        precondition(high <= lastIndex + 1, "slice[\(low),\(high)) out of bound [\(firstIndex),\(lastIndex)]")
    }

    // MARK: Snapshots

    /// Replaces the log with a snapshot (a follower restoring one from the leader).
    mutating func restore(_ snapshot: Snapshot) {
        committed = snapshot.metadata.index
        // Entries up to the snapshot are applied by restoring it: never hand them out.
        applying = max(applying, snapshot.metadata.index)
        unstable.restore(snapshot)
    }
}
