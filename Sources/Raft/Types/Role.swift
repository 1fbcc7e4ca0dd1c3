/// The role of a member (paper §5.1, plus the pre-candidate of thesis §9.6).
public enum Role: Sendable, CustomStringConvertible {
    /// Follows a leader (or waits for one).
    case follower
    /// Runs a pre-vote before disturbing the cluster with a real election.
    case preCandidate
    /// Requests votes for a new term.
    case candidate
    /// Replicates the log.
    case leader

    /// etcd-io/raft's name: StateFollower, StatePreCandidate, StateCandidate, StateLeader.
    public var description: String {
        switch self {
        case .follower: return "StateFollower"
        case .preCandidate: return "StatePreCandidate"
        case .candidate: return "StateCandidate"
        case .leader: return "StateLeader"
        }
    }
}
