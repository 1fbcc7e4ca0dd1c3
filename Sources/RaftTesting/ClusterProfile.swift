import Raft

/// The shape of one simulated cluster, drawn from the seed: size, Raft options and fault rates.
///
/// Randomizing options per seed is what makes a few thousand seeds cover pre-vote with and without
/// check-quorum, lease and safe reads, tiny in-flight windows and tiny messages, single nodes and
/// seven-node clusters.
public struct ClusterProfile: Sendable, CustomStringConvertible {
    /// Initial voters (ids 1...voters).
    public var voters: Int
    /// Initial learners (the ids after the voters).
    public var learners: Int
    /// Empty members (the ids after the learners) that membership changes can add.
    public var spares: Int
    /// Raft's pre-vote option.
    public var preVote: Bool
    /// Raft's check-quorum option.
    public var checkQuorum: Bool
    /// ReadIndex mode; `.leaseBased` implies check-quorum.
    public var readOnly: ReadOnlyOption
    /// Maximum in-flight appends per follower.
    public var maxInflight: Int
    /// Maximum bytes per append message.
    public var maxSizePerMsg: UInt64
    /// Election timeout in ticks.
    public var electionTick: Int
    /// Heartbeat interval in ticks.
    public var heartbeatTick: Int
    /// Whether the run proposes membership changes.
    public var membershipChanges: Bool
    /// The network's fault model during the fault phase.
    public var network: SimulatedNetwork.Faults
    /// Per clock unit, the chance a live member crashes.
    public var crashChance: Double
    /// Per clock unit, the chance the partition layout changes.
    public var partitionChance: Double

    /// All member ids, initial voters first.
    public var memberIDs: [NodeID] { (1...(voters + learners + spares)).map { NodeID(rawValue: UInt64($0)) } }

    /// A profile drawn from `random`.
    public static func random(_ random: inout SimulationRandom) -> ClusterProfile {
        let voters = random.int(in: 1...5) + (random.chance(0.15) ? 2 : 0)
        let learners = voters < 7 && random.chance(0.25) ? random.int(in: 1...min(2, 7 - voters)) : 0
        let membership = random.chance(0.35)
        let spares = membership ? min(7 - voters - learners, random.int(in: 0...2)) : 0
        let checkQuorum = random.chance(0.5)
        let lease = checkQuorum && random.chance(0.3)
        var network = SimulatedNetwork.Faults()
        network.loss = random.pick([0, 0.01, 0.05, 0.15])!
        network.duplication = random.pick([0, 0.02, 0.1])!
        network.delay = 1...random.int(in: 2...8)
        network.longDelayChance = random.pick([0, 0.01, 0.05])!
        network.longDelay = random.int(in: 10...60)
        return ClusterProfile(
            voters: voters,
            learners: learners,
            spares: spares,
            preVote: random.chance(0.5),
            checkQuorum: checkQuorum,
            readOnly: lease ? .leaseBased : .safe,
            maxInflight: random.pick([1, 2, 4, 256])!,
            maxSizePerMsg: random.pick([1, 64, 1 << 20])!,
            electionTick: random.int(in: 5...12),
            heartbeatTick: 1,
            membershipChanges: membership,
            network: network,
            crashChance: random.pick([0, 0.001, 0.003])!,
            partitionChance: random.pick([0, 0.002, 0.01])!
        )
    }

    /// One line naming every choice, printed at the top of a trace.
    public var description: String {
        "voters=\(voters) learners=\(learners) spares=\(spares) prevote=\(preVote) checkquorum=\(checkQuorum) "
            + "readonly=\(readOnly == .safe ? "safe" : "lease") max-inflight=\(maxInflight) "
            + "max-size-per-msg=\(maxSizePerMsg) election=\(electionTick) membership=\(membershipChanges) "
            + "loss=\(network.loss) dup=\(network.duplication) delay=\(network.delay.lowerBound)...\(network.delay.upperBound) "
            + "long-delay=\(network.longDelayChance)/\(network.longDelay) crash=\(crashChance) partition=\(partitionChance)"
    }
}
