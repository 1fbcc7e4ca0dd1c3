import Raft

/// A seeded whole-cluster simulation of RawNodes (in the manner of TigerBeetle's VOPR and
/// FoundationDB's simulation).
///
/// One seed determines everything: the cluster shape and options (`ClusterProfile`), every delay,
/// loss, duplication, partition, crash and torn write, every client write and ReadIndex read,
/// compactions and membership changes. The driver honours the Ready contract: `messages` leave at
/// once, `messagesAfterPersist` only after the Ready's writes were synced to the simulated disk,
/// committed entries are applied after that, and `advance` comes last. After every event the
/// `InvariantChecker` checks the cluster; after the fault phase, faults stop, every member restarts
/// and the cluster must elect a leader, commit a fresh entry and converge within a bound.
///
/// ```swift
/// let result = Simulator(seed: 42).run()
/// if let violation = result.violation { print(violation, result.reproduction) }
/// ```
public final class Simulator {
    /// The seed of this run.
    public let seed: UInt64
    /// The cluster drawn from the seed.
    public let profile: ClusterProfile
    /// Work bounds.
    public let options: SimulatorOptions

    var random: SimulationRandom
    var nodes: [SimulatedNode] = []
    let network = SimulatedNetwork()
    var checker = InvariantChecker()
    var now = 0
    var hash = TraceHash()
    var trace: [String] = []
    var stats = SimulationStats()
    var nextWrite: UInt64 = 1
    var nextRead: UInt64 = 1
    var everRemoved: Set<NodeID> = []
    var faultPhase = true

    /// A run of `seed` with `options`; nothing happens until `run()`.
    public init(seed: UInt64, options: SimulatorOptions = SimulatorOptions()) {
        self.seed = seed
        self.options = options
        var random = SimulationRandom(seed: seed)
        var profileRandom = random.split()
        self.profile = ClusterProfile.random(&profileRandom)
        self.random = random
    }

    /// A run of `seed` on an explicit cluster `profile` instead of one drawn from the seed.
    public init(seed: UInt64, profile: ClusterProfile, options: SimulatorOptions = SimulatorOptions()) {
        self.seed = seed
        self.options = options
        var random = SimulationRandom(seed: seed)
        _ = random.split()
        self.profile = profile
        self.random = random
    }

    /// Runs the fault phase and the heal phase, stopping at the first violation.
    public func run() -> SimulationResult {
        var violation: InvariantViolation?
        do {
            try start()
            network.faults = profile.network
            for _ in 0..<(options.faultTicks * options.unitsPerTick) { try step() }
            try heal()
        } catch {
            violation = error
            log("VIOLATION \(error)")
        }
        stats.units = now
        stats.acknowledgedWrites = checker.acknowledgedWrites
        stats.checkedReads = checker.checkedReads
        stats.maxApplied = checker.maxApplied.rawValue
        return SimulationResult(
            seed: seed, profile: profile, traceHash: hash, violation: violation, trace: trace, stats: stats,
            options: options)
    }

    /// The trace hash of a run of `seed`, for the determinism self-check: it must not change when
    /// the same seed runs again.
    public static func traceHash(seed: UInt64, options: SimulatorOptions = SimulatorOptions()) -> TraceHash {
        Simulator(seed: seed, options: options).run().traceHash
    }

    // MARK: Setup

    func start() throws(InvariantViolation) {
        log("seed \(seed): \(profile)")
        let ids = profile.memberIDs
        let voters = Array(ids.prefix(profile.voters))
        let learners = Array(ids.dropFirst(profile.voters).prefix(profile.learners))
        let bootstrap = Snapshot(
            data: options.makeStateMachine().snapshot(),
            metadata: SnapshotMetadata(
                confState: ConfState(
                    voters: voters, learners: learners, votersOutgoing: [], learnersNext: [], autoLeave: false),
                index: 1, term: 1))
        try checker.restoredSnapshot(index: 1, stateHash: options.makeStateMachine().fingerprint, on: NodeID.none)
        for id in ids {
            let node = SimulatedNode(id: id, machine: options.makeStateMachine())
            node.tickPhase = random.int(in: 0...(options.unitsPerTick - 1))
            if voters.contains(id) || learners.contains(id) {
                node.disk.write(.snapshot(bootstrap))
                try storage { () throws(RaftError) in try node.disk.sync() }
            }
            nodes.append(node)
            try boot(node)
        }
    }

