import Foundation
import MVCC
import Raft
import Synchronization

/// Drives one member's `RawNode` on ONE dedicated thread (etcd's `raftNode.start` goroutine).
///
/// Everything reaches the loop through a lock-protected inbox (`post`): peer messages, proposals,
/// linearizable reads, apply completions, clock wake-ups. Each turn takes the whole inbox, so all
/// proposals that arrived meanwhile go into Raft before the next `Ready` (batching: one log append
/// and one fsync for all of them). A `Ready` is handled as the Raft core's contract says:
///
/// 1. `messages` leave at once: the leader sends appends before its own write (thesis 10.2.1);
/// 2. entries, hard state and snapshot are written with ONE `DurableLog.save` (synced if
///    `mustSync`);
/// 3. then `messagesAfterPersist` (votes and append acks only promise what is durable);
/// 4. committed entries go to the `Applier` (its own queue) and the loop goes on: persisting the
///    next Ready does not wait for apply. The Ready is advanced in two halves: its persistence
///    part at once, its committed part when the applier reports it done (the core keeps
///    `applying` and `applied` apart, docs/raft.md "pipelined Readys").
///
/// The `RawNode` and the `DurableLog` are touched only by the loop thread.
final class RaftNode: @unchecked Sendable {
    /// A linearizable read waiting for a ReadIndex round.
    struct ReadWaiter {
        var deadline: Duration
        var complete: @Sendable (NodeError?) -> Void
    }

    private struct Inbox {
        var messages: [Message] = []
        var proposals: [(id: UInt64, data: [UInt8])] = []
        var confChanges: [(change: ConfChange, accepted: @Sendable (NodeError?) -> Void)] = []
        var reads: [ReadWaiter] = []
        var appliedReadies: [Ready] = []
        var barriers: [@Sendable () -> Void] = []
        var failure: NodeError?
        var campaign = false
        var stopping = false

        var isEmpty: Bool {
            messages.isEmpty && proposals.isEmpty && confChanges.isEmpty && reads.isEmpty && appliedReadies.isEmpty
                && barriers.isEmpty
                && failure == nil && !campaign && !stopping
        }
    }

    let id: NodeID
    private let configuration: CairnNode.Configuration
    private let rawNode: RawNode
    let log: DurableLog
    let applier: Applier
    private let registry: RequestRegistry
    private let transport: any PeerTransport
    private let clock: any NodeClock

    private let condition = NSCondition()
    private var inbox = Inbox()  // guarded by condition
    private var thread: Thread?
    private let stopped = NSCondition()
    private var hasStopped = false  // guarded by stopped

    // Loop-thread state.
    private var nextTick: Duration
    private var reads = ReadIndexBatcher()
    private var failure: NodeError?
    /// The leader as last seen by the loop, published for the API (`leader`).
    private let leaderBox = LeaderBox()

    init(
        configuration: CairnNode.Configuration, log: DurableLog, applier: Applier, registry: RequestRegistry,
        transport: any PeerTransport, clock: any NodeClock
    ) throws(RaftError) {
        self.configuration = configuration
        id = NodeID(configuration.memberID)
        self.log = log
        self.applier = applier
        self.registry = registry
        self.transport = transport
        self.clock = clock
        var config = Config(id: id, randomSeed: configuration.randomSeed ?? configuration.memberID)
        config.electionTick = configuration.electionTicks
        config.heartbeatTick = configuration.heartbeatTicks
        config.applied = LogIndex(applier.appliedIndex)
        config.checkQuorum = true
        config.preVote = true
        rawNode = try RawNode(config: config, storage: log)
        nextTick = clock.now() + configuration.tickInterval
    }

    /// The leader this member knows of (`.none` when there is none).
    var leader: NodeID { leaderBox.value }

    /// The current Raft term as of the loop's last Ready (etcd's header `raft_term`).
    var term: Term { leaderBox.term }

    /// Starts the loop thread and registers with the transport.
    func start() {
        transport.register(id) { [weak self] messages in self?.post { $0.messages.append(contentsOf: messages) } }
        clock.onAdvance { [weak self] in self?.post { _ in } }
        // A sole voter need not wait an election timeout to lead (etcd campaigns at once too when
        // it is the only member).
        if rawNode.status.config.voters == [id] {
            try? rawNode.campaign()
            leaderBox.value = rawNode.basicStatus.softState.leader
        }
        leaderBox.term = rawNode.basicStatus.hardState.term
        let thread = Thread { [self] in self.run() }
        thread.name = "cairn-raft-\(id)"
        self.thread = thread
        thread.start()
    }

