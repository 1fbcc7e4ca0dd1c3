import Testing

@testable import Raft

/// Seeded random runs of a small cluster with message loss, duplication and reordering, checking
/// safety invariants after every event and convergence after healing. A failure prints its seed.
@Suite("Randomized cluster") struct RandomizedClusterTests {
    @Test(arguments: Array(UInt64(1)...UInt64(16)))
    func safetyUnderLossDuplicationAndReordering(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let size = rng.next(below: 2) == 0 ? 3 : 5
        let ids = (1...size).map { NodeID(UInt64($0)) }
        let net = Network(ids) {
            $0.randomSeed = $0.id.rawValue &+ seed &* 1000
            $0.maxInflightMsgs = 4
            $0.maxSizePerMsg = 8
        }
        var leaderOfTerm: [Term: NodeID] = [:]
        var lastCommit: [NodeID: LogIndex] = [:]
        var proposals = 0

        var checkedPrefix = 0
        func check(_ event: String) {
            for id in net.ids {
                let r = net.raft(id)
                if r.role == .leader {
                    if let other = leaderOfTerm[r.term], other != id {
                        Issue.record("seed \(seed): two leaders \(other) and \(id) in term \(r.term) after \(event)")
                    }
                    leaderOfTerm[r.term] = id
                }
                let commit = r.raftLog.committed
                if commit < lastCommit[id, default: 0] {
                    Issue.record("seed \(seed): commit of \(id) went back to \(commit) after \(event)")
                }
                lastCommit[id] = commit
            }
            // Applied sequences agree: one is a prefix of the other. Each member's applied list only
            // grows, so comparing every member with the longest one from the last checked position
            // on is enough.
            let longest = net.ids.map { net.applied[$0]! }.max { $0.count < $1.count }!
            for id in net.ids {
                let log = net.applied[id]!
                var i = min(checkedPrefix, log.count)
                while i < log.count {
                    if log[i] != longest[i] {
                        Issue.record("seed \(seed): applied log of \(id) diverges at \(i) after \(event)")
                        break
                    }
                    i += 1
                }
            }
            checkedPrefix = net.ids.map { net.applied[$0]!.count }.min()!
        }

        for step in 0..<3000 {
            switch rng.next(below: 40) {
            case 38:
                net.isolate(ids[rng.next(below: size)])
            case 39:
                net.heal()
            case 0..<12:
                let id = ids[rng.next(below: size)]
                net.tick(id)
            case 12..<16:
                let id = ids[rng.next(below: size)]
                proposals += 1
                try? net.node(id).propose(Array("p\(proposals)".utf8))
            case 16..<24:
                for id in ids where rng.next(below: 2) == 0 { net.process(id) }
            default:
                for _ in 0..<(1 + rng.next(below: 8)) {
                    guard !net.queue.isEmpty else { break }
                    // Mostly near the front (mild reordering), sometimes anywhere.
                    let window = rng.next(below: 4) == 0 ? net.queue.count : min(3, net.queue.count)
                    let i = rng.next(below: window)
                    let m = net.queue[i]
                    switch rng.next(below: 20) {
                    case 0: net.queue.remove(at: i)  // drop
                    case 1: net.deliver(m)  // duplicate (stays queued)
                    default:
                        net.queue.remove(at: i)
                        net.deliver(m)
                    }
                }
            }
            check("step \(step)")
        }

        net.heal()
        // Heal: deliver everything in order and tick until a leader commits a final proposal
        // everywhere.
        net.stabilize()
        var converged = false
        for _ in 0..<200 {
            net.tickAll()
            net.stabilize()
            check("heal")
            if let leader = net.leaders.first {
                try? net.node(leader).propose(Array("final".utf8))
                net.stabilize()
                for _ in 0..<3 {
                    net.tickAll()
                    net.stabilize()
                }
                converged =
                    net.ids.allSatisfy { net.appliedData($0).last == "final" }
                    && Set(net.ids.map { net.applied[$0]!.count }).count == 1
                if converged { break }
            }
        }
        #expect(converged, "seed \(seed): cluster did not converge after healing")
    }
}

