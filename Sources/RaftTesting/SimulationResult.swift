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