    func boot(_ node: SimulatedNode) throws(InvariantViolation) {
        node.incarnation += 1
        var config = Config(
            id: node.id, randomSeed: seed &* 0x9E37_79B9 &+ node.id.rawValue &* 1000 &+ UInt64(node.incarnation))
        config.electionTick = profile.electionTick
        config.heartbeatTick = profile.heartbeatTick
        config.preVote = profile.preVote
        config.checkQuorum = profile.checkQuorum
        config.readOnlyOption = profile.readOnly
        config.maxInflightMsgs = profile.maxInflight
        config.maxSizePerMsg = profile.maxSizePerMsg
        let recovered = try storage { () throws(RaftError) in try node.disk.recover() }
        let snapshot = try storage { () throws(RaftError) in try recovered.snapshot() }
        config.applied = snapshot.metadata.index
        node.storage = recovered
        do {
            node.raw = try RawNode(config: config, storage: recovered)
        } catch {
            throw InvariantViolation(
                .readyContract, "node \(node.id) failed to restart from its durable state: \(error)")
        }
        node.applied = snapshot.metadata.index
        node.machine = options.makeStateMachine()
        if snapshot.metadata.index > 0 { node.machine.restore(from: snapshot.data) }
        node.configurations = []
        node.record(configuration: snapshot.metadata.confState)
        node.ledTerm = nil
        let commit = node.raw!.basicStatus.hardState.commit
        record(
            "boot n\(node.id) incarnation=\(node.incarnation) commit=\(commit)", 1, node.id.rawValue, commit.rawValue)
        try checker.restarted(node.id, commit: commit)
    }

    // MARK: The event loop

    /// One clock unit: deliveries, ticks, faults, client traffic, Ready handling, restarts.
    func step() throws(InvariantViolation) {
        now += 1
        var lost: [Message] = []
        for message in network.deliverable(now: now, lost: &lost) { try deliver(message) }
        for message in lost where message.type == .snapshot { reportSnapshot(message, failed: true) }
        for node in nodes where node.isLive && (now + node.tickPhase) % options.unitsPerTick == 0 {
            node.raw!.tick()
            record("tick n\(node.id)", 2, node.id.rawValue)
            try observe(node)
        }
        if faultPhase {
            try injectFaults()
            try clientTraffic()
        }
        for node in nodes where node.isLive && node.raw!.hasReady {
            // A slow disk: sometimes the Ready waits for a later unit.
            if faultPhase && random.chance(0.25) { continue }
            try processReady(node)
        }
        for node in nodes where !node.isLive && node.restartAt <= now { try boot(node) }
    }

    func deliver(_ message: Message) throws(InvariantViolation) {
        let index = Int(message.to.rawValue) - 1
        guard index >= 0, index < nodes.count, let raw = nodes[index].raw else {
            // The receiver is down: the snapshot stream fails, and the transport says so.
            if message.type == .snapshot { reportSnapshot(message, failed: true) }
            return
        }
        record(
            "deliver \(message)", 3, UInt64(message.type.rawValue), message.from.rawValue, message.to.rawValue,
            message.term.rawValue, message.index.rawValue, message.logTerm.rawValue, message.commit.rawValue,
            UInt64(message.entries.count), message.reject ? 1 : 0)
        do {
            try raw.step(message)
        } catch {
            record("  step error \(error)", 4)
        }
        try observe(nodes[index])
        // The transport tells the sender how a snapshot stream ended, as etcd's does; without it a
        // follower whose reply is lost would stay in StateSnapshot forever.
        if message.type == .snapshot { reportSnapshot(message, failed: false) }
    }

    private func reportSnapshot(_ message: Message, failed: Bool) {
        let index = Int(message.from.rawValue) - 1
        guard index >= 0, index < nodes.count, let sender = nodes[index].raw else { return }
        sender.reportSnapshot(message.to, failed: failed)
        record("report snapshot n\(message.from)->n\(message.to) failed=\(failed)", 24, failed ? 1 : 0)
    }

    func send(_ messages: [Message]) throws(InvariantViolation) {
        for message in messages {
            if message.type == .voteResponse && !message.reject {
                try checker.voteGranted(by: message.from, to: message.to, term: message.term)
            }
            if !network.send(message, now: now, random: &random) {
                if message.type == .snapshot { reportSnapshot(message, failed: true) }
                if network.isBlocked(from: message.from, to: message.to),
                    let index = nodes.firstIndex(where: { $0.id == message.from }), let sender = nodes[index].raw
                {
                    // A transport notices a broken connection; etcd's reports it so that the leader
                    // probes instead of streaming into the void.
                    sender.reportUnreachable(message.to)
                }
            }
        }
    }

