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

/// Volatile state that is useful to observe but need not be persisted.
public struct SoftState: Equatable, Sendable, CustomStringConvertible {
    /// The known leader, or `.none`.
    public var leader: NodeID
    /// This member's role.
    public var role: Role

    /// Creates a soft state.
    public init(leader: NodeID = .none, role: Role = .follower) {
        self.leader = leader
        self.role = role
    }

    /// `Lead:1 State:StateLeader`.
    public var description: String { "Lead:\(leader) State:\(role)" }
}

/// The answer to a `readIndex` request: once the state machine has applied `index`, a read that
/// began before the request may be served locally and is linearizable (thesis §6.4).
public struct ReadState: Equatable, Sendable, CustomStringConvertible {
    /// The commit index at the time the leader received the request.
    public var index: LogIndex
    /// The caller's context passed to `readIndex`.
    public var requestContext: [UInt8]

    /// Creates a read state.
    public init(index: LogIndex, requestContext: [UInt8]) {
        self.index = index
        self.requestContext = requestContext
    }

    /// `Index:5 Context:"abc"`.
    public var description: String { "Index:\(index) Context:\(quoted(requestContext))" }
}