    /// Proposes an encoded `InternalRequest`; a dropped proposal fails its waiter.
    func propose(id requestID: UInt64, data: [UInt8]) {
        post { $0.proposals.append((requestID, data)) }
    }

    /// Queues a linearizable read: `complete(nil)` once this member applied everything committed
    /// when the read arrived (ReadIndex, thesis 6.4), or the error.
    func read(deadline: Duration, _ complete: @escaping @Sendable (NodeError?) -> Void) {
        post { $0.reads.append(ReadWaiter(deadline: deadline, complete: complete)) }
    }

    /// Calls `done` after the loop finished a turn that started after this call (tests step the
    /// loop with it).
    func barrier(_ done: @escaping @Sendable () -> Void) {
        post { $0.barriers.append(done) }
    }

    /// Proposes a membership change; `accepted` tells whether Raft took the proposal (it applies
    /// on every member once committed, in log order).
    func proposeConfChange(_ change: ConfChange, accepted: @escaping @Sendable (NodeError?) -> Void) {
        post { $0.confChanges.append((change, accepted)) }
    }

    /// Asks the member to start an election (tests, leadership changes).
    func campaign() {
        post { $0.campaign = true }
    }

    /// Raft's view of this member.
    func status() async -> Status {
        await withCheckedContinuation { (c: CheckedContinuation<Status, Never>) in
            // Barriers run on the loop thread, the RawNode's only user.
            post { $0.barriers.append { c.resume(returning: self.rawNode.status) } }
        }
    }

    /// Stops the loop and waits for it; pending requests fail with `.stopped`.
    func stop() {
        post { $0.stopping = true }
        stopped.lock()
        while !hasStopped && thread != nil { stopped.wait() }
        stopped.unlock()
        transport.unregister(id)
    }

    private func post(_ change: (inout Inbox) -> Void) {
        condition.lock()
        change(&inbox)
        condition.signal()
        condition.unlock()
    }

    // MARK: The loop

    private func run() {
        while true {
            condition.lock()
            var now = clock.now()
            while inbox.isEmpty && now < nextTick {
                if clock.advancesByItself {
                    let wait = nextTick - now
                    let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
                    _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
                } else {
                    condition.wait()
                }
                now = clock.now()
            }
            let work = inbox
            inbox = Inbox()
            condition.unlock()

            if work.stopping {
                finish(work)
                return
            }
            turn(work, now: now)
            if let failure {
                // Fail stop: the log or the store failed; nothing more is safe to do.
                registry.failAll(failure)
                reads.failAll(failure)
                for b in work.barriers { b() }
                drainUntilStopped(failure)
                return
            }
            for b in work.barriers { b() }
        }
    }

    private func turn(_ work: Inbox, now: Duration) {
        if let f = work.failure {
            // The applier stopped: advancing or applying more would build on a store that lost a
            // batch. `run` fails everything and stops.
            failure = f
            return
        }
        for ready in work.appliedReadies { rawNode.advance(ready) }
        var ticked = false
        while now >= nextTick {
            rawNode.tick()
            nextTick += configuration.tickInterval
            ticked = true
        }
        if work.campaign { try? rawNode.campaign() }
        for m in work.messages {
            // A message from a member not in the configuration, or a stale one, is ignored as
            // etcd's raftNode ignores step errors from the transport.
            try? rawNode.step(m)
        }
        for p in work.proposals {
            do {
                try rawNode.propose(p.data)
            } catch {
                registry.complete(p.id, with: .failure(leaderBox.value == .none ? .noLeader : .timedOut))
            }
        }
        for c in work.confChanges {
            do {
                try rawNode.proposeConfChange(c.change)
                c.accepted(nil)
            } catch {
                c.accepted(leaderBox.value == .none ? .noLeader : .storageFailure("conf change refused: \(error)"))
            }
        }
        if ticked {
            registry.expire(now: now)
            reads.expire(now: now, retryAfter: configuration.tickInterval * configuration.electionTicks / 2)
        }
        reads.enqueue(work.reads)
        issueReadIndex()
        do {
            while rawNode.hasReady {
                try handleReady(rawNode.ready())
                issueReadIndex()
            }
        } catch {
            failure = error
        }
    }

