import Raft

/// The log storage of a scenario node: a `MemoryStorage` whose `snapshot()` is always taken at the
/// applied index with the current configuration (as etcd-io/raft's interaction environment does),
/// so a member added by a conf change is caught up with a snapshot that includes it.
final class ScenarioStorage: LogStorage {
    let memory: MemoryStorage
    /// Supplies the applied index and the configuration at it.
    var appliedState: () -> (LogIndex, ConfState) = { (0, ConfState()) }

    init(memory: MemoryStorage) {
        self.memory = memory
    }

    func initialState() throws(RaftError) -> (HardState, ConfState) { try memory.initialState() }

    func entries(_ low: LogIndex, _ high: LogIndex, maxSize: UInt64) throws(RaftError) -> [Entry] {
        try memory.entries(low, high, maxSize: maxSize)
    }

    func term(_ index: LogIndex) throws(RaftError) -> Term { try memory.term(index) }

    func firstIndex() throws(RaftError) -> LogIndex { try memory.firstIndex() }

    func lastIndex() throws(RaftError) -> LogIndex { try memory.lastIndex() }

    func snapshot() throws(RaftError) -> Snapshot {
        let stored = try memory.snapshot()
        let (applied, configuration) = appliedState()
        guard applied > stored.metadata.index, let term = try? memory.term(applied) else { return stored }
        return Snapshot(data: [], metadata: SnapshotMetadata(confState: configuration, index: applied, term: term))
    }
}
