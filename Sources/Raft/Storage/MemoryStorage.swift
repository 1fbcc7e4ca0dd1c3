/// A `LogStorage` kept in memory, as etcd-io/raft's `MemoryStorage`: for tests, simulation and as
/// the in-memory tail of a persistent log.
///
/// Not thread-safe: one owner (the Raft loop) uses it.
public final class MemoryStorage: LogStorage {
    /// The hard state last set.
    public private(set) var hardState = HardState()
    /// The snapshot last applied or created.
    public private(set) var snapshotValue = Snapshot()
    /// `entries[0]` is a dummy holding the index and term of the last compacted entry.
    private var ents: [Entry] = [Entry()]

    /// When set, `snapshot()` throws `.snapshotTemporarilyUnavailable` (to test the leader's retry).
    public var snapshotTemporarilyUnavailable = false

    /// Creates an empty storage whose configuration is `confState` (how a new cluster is bootstrapped).
    public init(confState: ConfState = ConfState()) {
        snapshotValue.metadata.confState = confState
    }

    /// Creates an empty storage with the given voters.
    public convenience init(voters: [NodeID], learners: [NodeID] = []) {
        self.init(confState: ConfState(voters: voters, learners: learners))
    }

    private var offset: LogIndex { ents[0].index }

    /// The hard state last set and the configuration of the latest snapshot.
    public func initialState() throws(RaftError) -> (HardState, ConfState) {
        (hardState, snapshotValue.metadata.confState)
    }

    /// Persists the hard state.
    public func setHardState(_ state: HardState) {
        hardState = state
    }

    /// The entries in `[low, high)`, at most `maxSize` payload bytes but at least one entry.
    public func entries(_ low: LogIndex, _ high: LogIndex, maxSize: UInt64) throws(RaftError) -> [Entry] {
        if low <= offset { throw .compacted }
        if high > lastIndexValue + 1 { throw .unavailable }
        // Only the dummy entry: nothing to return.
        if ents.count == 1 { throw .unavailable }
        let lo = low.distance(from: offset)
        let hi = high.distance(from: offset)
        return limitSize(Array(ents[lo..<hi]), maxSize)
    }

    /// The term of the entry at `index` (the compacted dummy position included).
    public func term(_ index: LogIndex) throws(RaftError) -> Term {
        if index < offset { throw .compacted }
        if index.distance(from: offset) >= ents.count { throw .unavailable }
        return ents[index.distance(from: offset)].term
    }

    /// The index of the last entry.
    public func lastIndex() throws(RaftError) -> LogIndex { lastIndexValue }

    /// The index of the first entry that was not compacted.
    public func firstIndex() throws(RaftError) -> LogIndex { offset + 1 }

    private var lastIndexValue: LogIndex { offset + UInt64(ents.count - 1) }

    /// The latest snapshot (applied or created).
    public func snapshot() throws(RaftError) -> Snapshot {
        if snapshotTemporarilyUnavailable { throw .snapshotTemporarilyUnavailable }
        return snapshotValue
    }

    /// Replaces the storage's contents with `snapshot` (a follower restoring a received snapshot).
    public func applySnapshot(_ snapshot: Snapshot) throws(RaftError) {
        if snapshotValue.metadata.index >= snapshot.metadata.index { throw .snapshotOutOfDate }
        snapshotValue = snapshot
        ents = [Entry(term: snapshot.metadata.term, index: snapshot.metadata.index)]
    }

    /// Makes a snapshot at `index` (at most the last index; the application has applied it) that
    /// `snapshot()` then returns; logs can then be compacted up to `index`.
    @discardableResult
    public func createSnapshot(_ index: LogIndex, confState: ConfState?, data: [UInt8]) throws(RaftError) -> Snapshot {
        if index <= snapshotValue.metadata.index { throw .snapshotOutOfDate }
        precondition(index <= lastIndexValue, "snapshot \(index) is out of bound lastindex(\(lastIndexValue))")
        snapshotValue.metadata.index = index
        snapshotValue.metadata.term = ents[index.distance(from: offset)].term
        if let confState { snapshotValue.metadata.confState = confState }
        snapshotValue.data = data
        return snapshotValue
    }

    /// Discards the entries before `compactIndex` (which becomes the dummy entry). The application
    /// must not compact beyond what it applied.
    public func compact(_ compactIndex: LogIndex) throws(RaftError) {
        if compactIndex <= offset { throw .compacted }
        precondition(compactIndex <= lastIndexValue, "compact \(compactIndex) is out of bound \(lastIndexValue)")
        let i = compactIndex.distance(from: offset)
        var kept = [Entry(term: ents[i].term, index: ents[i].index)]
        kept.append(contentsOf: ents[(i + 1)...])
        ents = kept
    }

    /// Appends entries; entries that conflict with (overlap) stored ones replace them and
    /// everything after. Entries older than the first index are ignored.
    public func append(_ entries: [Entry]) throws(RaftError) {
        guard var newEntries = Optional(entries), let firstNew = newEntries.first else { return }
        let first = offset + 1
        let last = firstNew.index + UInt64(newEntries.count - 1)
        // Nothing new: everything is already compacted.
        if last < first { return }
        // Truncate the compacted part of the new entries.
        if first > firstNew.index {
            newEntries = Array(newEntries[first.distance(from: firstNew.index)...])
        }
        let position = newEntries[0].index.distance(from: offset)
        if ents.count > position {
            ents.removeSubrange(position...)
            ents.append(contentsOf: newEntries)
        } else if ents.count == position {
            ents.append(contentsOf: newEntries)
        } else {
            preconditionFailure("missing log entry [last: \(lastIndexValue), append at: \(newEntries[0].index)]")
        }
    }
}
