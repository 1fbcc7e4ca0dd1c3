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

    /// Creates each member's state machine (the default is `HashChainStateMachine`).
    public var makeStateMachine: @Sendable () -> any SimulatedStateMachine = { HashChainStateMachine() }

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
