import Raft

extension ClusterProfile {
    /// A fault-free cluster of `voters` voters with etcd's default options, for benchmarks.
    public static func faultFree(voters: Int) -> ClusterProfile {
        ClusterProfile(
            voters: voters, learners: 0, spares: 0, preVote: true, checkQuorum: true, readOnly: .safe,
            maxInflight: 256, maxSizePerMsg: 1 << 20, electionTick: 10, heartbeatTick: 1,
            membershipChanges: false, network: SimulatedNetwork.Faults(), crashChance: 0, partitionChance: 0)
    }
}

extension Simulator {
    /// Drives the cluster without faults: elects a leader, then proposes `batch` client writes at a
    /// time on it and waits until the leader acknowledged (applied) all of them before proposing the
    /// next batch, until `total` writes are acknowledged. Every invariant is still checked after
    /// every event. Returns the clock units the workload took.
    @discardableResult
    public func runWorkload(batch: Int, total: Int) throws(InvariantViolation) -> Int {
        faultPhase = false
        network.faults = SimulatedNetwork.Faults()
        if nodes.isEmpty { try start() }
        let startUnits = now
        var acknowledged = checker.acknowledgedWrites
        let target = acknowledged + total
        var electionWait = 0
        while acknowledged < target {
            guard let leader = currentLeader() else {
                if electionWait % (options.unitsPerTick * profile.electionTick * 4) == 0, let first = nodes.first?.raw {
                    try? first.campaign()
                }
                electionWait += 1
                try step()
                continue
            }
            if leader.proposals.isEmpty {
                for _ in 0..<min(batch, target - acknowledged) { propose(on: leader) }
            }
            try step()
            acknowledged = checker.acknowledgedWrites
        }
        stats.acknowledgedWrites = checker.acknowledgedWrites
        return now - startUnits
    }
}
