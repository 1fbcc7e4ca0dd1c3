/// Counters describing what a run did.
public struct SimulationStats: Sendable, CustomStringConvertible {
    /// Clock units simulated.
    public var units = 0
    /// Events processed (deliveries, ticks, Ready rounds, faults, client operations).
    public var events = 0
    /// Client writes acknowledged.
    public var acknowledgedWrites = 0
    /// ReadIndex reads checked for linearizability.
    public var checkedReads = 0
    /// Lease reads served (not checked: lease reads assume bounded clock drift and no restarts).
    public var leaseReads = 0
    /// Crashes injected.
    public var crashes = 0
    /// Proposals the core refused.
    public var droppedProposals = 0
    /// Membership changes proposed.
    public var confChanges = 0
    /// Snapshots taken by the application.
    public var compactions = 0
    /// Highest index applied anywhere.
    public var maxApplied: UInt64 = 0
    /// Ticks the heal phase needed to converge.
    public var healTicks = 0

    /// Creates zeroed counters.
    public init() {}

    /// A one-line summary.
    public var description: String {
        "events=\(events) applied=\(maxApplied) acked=\(acknowledgedWrites) reads=\(checkedReads) "
            + "lease-reads=\(leaseReads) crashes=\(crashes) dropped-proposals=\(droppedProposals) "
            + "conf-changes=\(confChanges) compactions=\(compactions) heal-ticks=\(healTicks)"
    }
}
