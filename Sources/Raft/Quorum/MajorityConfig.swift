/// A set of voters in which any majority is a quorum.
public struct MajorityConfig: Equatable, Sendable, CustomStringConvertible {
    /// The voters.
    public var ids: Set<NodeID>

    /// Creates a configuration of the given voters.
    public init(_ ids: some Sequence<NodeID> = []) { self.ids = Set(ids) }

    /// The voters in ascending order.
    public var sorted: [NodeID] { ids.sorted() }

    /// `(1 2 3)`.
    public var description: String { "(" + sorted.map(\.description).joined(separator: " ") + ")" }

    /// The largest index that a majority has acknowledged, given each voter's acknowledged index
    /// (nil: nothing acknowledged, counts as 0). The empty configuration returns `LogIndex.max`,
    /// so that in a joint configuration with an empty half the other half decides alone.
    ///
    /// Sorting the acknowledged indexes descending, the entry at position `n/2` is acknowledged
    /// by `n/2 + 1` voters: a majority.
    public func committedIndex(_ acked: (NodeID) -> LogIndex?) -> LogIndex {
        if ids.isEmpty { return .max }
        // Sorted ids keep the computation independent of Set order (it does not depend on it
        // anyway, but cheap determinism is worth having everywhere).
        var indexes = sorted.map { acked($0) ?? 0 }
        indexes.sort(by: >)
        return indexes[indexes.count / 2]
    }

    /// The election outcome given the votes (true granted, false rejected, missing pending).
    /// The empty configuration wins, by convention (joint configurations rely on it).
    public func voteResult(_ votes: [NodeID: Bool]) -> VoteResult {
        if ids.isEmpty { return .won }
        var granted = 0
        var missing = 0
        for id in ids {
            switch votes[id] {
            case .some(true): granted += 1
            case .some(false): break
            case .none: missing += 1
            }
        }
        let quorum = ids.count / 2 + 1
        if granted >= quorum { return .won }
        if granted + missing >= quorum { return .pending }
        return .lost
    }
}
