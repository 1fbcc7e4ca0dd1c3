@testable import Raft

/// Builds a member with a fresh `MemoryStorage` whose configuration is `voters` (+ `learners`).
func makeNode(
    _ id: NodeID, voters: [NodeID], learners: [NodeID] = [], election: Int = 10, heartbeat: Int = 1,
    storage: MemoryStorage? = nil, configure: (inout Config) -> Void = { _ in }
) -> (RawNode, MemoryStorage) {
    let storage = storage ?? MemoryStorage(voters: voters, learners: learners)
    var config = Config(id: id, randomSeed: id.rawValue &* 7919)
    config.electionTick = election
    config.heartbeatTick = heartbeat
    configure(&config)
    let node = try! RawNode(config: config, storage: storage)
    return (node, storage)
}

extension RawNode {
    /// Persists one Ready into `storage`, applies its committed entries (configuration changes
    /// included) and advances. Returns the Ready.
    @discardableResult
    func persistAndApply(_ storage: MemoryStorage, applied: inout [Entry]) -> Ready {
        let rd = ready()
        if let snapshot = rd.snapshot { try! storage.applySnapshot(snapshot) }
        try! storage.append(rd.entries)
        if let hs = rd.hardState { storage.setHardState(hs) }
        for e in rd.committedEntries {
            if e.type == .confChangeV2 || e.type == .confChange {
                _ = applyConfChange(try! ConfChange(decoding: e.data))
            }
            applied.append(e)
        }
        advance(rd)
        return rd
    }

    /// Persists, applies and advances; returns every message of the Ready (both lists).
    @discardableResult
    func persistAll(_ storage: MemoryStorage) -> [Message] {
        var ignored: [Entry] = []
        let rd = persistAndApply(storage, applied: &ignored)
        return rd.messages + rd.messagesAfterPersist
    }
}

/// A deterministic in-memory cluster: messages are delivered in FIFO order, each member persists
/// and applies its Ready before its messages leave.
final class Network {
    var nodes: [NodeID: RawNode] = [:]
    var storages: [NodeID: MemoryStorage] = [:]
    var applied: [NodeID: [Entry]] = [:]
    var readStates: [NodeID: [ReadState]] = [:]
    var queue: [Message] = []
    /// Drop a message when this returns true.
    var drop: (Message) -> Bool = { _ in false }
    /// Whether delivering (or dropping) a snapshot reports its outcome to the sender.
    var reportSnapshots = true
    /// Called after a member persisted and restored a snapshot (its state machine was replaced).
    var onSnapshotRestore: ((NodeID, Snapshot) -> Void)?
    /// Every message delivered (or dropped), in order.
    var trace: [Message] = []

    init(
        _ ids: [NodeID], learners: [NodeID] = [], election: Int = 10, heartbeat: Int = 1,
        configure: (inout Config) -> Void = { _ in }
    ) {
        for id in ids + learners {
            let (node, storage) = makeNode(
                id, voters: ids, learners: learners, election: election, heartbeat: heartbeat, configure: configure)
            nodes[id] = node
            storages[id] = storage
            applied[id] = []
        }
    }

    var ids: [NodeID] { nodes.keys.sorted() }

    func node(_ id: NodeID) -> RawNode { nodes[id]! }

    /// Adds a member with an empty log that knows the cluster's bootstrap configuration (it learns
    /// the changes since from the log).
    func addEmptyMember(
        _ id: NodeID, bootstrap: ConfState = ConfState(voters: [1, 2, 3]), configure: (inout Config) -> Void = { _ in }
    ) {
        let (node, storage) = makeNode(
            id, voters: [], storage: MemoryStorage(confState: bootstrap), configure: configure)
        nodes[id] = node
        storages[id] = storage
        applied[id] = []
    }

    /// The leaders among the members.
    var leaders: [NodeID] { ids.filter { raft($0).role == .leader } }

    func raft(_ id: NodeID) -> Raft { nodes[id]!.raft }

    /// Processes `id`'s Ready: persist, apply, queue its messages.
    func process(_ id: NodeID) {
        guard let node = nodes[id], node.hasReady else { return }
        var log = applied[id]!
        let rd = node.persistAndApply(storages[id]!, applied: &log)
        applied[id] = log
        if let snapshot = rd.snapshot { onSnapshotRestore?(id, snapshot) }
        readStates[id, default: []].append(contentsOf: rd.readStates)
        queue.append(contentsOf: rd.messages)
        queue.append(contentsOf: rd.messagesAfterPersist)
    }

    /// Delivers queued messages and processes Readys until nothing moves.
    func stabilize(maxSteps: Int = 100_000) {
        var steps = 0
        while steps < maxSteps {
            steps += 1
            var moved = false
            for id in ids where nodes[id]!.hasReady {
                process(id)
                moved = true
            }
            if !queue.isEmpty {
                let batch = queue
                queue = []
                for m in batch { deliver(m) }
                moved = true
            }
            if !moved { return }
        }
        fatalError("network did not stabilize")
    }

    func deliver(_ m: Message) {
        trace.append(m)
        let dropped = drop(m)
        if !dropped, let node = nodes[m.to] {
            try? node.step(m)
        }
        // The transport reports every snapshot it sent or failed to send, as the contract asks.
        if m.type == .snapshot && reportSnapshots {
            nodes[m.from]?.reportSnapshot(m.to, failed: dropped || nodes[m.to] == nil)
        }
    }

    func campaign(_ id: NodeID) {
        try? nodes[id]!.campaign()
        stabilize()
    }

    func propose(_ id: NodeID, _ data: String) {
        try? nodes[id]!.propose(Array(data.utf8))
        stabilize()
    }

    func tick(_ id: NodeID, _ n: Int = 1) {
        for _ in 0..<n { nodes[id]!.tick() }
    }

    func tickAll(_ n: Int = 1) {
        for _ in 0..<n {
            for id in ids { nodes[id]!.tick() }
        }
    }

    /// Isolates `id`: messages to or from it are dropped.
    func isolate(_ id: NodeID) {
        drop = { $0.to == id || $0.from == id }
    }

    func heal() { drop = { _ in false } }

    /// The application data of the normal, non-empty entries `id` applied.
    func appliedData(_ id: NodeID) -> [String] {
        applied[id]!.filter { $0.type == .normal && !$0.data.isEmpty }.map { String(decoding: $0.data, as: UTF8.self) }
    }
}

/// Builds a bare entry.
func entry(_ term: Term, _ index: LogIndex, _ data: String = "") -> Entry {
    Entry(term: term, index: index, data: Array(data.utf8))
}

/// Entries with the given terms at indexes 1, 2, ...
func entries(terms: [UInt64], from start: UInt64 = 1) -> [Entry] {
    terms.enumerated().map { Entry(term: Term($0.element), index: LogIndex(start + UInt64($0.offset))) }
}

// MARK: Shared helpers of the feature tests

func v(_ id: NodeID) -> ConfChangeSingle { .init(type: .addNode, nodeID: id) }
func l(_ id: NodeID) -> ConfChangeSingle { .init(type: .addLearnerNode, nodeID: id) }
func r(_ id: NodeID) -> ConfChangeSingle { .init(type: .removeNode, nodeID: id) }

/// A three-member cluster (defaults: pre-vote and check-quorum on) led by member 1.
func cluster(
    _ ids: [NodeID] = [1, 2, 3], learners: [NodeID] = [], configure: (inout Config) -> Void = { _ in }
)
    -> Network
{
    let net = Network(ids, learners: learners, configure: configure)
    net.campaign(1)
    precondition(net.raft(1).role == .leader)
    return net
}