    /// Per-event checks of one node's visible state.
    func observe(_ node: SimulatedNode) throws(InvariantViolation) {
        stats.events += 1
        guard let raw = node.raw else { return }
        let status = raw.basicStatus
        try checker.commit(status.hardState.commit, of: node.id)
        guard status.softState.role == .leader else { return }
        let term = status.hardState.term
        let isNew = node.ledTerm != term
        var configurations = node.recentConfigurations
        if isNew { configurations.insert(raw.status.config, at: 0) }
        try checker.leader(node.id, term: term, configurations: configurations, isNewLeadership: isNew)
        if isNew {
            node.ledTerm = term
            record("n\(node.id) leads term \(term)", 5, node.id.rawValue, term.rawValue)
            try checkCompleteness(of: node, from: 1)
        }
    }

    func checkCompleteness(of node: SimulatedNode, from: LogIndex) throws(InvariantViolation) {
        guard let term = node.ledTerm, let first = try? node.storage.firstIndex() else { return }
        let storage = node.storage
        try checker.leaderCompleteness(node.id, term: term, firstIndex: first, from: from) { try? storage.term($0) }
    }

    // MARK: Ready

    /// Handles one Ready by the contract; with `crashAfterWrite` the member dies after issuing its
    /// writes and sending `messages`, before the sync, so its unsynced writes are lost or torn.
    func processReady(_ node: SimulatedNode, crashAfterWrite: Bool = false) throws(InvariantViolation) {
        guard let raw = node.raw else { return }
        let ready = raw.ready()
        record(
            "ready n\(node.id) hs=\(ready.hardState.map { "\($0)" } ?? "-") entries=\(ready.entries.count) "
                + "committed=\(ready.committedEntries.count) msgs=\(ready.messages.count) "
                + "after=\(ready.messagesAfterPersist.count) snap=\(ready.snapshot?.metadata.index.rawValue ?? 0)",
            6, node.id.rawValue, ready.hardState?.term.rawValue ?? 0, ready.hardState?.commit.rawValue ?? 0,
            UInt64(ready.entries.count), UInt64(ready.committedEntries.count), UInt64(ready.messages.count),
            UInt64(ready.messagesAfterPersist.count))
        let live = node.storage
        if let snapshot = ready.snapshot {
            try storage { () throws(RaftError) in try live.applySnapshot(snapshot) }
            node.disk.write(.snapshot(snapshot))
        }
        if !ready.entries.isEmpty {
            for (offset, entry) in ready.entries.enumerated() {
                let previous = offset > 0 ? ready.entries[offset - 1].term : try? live.term(entry.index - 1)
                try checker.appended(entry, previousTerm: previous, on: node.id)
            }
            try storage { () throws(RaftError) in try live.append(ready.entries) }
            node.disk.write(.entries(ready.entries))
        }
        if let hardState = ready.hardState {
            live.setHardState(hardState)
            node.disk.write(.hardState(hardState))
        }
        try send(ready.messages)
        if crashAfterWrite {
            crash(node, midReady: true)
            return
        }
        // A snapshot is durable state too, whatever mustSync says (etcd's MustSync ignores it; its
        // server syncs snapshots separately).
        if (ready.mustSync || ready.snapshot != nil) && options.sabotage != .skipSync {
            try storage { () throws(RaftError) in try node.disk.sync() }
            try checker.durableHardState(of: node.id, node.disk.durableHardState)
        }
        try send(ready.messagesAfterPersist)
        if let snapshot = ready.snapshot {
            node.applied = snapshot.metadata.index
            node.machine = options.makeStateMachine()
            node.machine.restore(from: snapshot.data)
            node.configurations = []
            node.record(configuration: snapshot.metadata.confState)
            try checker.restoredSnapshot(
                index: snapshot.metadata.index, stateHash: node.machine.fingerprint, on: node.id)
        }
        let previousMax = checker.maxApplied
        for entry in ready.committedEntries { try apply(entry, on: node, raw: raw) }
        for readState in ready.readStates { try served(readState, on: node) }
        raw.advance(ready)
        try observe(node)
        if checker.maxApplied > previousMax {
            // Newly committed entries must already be in the log of every leader of a later term.
            for other in nodes
            where other.isLive && other.ledTerm != nil
                && other.raw!.basicStatus.softState.role == .leader
            {
                try checkCompleteness(of: other, from: previousMax + 1)
            }
        }
    }