@Suite("Determinism") struct DeterminismTests {
    /// Runs a seeded scenario and returns every delivered message's description.
    private func run(seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        let net = Network([1, 2, 3, 4, 5]) { $0.randomSeed = $0.id.rawValue &* 31 &+ seed }
        for step in 0..<1500 {
            switch rng.next(below: 10) {
            case 0..<4: net.tick(NodeID(UInt64(1 + rng.next(below: 5))))
            case 4: try? net.node(NodeID(UInt64(1 + rng.next(below: 5)))).propose(Array("s\(step)".utf8))
            case 5: net.node(NodeID(UInt64(1 + rng.next(below: 5)))).readIndex(Array("r\(step)".utf8))
            default:
                for id in net.ids { net.process(id) }
                while !net.queue.isEmpty {
                    let m = net.queue.removeFirst()
                    if rng.next(below: 10) != 0 { net.deliver(m) }
                }
            }
        }
        return net.trace.map(\.description)
    }

    @Test("the same seed gives the same message trace")
    func sameSeedSameTrace() {
        let a = run(seed: 7)
        let b = run(seed: 7)
        #expect(a.count > 100)
        #expect(a == b)
        #expect(run(seed: 8) != a)
    }
}

@Suite("Randomized membership") struct RandomizedMembershipTests {
    @Test(arguments: Array(UInt64(1)...UInt64(6)))
    func randomConfChangesConverge(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let net = Network([1, 2, 3]) { $0.randomSeed = $0.id.rawValue &+ seed }
        net.campaign(1)
        var nextID: UInt64 = 4
        var removed = Set<NodeID>()

        func leader() -> NodeID? {
            for _ in 0..<100 {
                if let l = net.leaders.first(where: { !removed.contains($0) }) { return l }
                net.tickAll()
                net.stabilize()
            }
            return nil
        }

        for round in 0..<30 {
            guard let lead = leader() else {
                Issue.record("seed \(seed) round \(round): no leader")
                return
            }
            let cs = net.raft(lead).tracker.confState
            var changes: [ConfChangeSingle] = []
            var transition = ConfChangeTransition.auto
            switch rng.next(below: 6) {
            case 0:
                let id = NodeID(nextID)
                nextID += 1
                net.addEmptyMember(id) { $0.randomSeed = id.rawValue &+ seed }
                changes = [.init(type: .addNode, nodeID: id)]
            case 1:
                let id = NodeID(nextID)
                nextID += 1
                net.addEmptyMember(id) { $0.randomSeed = id.rawValue &+ seed }
                changes = [.init(type: .addLearnerNode, nodeID: id)]
            case 2:
                if let learner = cs.learners.first { changes = [.init(type: .addNode, nodeID: learner)] }
            case 3:
                if cs.voters.count > 2 {
                    changes = [.init(type: .removeNode, nodeID: cs.voters[rng.next(below: cs.voters.count)])]
                }
            case 4:
                // Two voter changes at once: joint consensus.
                let id = NodeID(nextID)
                nextID += 1
                net.addEmptyMember(id) { $0.randomSeed = id.rawValue &+ seed }
                changes = [.init(type: .addNode, nodeID: id)]
                if cs.voters.count > 2 {
                    changes.append(.init(type: .removeNode, nodeID: cs.voters[rng.next(below: cs.voters.count)]))
                }
                transition = rng.next(below: 2) == 0 ? .auto : .implicit
            default:
                if let voter = cs.voters.last, cs.voters.count > 2 {
                    changes = [.init(type: .addLearnerNode, nodeID: voter)]
                }
            }
            if changes.isEmpty { continue }
            try? net.node(lead).proposeConfChange(ConfChange(transition: transition, changes: changes))
            net.stabilize()
            for change in changes where change.type == .removeNode { removed.insert(change.nodeID) }
            for _ in 0..<3 {
                net.tickAll()
                net.stabilize()
            }
            // Every current member agrees on the configuration, which is not joint.
            guard let now = leader() else {
                Issue.record("seed \(seed) round \(round): no leader after \(changes)")
                return
            }
            let config = net.raft(now).tracker.confState
            #expect(!config.isJoint, "seed \(seed) round \(round): still joint \(config)")
            for id in config.voters + config.learners {
                #expect(net.raft(id).tracker.confState == config, "seed \(seed) round \(round): member \(id)")
            }
            // And the cluster still commits.
            try? net.node(now).propose(Array("r\(round)".utf8))
            net.stabilize()
            for id in config.voters + config.learners {
                #expect(
                    net.appliedData(id).last == "r\(round)", "seed \(seed) round \(round): member \(id) did not apply")
            }
        }
    }
}
