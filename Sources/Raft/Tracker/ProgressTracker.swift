/// The membership configuration as the tracker uses it.
public struct TrackerConfig: Equatable, Sendable, CustomStringConvertible {
    /// The voters (joint while changing membership).
    public var voters = JointConfig()
    /// Whether the leader leaves the joint configuration automatically.
    public var autoLeave = false
    /// The learners.
    public var learners: Set<NodeID> = []
    /// Voters of the outgoing configuration that become learners when the joint one is left.
    public var learnersNext: Set<NodeID> = []

    /// Creates an empty configuration.
    public init() {}

    /// `voters=(1 2 3)&&(1 2) learners=(4) learners_next=(3) autoleave`.
    public var description: String {
        var s = "voters=\(voters)"
        if !learners.isEmpty { s += " learners=\(MajorityConfig(learners))" }
        if !learnersNext.isEmpty { s += " learners_next=\(MajorityConfig(learnersNext))" }
        if autoLeave { s += " autoleave" }
        return s
    }

    /// The configuration as a `ConfState`.
    public var confState: ConfState {
        ConfState(
            voters: Array(voters.incoming.ids), learners: Array(learners), votersOutgoing: Array(voters.outgoing.ids),
            learnersNext: Array(learnersNext), autoLeave: autoLeave)
    }
}

/// The leader's (and a candidate's) bookkeeping: the configuration, each member's progress and the
/// votes of the current election.
struct ProgressTracker {
    var config = TrackerConfig()
    var progress: [NodeID: Progress] = [:]
    var votes: [NodeID: Bool] = [:]
    let maxInflight: Int
    let maxInflightBytes: UInt64

    init(maxInflight: Int, maxInflightBytes: UInt64) {
        self.maxInflight = maxInflight
        self.maxInflightBytes = maxInflightBytes
    }

    func newInflights() -> Inflights { Inflights(capacity: maxInflight, maxBytes: maxInflightBytes) }

    var confState: ConfState { config.confState }

    /// Whether this is a one-voter configuration (which is not joint).
    var isSingleton: Bool { config.voters.incoming.ids.count == 1 && !config.voters.isJoint }

    /// The largest index a quorum of voters has acknowledged.
    func committed() -> LogIndex {
        config.voters.committedIndex { id in progress[id]?.match }
    }

    /// All tracked ids (voters and learners) in ascending order: iterate these, never the dictionary.
    var sortedIDs: [NodeID] { progress.keys.sorted() }

    /// Voters in ascending order.
    var voterIDs: [NodeID] { config.voters.ids.sorted() }

    /// Learners (including learnersNext) in ascending order.
    var learnerIDs: [NodeID] { config.learners.union(config.learnersNext).sorted() }

    /// Whether a quorum of voters was recently active.
    func quorumActive() -> Bool {
        var active: [NodeID: Bool] = [:]
        for (id, pr) in progress where !pr.isLearner {
            active[id] = pr.recentActive
        }
        return config.voters.voteResult(active) == .won
    }

    mutating func resetVotes() { votes = [:] }

    /// Records `id`'s vote; only the first vote of each member counts.
    mutating func recordVote(_ id: NodeID, granted: Bool) {
        if votes[id] == nil { votes[id] = granted }
    }

    /// The granted and rejected counts among voters, and the result.
    func tallyVotes() -> (granted: Int, rejected: Int, result: VoteResult) {
        var granted = 0
        var rejected = 0
        for (id, pr) in progress where !pr.isLearner {
            switch votes[id] {
            case .some(true): granted += 1
            case .some(false): rejected += 1
            case .none: break
            }
        }
        return (granted, rejected, config.voters.voteResult(votes))
    }
}
