import Testing

@testable import Raft

/// A cluster that uses the Ready contract to the letter: `messages` leave as soon as a Ready is
/// taken, the Ready is persisted later, and `messagesAfterPersist` leave only then. A crash drops
/// whatever was not persisted (the unsynced writes) and restarts the member from its storage.
private final class AsyncNetwork {
    var nodes: [NodeID: RawNode] = [:]
    var storages: [NodeID: MemoryStorage] = [:]
    var configs: [NodeID: Config] = [:]
    var pending: [NodeID: [Ready]] = [:]
    /// How many Readys a member may have in flight (taken, not yet persisted).
    let maxInFlight: Int
    var applied: [NodeID: [Entry]] = [:]
    var queue: [Message] = []
    /// The state machine as of a snapshot index (what restoring a snapshot loads).
    var stateMachineAt: (LogIndex) -> [Entry] = { _ in [] }

    init(_ ids: [NodeID], seed: UInt64, maxInFlight: Int) {
        self.maxInFlight = maxInFlight
        for id in ids {
            var config = Config(id: id, randomSeed: id.rawValue &* 131 &+ seed)
            config.maxInflightMsgs = 4
            configs[id] = config
            storages[id] = MemoryStorage(voters: ids)
            nodes[id] = try! RawNode(config: config, storage: storages[id]!)
            applied[id] = []
        }
    }

    var ids: [NodeID] { nodes.keys.sorted() }

    /// Takes a Ready: its `messages` leave at once.
    func takeReady(_ id: NodeID) {
        guard pending[id, default: []].count < maxInFlight, nodes[id]!.hasReady else { return }
        let rd = nodes[id]!.ready()
        queue.append(contentsOf: rd.messages)
        pending[id, default: []].append(rd)
    }

    /// Persists and applies the pending Ready; `messagesAfterPersist` leave now.
    func persist(_ id: NodeID) {
        guard let rd = pending[id]?.first else { return }
        pending[id]!.removeFirst()
        let storage = storages[id]!
        if let snapshot = rd.snapshot {
            try! storage.applySnapshot(snapshot)
            applied[id] = stateMachineAt(snapshot.metadata.index)
        }
        try! storage.append(rd.entries)
        if let hs = rd.hardState { storage.setHardState(hs) }
        for e in rd.committedEntries {
            if e.type == .confChangeV2 { _ = nodes[id]!.applyConfChange(try! ConfChange(decoding: e.data)) }
            applied[id]!.append(e)
        }
        queue.append(contentsOf: rd.messagesAfterPersist)
        nodes[id]!.advance(rd)
    }

    /// Loses the unpersisted Ready and the state machine; restarts from storage.
    func crash(_ id: NodeID) {
        pending[id] = nil
        nodes[id] = try! RawNode(config: configs[id]!, storage: storages[id]!)
        applied[id] = stateMachineAt((try! storages[id]!.snapshot()).metadata.index)
    }

    func deliver(_ m: Message) {
        try? nodes[m.to]?.step(m)
        if m.type == .snapshot { nodes[m.from]?.reportSnapshot(m.to, failed: false) }
    }

    func drop(_ m: Message) {
        if m.type == .snapshot { nodes[m.from]?.reportSnapshot(m.to, failed: true) }
    }

    /// Snapshots and compacts `id`'s storage at its applied index.
    func compact(_ id: NodeID) {
        let r = nodes[id]!.raft
        let storage = storages[id]!
        guard r.raftLog.applied > (try! storage.snapshot()).metadata.index else { return }
        try! storage.createSnapshot(r.raftLog.applied, confState: r.tracker.confState, data: [])
        try! storage.compact(r.raftLog.applied)
    }
}

@Suite("Crash recovery") struct CrashRecoveryTests {
    @Test(
        "sending before persisting is safe: no committed entry is lost and no term has two leaders across crashes",
        arguments: Array(UInt64(1)...UInt64(10)), [1, 3])
    func crashesLoseOnlyUnacknowledgedWrites(seed: UInt64, maxInFlight: Int) {
        var rng = SplitMix64(seed: seed)
        let ids: [NodeID] = [1, 2, 3]
        let net = AsyncNetwork(ids, seed: seed, maxInFlight: maxInFlight)
        var history: [Entry] = []  // the applied sequence, as first seen by anyone
        var checked: [NodeID: Int] = [:]
        var leaderOfTerm: [Term: NodeID] = [:]
        var proposals = 0
        net.stateMachineAt = { index in history.filter { $0.index <= index } }

        func check(_ step: Int) {
            for id in net.ids {
                let log = net.applied[id]!
                var i = min(checked[id, default: 0], log.count)
                while i < log.count {
                    if i == history.count {
                        history.append(log[i])
                    } else if history[i] != log[i] {
                        Issue.record(
                            "seed \(seed) step \(step): member \(id) applied \(log[i]) where \(history[i]) was applied")
                        return
                    }
                    i += 1
                }
                checked[id] = log.count
                let r = net.nodes[id]!.raft
                if r.role == .leader {
                    if let other = leaderOfTerm[r.term], other != id {
                        Issue.record(
                            "seed \(seed) in-flight \(maxInFlight) step \(step): leaders \(other) and \(id) in term \(r.term)"
                        )
                    }
                    if leaderOfTerm[r.term] == nil {
                        leaderOfTerm[r.term] = id
                        // Leader completeness: the new leader holds every applied entry.
                        // Entries below the first index are compacted into the snapshot.
                        for e in history
                        where e.index >= r.raftLog.firstIndex && r.raftLog.zeroTermOnError(e.index) != e.term {
                            Issue.record(
                                "seed \(seed) in-flight \(maxInFlight) step \(step): leader \(id) of term \(r.term) lacks applied \(e)"
                            )
                            break
                        }
                    }
                }
            }
        }

        for step in 0..<3000 {
            let id = ids[rng.next(below: ids.count)]
            switch rng.next(below: 100) {
            case 0..<8: net.nodes[id]!.tick()
            case 8..<16:
                proposals += 1
                try? net.nodes[id]!.propose(Array("p\(proposals)".utf8))
            case 16..<36: net.takeReady(id)
            case 36..<56: net.persist(id)
            case 56: if rng.next(below: 4) == 0 { net.crash(id) }
            case 57: net.compact(id)
            default:
                for _ in 0..<(1 + rng.next(below: 4)) {
                    guard !net.queue.isEmpty else { break }
                    let i = rng.next(below: min(4, net.queue.count))
                    let m = net.queue.remove(at: i)
                    if rng.next(below: 20) != 0 { net.deliver(m) } else { net.drop(m) }
                }
            }
            check(step)
        }
        #expect(history.count > 20, "seed \(seed): too little progress (\(history.count) applied)")
    }
}
