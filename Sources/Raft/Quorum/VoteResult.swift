/// The outcome of counting votes.
public enum VoteResult: Sendable, Equatable {
    /// Neither won nor lost yet: outstanding votes could still decide it.
    case pending
    /// A quorum rejected.
    case lost
    /// A quorum granted.
    case won
}
