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
        // A restored snapshot replaces the state machine with what was applied up to its index.
        net.onSnapshotRestore = { id, snapshot in
            let longest = net.ids.map { net.applied[$0]! }.max { $0.count < $1.count }!
            let upTo = snapshot.metadata.index
            net.applied[id] =
                longest.filter { $0.index <= upTo } + net.applied[id]!.filter { $0.index > upTo }
        }
        var snapshots = 0
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
            case 37:
                // Snapshot and compact a random member's log at its applied index.
                let id = ids[rng.next(below: size)]
                let r = net.raft(id)
                let storage = net.storages[id]!
                if r.raftLog.applied > (try! storage.snapshot()).metadata.index {
                    try! storage.createSnapshot(r.raftLog.applied, confState: r.tracker.confState, data: [])
                    try! storage.compact(r.raftLog.applied)
                    snapshots += 1
                }
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
                    case 0:
                        // Drop; the transport still reports a lost snapshot.
                        net.queue.remove(at: i)
                        if m.type == .snapshot { net.node(m.from).reportSnapshot(m.to, failed: true) }
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
