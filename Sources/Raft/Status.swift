/// A member's state for observation (logs, metrics, tests).
public struct Status: Sendable, CustomStringConvertible {
    /// The member.
    public var id: NodeID
    /// Term, vote and commit index.
    public var hardState: HardState
    /// Leader and role.
    public var softState: SoftState
    /// The last index handed to the application to apply.
    public var applied: LogIndex
    /// The member leadership is being transferred to, or `.none`.
    public var leadTransferee: NodeID
    /// Each member's progress, sorted by id; empty unless this member leads.
    public var progress: [(NodeID, Progress)]
    /// The current (applied) configuration.
    public var config: ConfState

    /// Creates a status.
    public init(
        id: NodeID, hardState: HardState, softState: SoftState, applied: LogIndex, leadTransferee: NodeID,
        progress: [(NodeID, Progress)], config: ConfState
    ) {
        self.id = id
        self.hardState = hardState
        self.softState = softState
        self.applied = applied
        self.leadTransferee = leadTransferee
        self.progress = progress
        self.config = config
    }

    /// `1 Term:2 Vote:1 Commit:5 Lead:1 State:StateLeader Applied:5 Progress:[1: StateReplicate match=5 next=6, ...]`.
    public var description: String {
        var s = "\(id) \(hardState) \(softState) Applied:\(applied)"
        if leadTransferee != .none { s += " LeadTransferee:\(leadTransferee)" }
        s += " Config:{\(config)}"
        if !progress.isEmpty {
            s += " Progress:[" + progress.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "]"
        }
        return s
    }
}
