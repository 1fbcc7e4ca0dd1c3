import Raft

/// A member's disk: durable state in a `MemoryStorage`, plus writes not yet synced.
///
/// The driver writes every Ready to the live storage the RawNode reads and records the same
/// writes here as unsynced. `sync()` makes them durable. A crash keeps only a random prefix of the
/// unsynced writes and may tear the last entries write in the middle, as a power cut does to a
/// write-ahead log; the writes of one Ready are ordered snapshot, entries, hard state, so a surviving
/// hard state never refers to entries that were lost.
public final class SimulatedDisk {
    /// One buffered write.
    public enum Write: Sendable {
        /// A snapshot replacing the log.
        case snapshot(Snapshot)
        /// Entries appended (truncating any conflicting suffix).
        case entries([Entry])
        /// A new hard state.
        case hardState(HardState)
    }

    /// What survives a crash.
    public private(set) var durable = MemoryStorage()
    /// Writes issued but not yet synced.
    public private(set) var unsynced: [Write] = []
    /// How many syncs were performed.
    public private(set) var syncs = 0

    /// An empty disk.
    public init() {}

    /// Buffers a write; it is lost or torn if the member crashes before `sync()`.
    public func write(_ write: Write) {
        unsynced.append(write)
    }

    /// Makes every buffered write durable.
    public func sync() throws(RaftError) {
        let pending = unsynced
        unsynced.removeAll()
        for write in pending { try apply(write) }
        syncs += 1
    }

    /// A crash: keeps a random prefix of the unsynced writes, possibly tearing an entries write.
    /// Returns how many writes were lost or torn.
    @discardableResult
    public func crash(using random: inout SimulationRandom) -> Int {
        let pending = unsynced
        unsynced.removeAll()
        guard !pending.isEmpty else { return 0 }
        let kept = random.int(in: 0...pending.count)
        for write in pending.prefix(kept) { try? apply(write) }
        if kept < pending.count, case .entries(let entries) = pending[kept], entries.count > 1 {
            // A torn write: the first few entries reached the platter, the rest did not.
            let torn = random.int(in: 0...(entries.count - 1))
            if torn > 0 { try? apply(.entries(Array(entries.prefix(torn)))) }
        }
        return pending.count - kept
    }

    /// A fresh live storage holding exactly the durable state, for a restarted member.
    public func recover() throws(RaftError) -> MemoryStorage {
        let storage = MemoryStorage()
        let snapshot = try durable.snapshot()
        if snapshot.metadata.index > 0 { try storage.applySnapshot(snapshot) }
        var (hardState, _) = try durable.initialState()
        // A snapshot holds only committed state, so its index is a commit floor even when the hard
        // state written after it was lost in the crash (a WAL recovery does the same).
        if hardState.commit < snapshot.metadata.index { hardState.commit = snapshot.metadata.index }
        let first = try durable.firstIndex()
        let last = try durable.lastIndex()
        if last >= first {
            try storage.append(try durable.entries(first, last + 1, maxSize: .max))
        }
        storage.setHardState(hardState)
        return storage
    }

    /// The durable hard state.
    public var durableHardState: HardState {
        (try? durable.initialState().0) ?? HardState(term: 0, vote: NodeID.none, commit: 0)
    }

    /// Whether the durable log or snapshot holds the entry `term`/`index`.
    public func durablyHolds(index: LogIndex, term: Term) -> Bool {
        if let snapshot = try? durable.snapshot(), snapshot.metadata.index >= index { return true }
        return (try? durable.term(index)) == term
    }

    /// Records a snapshot taken by the application at `index` and compacts the durable log to it,
    /// if the durable log already reaches `index`.
    public func compact(to snapshot: Snapshot) throws(RaftError) {
        guard let last = try? durable.lastIndex(), last >= snapshot.metadata.index,
            let first = try? durable.firstIndex(), snapshot.metadata.index >= first
        else { return }
        _ = try durable.createSnapshot(
            snapshot.metadata.index, confState: snapshot.metadata.confState, data: snapshot.data)
        try durable.compact(snapshot.metadata.index)
    }

    private func apply(_ write: Write) throws(RaftError) {
        switch write {
        case .snapshot(let snapshot):
            try durable.applySnapshot(snapshot)
        case .entries(let entries):
            guard let firstNew = entries.first?.index else { return }
            // Entries already covered by the durable snapshot were compacted away; skip them.
            let snapshotIndex = try durable.firstIndex() - 1
            let usable = firstNew > snapshotIndex ? entries : entries.filter { $0.index > snapshotIndex }
            if !usable.isEmpty { try durable.append(usable) }
        case .hardState(let hardState):
            durable.setHardState(hardState)
        }
    }
}
