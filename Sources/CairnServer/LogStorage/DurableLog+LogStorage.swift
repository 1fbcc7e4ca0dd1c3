import Raft

extension DurableLog: LogStorage {
    public func initialState() throws(RaftError) -> (HardState, ConfState) {
        (hardState, currentSnapshot.metadata.confState)
    }

    /// The entries in `[low, high)`, at most `maxSize` payload bytes but at least one, as
    /// `MemoryStorage` returns them. Recent payloads come from memory; older ones are read back
    /// from their segment and checked against their checksum.
    ///
    /// A read-back failure (an I/O error, or a record damaged after it was verified at open) is
    /// `RaftError.storageFailure`, and the log fails stop: every later save throws, so the member
    /// shuts down with the error instead of crashing (etcd panics here) or serving a wrong answer.
    public func entries(_ low: LogIndex, _ high: LogIndex, maxSize: UInt64) throws(RaftError) -> [Entry] {
        if low <= dummyIndex { throw .compacted }
        if high > lastIndexValue + 1 { throw .unavailable }
        if metas.isEmpty { throw .unavailable }
        do {
            return try readEntries(low, high, maxSize: maxSize)
        } catch {
            state = .failed
            throw .storageFailure(String(describing: error))
        }
    }

    public func term(_ index: LogIndex) throws(RaftError) -> Term {
        if index < dummyIndex { throw .compacted }
        guard let term = termValue(index) else { throw .unavailable }
        return term
    }

    public func firstIndex() throws(RaftError) -> LogIndex { dummyIndex + 1 }

    public func lastIndex() throws(RaftError) -> LogIndex { lastIndexValue }

    public func snapshot() throws(RaftError) -> Snapshot { currentSnapshot }
}
