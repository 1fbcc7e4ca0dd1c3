/// Two majority configurations used together during a membership change (thesis §4.3): every
/// decision needs a majority of the incoming AND a majority of the outgoing configuration.
/// When not joint, `outgoing` is empty and `incoming` decides alone.
public struct JointConfig: Equatable, Sendable, CustomStringConvertible {
    /// The new (or only) configuration.
    public var incoming: MajorityConfig
    /// The old configuration while joint; empty otherwise.
    public var outgoing: MajorityConfig

    /// Creates a joint configuration.
    public init(incoming: MajorityConfig = MajorityConfig(), outgoing: MajorityConfig = MajorityConfig()) {
        self.incoming = incoming
        self.outgoing = outgoing
    }

    /// Whether the configuration is joint.
    public var isJoint: Bool { !outgoing.ids.isEmpty }

    /// Every voter of either half.
    public var ids: Set<NodeID> { incoming.ids.union(outgoing.ids) }

    /// `(1 2 3)&&(1 2)` when joint, `(1 2 3)` otherwise.
    public var description: String {
        isJoint ? "\(incoming)&&\(outgoing)" : incoming.description
    }

    /// The largest index acknowledged by a quorum of both halves: the smaller of the two.
    public func committedIndex(_ acked: (NodeID) -> LogIndex?) -> LogIndex {
        min(incoming.committedIndex(acked), outgoing.committedIndex(acked))
    }

    /// Won when both halves won, lost when either lost, pending otherwise.
    public func voteResult(_ votes: [NodeID: Bool]) -> VoteResult {
        let r1 = incoming.voteResult(votes)
        let r2 = outgoing.voteResult(votes)
        if r1 == r2 { return r1 }
        if r1 == .lost || r2 == .lost { return .lost }
        return .pending
    }
}
