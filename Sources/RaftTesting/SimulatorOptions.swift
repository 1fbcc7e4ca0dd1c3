/// How much work one simulated run does.
public struct SimulatorOptions: Sendable {
    /// Ticks of the fault phase (crashes, partitions, loss, client traffic).
    public var faultTicks = 300
    /// The bound, in ticks, within which the healed cluster must converge.
    public var healTicks = 500
    /// Keep a human-readable trace (slower; the trace hash is computed either way).
    public var keepTrace = false
    /// Clock units per tick: messages are delayed in units, so several round trips fit in a tick.
    public var unitsPerTick = 4

    /// A deliberate driver bug, to prove end to end that the invariants catch one (tests only).
    public var sabotage: Sabotage?

    /// Deliberate driver bugs.
    public enum Sabotage: Sendable {
        /// Never fsync: every Ready is acknowledged while it exists only in memory.
        case skipSync
    }

    /// The defaults used by `raft-sim`.
    public init() {}

    /// Options with the given phase lengths.
    public init(faultTicks: Int, healTicks: Int = 500, keepTrace: Bool = false) {
        self.faultTicks = faultTicks
        self.healTicks = healTicks
        self.keepTrace = keepTrace
    }
}

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

/// The outcome of one seed.
public struct SimulationResult: Sendable {
    /// The seed that was run.
    public var seed: UInt64
    /// The cluster drawn from it.
    public var profile: ClusterProfile
    /// FNV-1a/64 over the event trace: equal for two runs of the same seed.
    public var traceHash: TraceHash
    /// The first invariant broken, if any.
    public var violation: InvariantViolation?
    /// The readable trace, when `keepTrace` was set.
    public var trace: [String]
    /// What the run did.
    public var stats: SimulationStats

    /// The options the run used.
    public var options: SimulatorOptions

    /// The one-line command that replays this seed with its trace.
    public var reproduction: String {
        let defaults = SimulatorOptions()
        var command = "swift run raft-sim --seed \(seed) --trace"
        if options.faultTicks != defaults.faultTicks { command += " --fault-ticks \(options.faultTicks)" }
        if options.healTicks != defaults.healTicks { command += " --heal-ticks \(options.healTicks)" }
        return command
    }
}