    private func issueReadIndex() {
        reads.issue(leader: leaderBox.value, member: id) {
            readIndexRounds.add(1, ordering: .relaxed)
            rawNode.readIndex($0)
        }
    }

    /// How many ReadIndex rounds this member started (tests check that reads share them).
    let readIndexRounds = Atomic<Int>(0)

    private func handleReady(_ rd: Ready) throws(NodeError) {
        if let hard = rd.hardState { leaderBox.term = hard.term }
        if let soft = rd.softState {
            leaderBox.value = soft.leader
            if soft.leader == .none { reads.failAll(.noLeader) }
        }
        if let snapshot = rd.snapshot, snapshot.metadata.index > 0 {
            // Restoring the store from a snapshot is not built yet. Cairn never compacts its log
            // yet, so a leader never sends one; should one arrive, stop rather than mark entries
            // applied that the store never saw.
            throw .storageFailure("snapshot at index \(snapshot.metadata.index): restore is not supported yet")
        }
        if !rd.messages.isEmpty { transport.send(rd.messages) }
        if !rd.entries.isEmpty || rd.hardState != nil || rd.snapshot != nil {
            do {
                try log.save(entries: rd.entries, hardState: rd.hardState, snapshot: rd.snapshot, sync: rd.mustSync)
            } catch {
                throw .storageFailure("raft log save: \(error)")
            }
        }
        if !rd.messagesAfterPersist.isEmpty { transport.send(rd.messagesAfterPersist) }
        for rs in rd.readStates {
            reads.readStateArrived(rs) { index, waiters in
                applier.whenApplied(index.rawValue) { [applier] in
                    let failure = applier.failure
                    for w in waiters { w.complete(failure) }
                }
            }
        }
        var persisted = rd
        persisted.committedEntries = []
        if !rd.committedEntries.isEmpty {
            var confState: ConfState?
            for entry in rd.committedEntries where entry.type != .normal {
                // Applied to Raft when handed out, in log order (etcd applies conf changes in its
                // apply loop; the Raft core only needs them after commit and in order).
                if let cc = try? ConfChange(decoding: entry.data) {
                    confState = rawNode.applyConfChange(cc)
                }
            }
            let appliedPart = Ready(committedEntries: rd.committedEntries)
            applier.enqueue(rd.committedEntries, confState: confState) { [weak self] failure in
                self?.post {
                    if let failure { $0.failure = failure } else { $0.appliedReadies.append(appliedPart) }
                }
            }
        }
        rawNode.advance(persisted)
    }

    private func finish(_ work: Inbox) {
        registry.failAll(.stopped)
        reads.failAll(.stopped)
        for r in work.reads { r.complete(.stopped) }
        for c in work.confChanges { c.accepted(.stopped) }
        for b in work.barriers { b() }
        markStopped()
    }

    /// After a failure: answer everything with it until `stop`.
    private func drainUntilStopped(_ failure: NodeError) {
        while true {
            condition.lock()
            while inbox.isEmpty { condition.wait() }
            let work = inbox
            inbox = Inbox()
            condition.unlock()
            for p in work.proposals { registry.complete(p.id, with: .failure(failure)) }
            for r in work.reads { r.complete(failure) }
            for c in work.confChanges { c.accepted(failure) }
            for b in work.barriers { b() }
            if work.stopping {
                markStopped()
                return
            }
        }
    }

    private func markStopped() {
        stopped.lock()
        hasStopped = true
        stopped.broadcast()
        stopped.unlock()
    }
}

/// The leader id and current term as the loop last saw them, readable from any thread.
final class LeaderBox: @unchecked Sendable {
    private let lock = NSLock()
    private var leader = NodeID.none
    private var currentTerm = Term(0)
    var value: NodeID {
        get { lock.withLock { leader } }
        set { lock.withLock { leader = newValue } }
    }
    var term: Term {
        get { lock.withLock { currentTerm } }
        set { lock.withLock { currentTerm = newValue } }
    }
}