    func apply(_ entry: Entry, on node: SimulatedNode, raw: RawNode) throws(InvariantViolation) {
        guard entry.index == node.applied + 1 else {
            throw InvariantViolation(
                .applyOrder, "node \(node.id) applied \(entry.term)/\(entry.index) after index \(node.applied)")
        }
        node.applied = entry.index
        node.machine.apply(entry)
        try checker.applied(
            entry, on: node.id, stateHash: node.machine.fingerprint, term: raw.basicStatus.hardState.term)
        switch entry.type {
        case .confChange, .confChangeV2:
            let change: ConfChange
            do {
                change = try ConfChange(decoding: entry.data)
            } catch {
                throw InvariantViolation(.readyContract, "node \(node.id) cannot decode conf change at \(entry.index)")
            }
            let configuration = raw.applyConfChange(change)
            node.record(configuration: configuration)
            for single in change.changes where single.type == .removeNode { everRemoved.insert(single.nodeID) }
            record("n\(node.id) applied conf change at \(entry.index): \(InvariantChecker.describe(configuration))", 7)
            // A member restores a snapshot only if its configuration names the member (etcd's rule),
            // so like an application that snapshots on membership changes, take one now: a member
            // being added is then caught up with a snapshot that includes it.
            try compact(node, minimumGap: 1)
        case .normal:
            guard let write = Self.writeID(entry.data), node.proposals.remove(write) != nil else { return }
            var holders: Set<NodeID> = []
            for other in nodes where other.disk.durablyHolds(index: entry.index, term: entry.term) {
                holders.insert(other.id)
            }
            try checker.acknowledged(
                index: entry.index, configurations: node.recentConfigurations, durableHolders: holders)
            record("ack write \(write) at \(entry.index) on n\(node.id)", 8, write, entry.index.rawValue)
        }
    }

    func served(_ readState: ReadState, on node: SimulatedNode) throws(InvariantViolation) {
        guard let read = Self.writeID(readState.requestContext), node.reads.remove(read) != nil else { return }
        record("read \(read) on n\(node.id) index \(readState.index)", 9, read, readState.index.rawValue)
        if profile.readOnly == .safe {
            try checker.readServed(read, index: readState.index, on: node.id)
        } else {
            stats.leaseReads += 1
        }
    }

    // MARK: Faults

    func injectFaults() throws(InvariantViolation) {
        if random.chance(profile.crashChance), let victim = random.pick(nodes.filter(\.isLive)) {
            if victim.raw!.hasReady && random.chance(0.5) {
                try processReady(victim, crashAfterWrite: true)
            } else {
                crash(victim, midReady: false)
            }
        }
        if random.chance(profile.partitionChance) { repartition() }
    }

    func crash(_ node: SimulatedNode, midReady: Bool) {
        node.raw = nil
        let lost = node.disk.crash(using: &random)
        node.proposals.removeAll()
        for read in node.reads { checker.readAbandoned(read) }
        node.reads.removeAll()
        node.ledTerm = nil
        node.restartAt = now + random.int(in: 1...(3 * profile.electionTick)) * options.unitsPerTick
        stats.crashes += 1
        stats.events += 1
        record("crash n\(node.id) mid-ready=\(midReady) lost-writes=\(lost)", 10, node.id.rawValue, UInt64(lost))
    }

    func repartition() {
        network.healPartitions()
        let ids = nodes.map(\.id)
        switch random.int(in: 0...3) {
        case 0:
            record("heal partitions", 11)
        case 1:
            let victim = random.pick(ids)!
            for other in ids where other != victim {
                network.setBlocked(true, from: victim, to: other)
                network.setBlocked(true, from: other, to: victim)
            }
            record("isolate n\(victim)", 12, victim.rawValue)
        case 2:
            var side: [NodeID] = []
            for id in ids where random.chance(0.5) { side.append(id) }
            for a in side {
                for b in ids where !side.contains(b) {
                    network.setBlocked(true, from: a, to: b)
                    network.setBlocked(true, from: b, to: a)
                }
            }
            record("split \(side.map { "\($0)" }.joined(separator: ",")) from the rest", 13)
        default:
            let from = random.pick(ids)!
            let count = random.int(in: 1...max(1, ids.count - 1))
            for _ in 0..<count {
                let to = random.pick(ids)!
                if to != from { network.setBlocked(true, from: from, to: to) }
            }
            record("one-way: n\(from) cannot reach \(count) peers", 14, from.rawValue)
        }
        stats.events += 1
    }

