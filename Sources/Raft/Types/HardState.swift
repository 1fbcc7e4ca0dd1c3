/// The state a member must persist before it acts on it: its term, its vote in that term and the
/// commit index (paper Figure 2, "persistent state on all servers").
public struct HardState: Equatable, Sendable {
    /// The latest term this member has seen.
    public var term: Term
    /// The candidate this member voted for in `term`, or `.none`.
    public var vote: NodeID
    /// The highest index known to be committed.
    public var commit: LogIndex

    /// Creates a hard state.
    public init(term: Term = 0, vote: NodeID = .none, commit: LogIndex = 0) {
        self.term = term
        self.vote = vote
        self.commit = commit
    }

    /// Whether this is the zero state of a fresh member.
    public var isEmpty: Bool { self == HardState() }
}
