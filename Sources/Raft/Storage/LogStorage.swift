/// The stable storage the Raft core reads its log from. The application writes to it (appending
/// a Ready's entries, setting its hard state, applying snapshots) and the core only reads.
///
/// The log is the dummy position `firstIndex() - 1` (the last compacted index, whose term is known)
/// followed by the entries `firstIndex()...lastIndex()`.
public protocol LogStorage: AnyObject {
    /// The persisted hard state and configuration, read once at start.
    func initialState() throws(RaftError) -> (HardState, ConfState)
    /// The entries in `[low, high)`, limited to `maxSize` payload bytes but at least one entry.
    /// Throws `.compacted` if `low` was compacted and `.unavailable` beyond the last index.
    func entries(_ low: LogIndex, _ high: LogIndex, maxSize: UInt64) throws(RaftError) -> [Entry]
    /// The term of the entry at `index`, for `firstIndex() - 1 ... lastIndex()`.
    func term(_ index: LogIndex) throws(RaftError) -> Term
    /// The index of the first available entry.
    func firstIndex() throws(RaftError) -> LogIndex
    /// The index of the last entry.
    func lastIndex() throws(RaftError) -> LogIndex
    /// The most recent snapshot; `.snapshotTemporarilyUnavailable` if it is being produced.
    func snapshot() throws(RaftError) -> Snapshot
}