    // MARK: Clients

    func clientTraffic() throws(InvariantViolation) {
        let live = nodes.filter(\.isLive)
        guard !live.isEmpty else { return }
        if random.chance(0.12), let node = random.pick(live) { propose(on: node) }
        if random.chance(0.05), let node = random.pick(live) {
            let read = nextRead
            nextRead += 1
            node.raw!.readIndex(Self.payload(read))
            node.reads.insert(read)
            if profile.readOnly == .safe { checker.readStarted(read) }
            record("read-index \(read) on n\(node.id)", 15, node.id.rawValue, read)
            try observe(node)
        }
        if random.chance(0.02), let node = random.pick(live) { try compact(node) }
        if let leader = currentLeader() {
            if profile.membershipChanges && random.chance(0.01) { proposeMembershipChange(at: leader) }
            if random.chance(0.002) {
                let voters = leader.raw!.status.config.voters.filter { $0 != leader.id }
                if let target = random.pick(voters) {
                    leader.raw!.transferLeadership(to: target)
                    record("transfer n\(leader.id) -> n\(target)", 16, leader.id.rawValue, target.rawValue)
                    try observe(leader)
                }
            }
        }
    }

    @discardableResult
    func propose(on node: SimulatedNode) -> UInt64? {
        let write = nextWrite
        nextWrite += 1
        do {
            try node.raw!.propose(Self.payload(write))
            node.proposals.insert(write)
            record("propose \(write) on n\(node.id)", 17, node.id.rawValue, write)
            return write
        } catch {
            stats.droppedProposals += 1
            record("propose \(write) on n\(node.id) refused: \(error)", 18, node.id.rawValue, write)
            return nil
        }
    }

    func compact(_ node: SimulatedNode, minimumGap: UInt64 = 3) throws(InvariantViolation) {
        let live = node.storage
        guard let first = try? live.firstIndex(), let last = try? live.lastIndex(),
            node.applied + 1 >= first + minimumGap, node.applied <= last,
            let current = node.configurations.last
        else { return }
        let index = node.applied
        let data = node.machine.snapshot()
        let snapshot = try storage { () throws(RaftError) in
            let snapshot = try live.createSnapshot(index, confState: current, data: data)
            try live.compact(index)
            return snapshot
        }
        try storage { () throws(RaftError) in try node.disk.compact(to: snapshot) }
        stats.compactions += 1
        stats.events += 1
        record("compact n\(node.id) to \(index)", 19, node.id.rawValue, index.rawValue)
    }

    func proposeMembershipChange(at leader: SimulatedNode) {
        let config = leader.raw!.status.config
        var change: ConfChange
        if !config.votersOutgoing.isEmpty {
            change = ConfChange(transition: .auto, changes: [], context: [])
        } else {
            let members = Set(config.voters + config.learners)
            let spares = nodes.map(\.id).filter { !members.contains($0) && !everRemoved.contains($0) }
            var options: [[ConfChangeSingle]] = []
            if let spare = random.pick(spares) {
                options.append([ConfChangeSingle(type: .addLearnerNode, nodeID: spare)])
                options.append([ConfChangeSingle(type: .addNode, nodeID: spare)])
            }
            if let learner = random.pick(config.learners) {
                options.append([ConfChangeSingle(type: .addNode, nodeID: learner)])
                options.append([ConfChangeSingle(type: .removeNode, nodeID: learner)])
            }
            if config.voters.count > 1, let voter = random.pick(config.voters) {
                options.append([ConfChangeSingle(type: .removeNode, nodeID: voter)])
                if let joiner = random.pick(spares + config.learners) {
                    options.append([
                        ConfChangeSingle(type: .addNode, nodeID: joiner),
                        ConfChangeSingle(type: .removeNode, nodeID: voter),
                    ])
                }
            }
            guard let chosen = random.pick(options) else { return }
            let transition: ConfChangeTransition =
                chosen.count > 1 ? random.pick([.auto, .explicit, .implicit])! : .auto
            change = ConfChange(transition: transition, changes: chosen, context: [])
        }
        stats.confChanges += 1
        do {
            try leader.raw!.proposeConfChange(change)
            record("propose conf change on n\(leader.id): \(Self.describe(change))", 20, leader.id.rawValue)
        } catch {
            record("conf change on n\(leader.id) refused: \(error)", 21)
        }
    }

