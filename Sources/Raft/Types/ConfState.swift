/// A membership configuration as persisted in snapshots and returned by `applyConfChange`.
/// Every array is sorted ascending.
public struct ConfState: Equatable, Sendable {
    /// The voters of the incoming (or only) configuration.
    public var voters: [NodeID]
    /// Non-voting members that receive the log.
    public var learners: [NodeID]
    /// The voters of the outgoing configuration while joint; empty otherwise.
    public var votersOutgoing: [NodeID]
    /// Members that become learners when the joint configuration is left (they are still voters
    /// in the outgoing configuration).
    public var learnersNext: [NodeID]
    /// Whether the leader leaves the joint configuration by itself once it is applied.
    public var autoLeave: Bool

    /// Creates a configuration; the arrays are sorted.
    public init(
        voters: [NodeID] = [], learners: [NodeID] = [], votersOutgoing: [NodeID] = [],
        learnersNext: [NodeID] = [], autoLeave: Bool = false
    ) {
        self.voters = voters.sorted()
        self.learners = learners.sorted()
        self.votersOutgoing = votersOutgoing.sorted()
        self.learnersNext = learnersNext.sorted()
        self.autoLeave = autoLeave
    }

    /// Whether the configuration is joint (has outgoing voters).
    public var isJoint: Bool { !votersOutgoing.isEmpty }
}
