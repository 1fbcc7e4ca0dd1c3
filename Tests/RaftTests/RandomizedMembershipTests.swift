import Testing

@testable import Raft

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