    func currentLeader() -> SimulatedNode? {
        var best: SimulatedNode?
        var bestTerm: Term = 0
        for node in nodes where node.isLive {
            let status = node.raw!.basicStatus
            if status.softState.role == .leader && status.hardState.term >= bestTerm {
                best = node
                bestTerm = status.hardState.term
            }
        }
        return best
    }

    // MARK: Heal

    /// Stops the faults, restarts everyone and requires convergence within `healTicks`.
    func heal() throws(InvariantViolation) {
        faultPhase = false
        network.faults = SimulatedNetwork.Faults()
        network.faults.delay = 1...2
        network.healPartitions()
        record("heal: faults stop", 22)
        for node in nodes where !node.isLive { try boot(node) }
        var freshIndex: LogIndex?
        var fresh: UInt64?
        var proposer: SimulatedNode?
        let bound = options.healTicks * options.unitsPerTick
        var unit = 0
        while unit < bound {
            try step()
            unit += 1
            guard unit % options.unitsPerTick == 0, let leader = currentLeader() else { continue }
            let config = leader.raw!.status.config
            if !config.votersOutgoing.isEmpty && unit % (4 * options.unitsPerTick) == 0 {
                try? leader.raw!.proposeConfChange(ConfChange(transition: .auto, changes: [], context: []))
            }
            if let write = fresh, let owner = proposer, owner.isLive, owner.proposals.contains(write) == false,
                freshIndex == nil
            {
                freshIndex = owner.applied
            }
            if freshIndex == nil && (fresh == nil || unit % (5 * options.unitsPerTick) == 0) {
                proposer = leader
                fresh = propose(on: leader)
            }
            guard let target = freshIndex else { continue }
            let members = Set(config.voters + config.learners + config.votersOutgoing + config.learnersNext)
            let commit = leader.raw!.basicStatus.hardState.commit
            guard leader.applied == commit, commit >= target else { continue }
            let converged = nodes.allSatisfy { node in
                !members.contains(node.id) || (node.isLive && node.applied == commit)
            }
            if converged {
                stats.healTicks = unit / options.unitsPerTick
                record("healed after \(stats.healTicks) ticks at index \(commit)", 23, commit.rawValue)
                return
            }
        }
        let states = nodes.map { node -> String in
            guard let raw = node.raw else { return "n\(node.id) down" }
            let status = raw.basicStatus
            return
                "n\(node.id) \(status.softState.role) term=\(status.hardState.term) commit=\(status.hardState.commit) "
                + "applied=\(node.applied)"
        }
        var progress = ""
        if let leader = currentLeader() {
            let status = leader.raw!.status
            progress =
                "; leader n\(leader.id) progress: "
                + status.progress.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        }
        throw InvariantViolation(
            .healConvergence,
            "no convergence within \(options.healTicks) ticks after faults stopped: " + states.joined(separator: "; ")
                + progress)
    }

    // MARK: Helpers

    func storage<T>(_ body: () throws(RaftError) -> T) throws(InvariantViolation) -> T {
        do {
            return try body()
        } catch {
            throw InvariantViolation(.readyContract, "storage rejected a write: \(error)")
        }
    }

    func record(_ text: @autoclosure () -> String, _ words: UInt64...) {
        hash.combine(UInt64(now))
        for word in words { hash.combine(word) }
        if options.keepTrace { trace.append("t=\(now) " + text()) }
    }

    func log(_ text: String) {
        if options.keepTrace { trace.append(text) }
    }

    static func payload(_ id: UInt64) -> [UInt8] {
        [0x77] + (0..<8).map { UInt8(truncatingIfNeeded: id >> (8 * UInt64($0))) }
    }

    static func writeID(_ data: [UInt8]) -> UInt64? {
        guard data.count == 9, data[0] == 0x77 else { return nil }
        return data.dropFirst().enumerated().reduce(0) { $0 | (UInt64($1.element) << (8 * UInt64($1.offset))) }
    }

    static func describe(_ change: ConfChange) -> String {
        if change.changes.isEmpty { return "leave-joint" }
        let parts = change.changes.map { single -> String in
            switch single.type {
            case .addNode: return "v\(single.nodeID)"
            case .addLearnerNode: return "l\(single.nodeID)"
            case .removeNode: return "r\(single.nodeID)"
            case .updateNode: return "u\(single.nodeID)"
            }
        }
        return parts.joined(separator: " ") + " transition=\(change.transition)"
    }
}
