import Dispatch
import MVCC
import Raft
import Synchronization

/// Applies committed entries to the store, off the Raft loop (DESIGN.md write path, step 4-5): a
/// slow apply never delays the next log fsync.
///
/// One job = the committed entries of one Ready, applied in ONE `MVCCStore.apply` call (one LMDB
/// write transaction that also records the last entry's index). Then it completes the waiters of
/// this member's requests, hands the events to the sink, releases reads waiting for the applied
/// index, and tells the Raft loop (`done`), which advances the Ready.
///
/// Exactly-once: entries at or below the store's applied index are skipped here (a batch may
/// straddle it after a restart) and the store refuses a whole batch at or below it.
final class Applier: Sendable {
    private struct AppliedState {
        var index: UInt64
        var waiters: [(index: UInt64, release: @Sendable () -> Void)] = []
        var failure: NodeError?
    }

    /// Jobs queued while an apply runs; the next run takes them all (see `enqueue`).
    private struct Job {
        var entries: [Entry]
        var confState: ConfState?
        var done: @Sendable (NodeError?) -> Void
    }

    private struct Pending {
        var jobs: [Job] = []
        var scheduled = false
    }

    let store: MVCCStore
    private let registry: RequestRegistry
    private let eventsSink: (@Sendable (AppliedBatch) -> Void)?
    private let queue: DispatchQueue
    private let state: Mutex<AppliedState>
    private let applyCount = Atomic<Int>(0)
    private let pending = Mutex(Pending())

    init(
        store: MVCCStore, registry: RequestRegistry, label: String, eventsSink: (@Sendable (AppliedBatch) -> Void)?
    )
        throws(MVCCError)
    {
        self.store = store
        self.registry = registry
        self.eventsSink = eventsSink
        queue = DispatchQueue(label: label)
        state = Mutex(AppliedState(index: try store.state().appliedIndex))
    }

    /// The last applied index.
    var appliedIndex: UInt64 { state.withLock { $0.index } }

    /// How many store transactions the applier committed (tests check batching).
    var transactionCount: Int { applyCount.load(ordering: .relaxed) }

    /// Queues `entries` (consecutive, committed, durable). `confState` is the configuration after
    /// the conf-change entries among them (already applied to Raft by the loop), recorded with the
    /// batch. `done` runs after the batch, with the failure that stopped the applier if any.
    ///
    /// Jobs that queue up while a batch applies are coalesced: the next run applies all of them in
    /// one store transaction. Under load the Raft loop hands out many small Readys (one per fsync);
    /// applying each in its own LMDB transaction (with its own sync) would make the applier the
    /// bottleneck and keep the batches small.
    func enqueue(
        _ entries: [Entry], confState: ConfState?, done: @escaping @Sendable (NodeError?) -> Void
    ) {
        let schedule = pending.withLock { p -> Bool in
            p.jobs.append(Job(entries: entries, confState: confState, done: done))
            if p.scheduled { return false }
            p.scheduled = true
            return true
        }
        if schedule { queue.async { self.runPending() } }
    }

    private func runPending() {
        let jobs = pending.withLock { p -> [Job] in
            p.scheduled = false
            defer { p.jobs = [] }
            return p.jobs
        }
        guard !jobs.isEmpty else { return }
        let entries = jobs.count == 1 ? jobs[0].entries : jobs.flatMap(\.entries)
        let confState = jobs.last { $0.confState != nil }?.confState
        let failure = apply(entries, confState: confState)
        for job in jobs { job.done(failure) }
    }

    /// Calls `release` once the applied index reaches `index` (at once if it has), or with the
    /// failure if the applier stopped.
    func whenApplied(_ index: UInt64, _ release: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            if s.index >= index || s.failure != nil { return true }
            s.waiters.append((index, release))
            return false
        }
        if now { release() }
    }

    /// Waits until every queued job ran (shutdown).
    func drain() { queue.sync {} }

    private func apply(_ entries: [Entry], confState: ConfState?) -> NodeError? {
        if let failure = state.withLock({ $0.failure }) { return failure }
        let applied = appliedIndex
        guard let last = entries.last, last.index.rawValue > applied else { return nil }
        var operations: [WriteOperation] = []
        var ids: [UInt64] = []
        operations.reserveCapacity(entries.count)
        ids.reserveCapacity(entries.count)
        for entry in entries where entry.index.rawValue > applied && entry.type == .normal && !entry.data.isEmpty {
            // An entry that does not decode was written by a newer or broken member; etcd panics.
            // Skipping it keeps every member equal (all skip it) and the proposer times out.
            guard let request = try? InternalRequest(decoding: entry.data) else { continue }
            operations.append(request.operation)
            ids.append(request.id)
        }
        var metadata: [String: [UInt8]] = [:]
        if let confState { metadata["raft/confState"] = confState.encoded }
        let result: BatchResult?
        do {
            result = try store.apply(operations, index: last.index.rawValue, metadata: metadata)
        } catch {
            // A storage failure: fail stop (nothing of the batch is visible).
            let failure = NodeError.storageFailure("apply at index \(last.index): \(error)")
            let waiters = state.withLock { s -> [@Sendable () -> Void] in
                s.failure = failure
                defer { s.waiters = [] }
                return s.waiters.map(\.release)
            }
            for release in waiters { release() }
            return failure
        }
        applyCount.add(1, ordering: .relaxed)
        let released = state.withLock { s -> [@Sendable () -> Void] in
            s.index = last.index.rawValue
            var ready: [@Sendable () -> Void] = []
            s.waiters.removeAll { w in
                if w.index <= s.index {
                    ready.append(w.release)
                    return true
                }
                return false
            }
            return ready
        }
        if let result {
            var events: [Event] = []
            for (id, r) in zip(ids, result.results) {
                registry.complete(id, with: r.response.mapError { NodeError.mvcc($0) })
                events.append(contentsOf: r.events)
            }
            if let eventsSink, !events.isEmpty {
                eventsSink(AppliedBatch(index: result.appliedIndex, revision: result.revision, events: events))
            }
        }
        for release in released { release() }
        return nil
    }

    /// The failure that stopped the applier, if any.
    var failure: NodeError? { state.withLock { $0.failure } }
}
