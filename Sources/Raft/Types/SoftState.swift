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
