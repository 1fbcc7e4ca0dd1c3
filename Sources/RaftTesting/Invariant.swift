import Raft

/// The properties the simulator checks after every event.
///
/// They follow the Raft paper's safety argument (figure 3) plus what a client can observe:
/// durability before acknowledgement and linearizable ReadIndex reads.
public enum Invariant: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Election safety: at most one leader is ever elected in a given term (paper 5.2).
    case singleLeaderPerTerm = "at most one leader per term"
    /// A member grants at most one vote per term, even across crashes and restarts (paper 5.2).
    case singleVotePerTerm = "a member never votes twice in a term"
    /// A leader's vote quorum counts voters only and, in a joint configuration, both majorities.
    case electionQuorum = "leaders are elected by a quorum of voters (both majorities when joint)"
    /// Log matching: entries with the same index and term carry the same data and prefix (paper 5.3).
    case logMatching = "log matching"
    /// Leader completeness: a leader holds every entry committed in earlier terms (paper 5.4).
    case leaderCompleteness = "leader completeness"
    /// State machine safety: every member applies the same entry at a given index (paper 5.4.3).
    case appliedPrefixAgreement = "applied prefixes agree across members"
    /// Entries are applied in index order without gaps or repeats.
    case applyOrder = "entries are applied in order, without gaps"
    /// A member's commit index never moves backwards, and a restart never starts below durable commit.
    case commitMonotonic = "commit index never decreases"
    /// A client-visible acknowledgement happens only after a quorum of voters durably stored the entry.
    case durableBeforeAcknowledged = "nothing acknowledged before a quorum durably had it"
    /// A ReadIndex read observes every write acknowledged before the read started.
    case linearizableRead = "ReadIndex reads are linearizable"
    /// After faults stop, the cluster elects a leader, commits, and converges within a bound.
    case healConvergence = "the cluster converges after the faults stop"
    /// The core handed the driver something storage had to reject (an out-of-date snapshot, a gap).
    case readyContract = "the Ready contract holds"

    /// The property in words.
    public var description: String { rawValue }
}
