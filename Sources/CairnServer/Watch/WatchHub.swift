import Dispatch
import Foundation
import MVCC

/// The member's watch hub (etcd's `watchableStore` plus the stream bookkeeping of
/// `watchStream`): it routes committed events to watchers, replays history to watchers that start
/// in the past or fell behind, and queues the resulting messages per stream.
///
/// - The applier calls `notify(events:revision:)` after each committed batch. It only queues
///   messages (O(events x matching watchers)); a watcher whose stream is full is moved to the
///   catch-up set instead of blocking or dropping anything.
/// - Catch-up reads `MVCCStore.history` on a worker (`Configuration.catchUpQueue`) or, in tests,
///   step by step through `runCatchUpOnce()`.
/// - Consumers (the API layer) own a `WatchStream` each; they drain it when `onReady` fires.
///
/// See docs/watch.md for the synced / catch-up states and why the handoff between them neither
/// loses nor duplicates events.
public final class WatchHub: @unchecked Sendable {
    /// Tuning.
    public struct Configuration: Sendable {
        /// Most revisions read from history per catch-up step; each catching-up watcher gets at most
        /// one message per step (etcd: at most 1000 revisions per catch-up message, `watchBatchMaxRevs`).
        public var catchUpBatchRevisions: Int
        /// Default number of event messages a stream's outbox holds before its watchers are
        /// moved to catch-up (etcd's `chanBufLen`, 128).
        public var streamCapacity: Int
        /// Where catch-up runs in the background; nil: only when `runCatchUpOnce()` is called.
        public var catchUpQueue: DispatchQueue?

        /// Creates a configuration with etcd's defaults and no background worker.
        public init(catchUpBatchRevisions: Int = 1000, streamCapacity: Int = 128, catchUpQueue: DispatchQueue? = nil) {
            self.catchUpBatchRevisions = catchUpBatchRevisions
            self.streamCapacity = streamCapacity
            self.catchUpQueue = catchUpQueue
        }
    }

    /// The store the hub replays history from.
    public let store: MVCCStore
    /// The tuning in force.
    public let configuration: Configuration

    // `state` is only touched with `lock` held (hence @unchecked Sendable); consumer callbacks
    // run after the lock is released, so they may call back into the hub.
    private let lock = NSLock()
    private var state: WatchHubState
    /// Serialises catch-up steps (the worker and test calls), so that a step's read and its
    /// delivery see no other step in between.
    let catchUpLock = NSLock()
    /// Background worker bookkeeping, under `lock`.
    private var workerRunning = false

    /// Opens a hub at the store's current revision. Create it before the applier applies the next
    /// batch (or pass the revision the applier will notify from next).
    public init(store: MVCCStore, configuration: Configuration = Configuration()) throws(MVCCError) {
        self.store = store
        self.configuration = configuration
        self.state = WatchHubState(currentRevision: try store.state().currentRevision)
    }

    /// Runs `body` on the state under the lock, then wakes consumers and the worker.
    func withState<R>(_ body: (inout WatchHubState) -> R) -> R {
        lock.lock()
        let result = body(&state)
        let wakeups = state.wakeups
        state.wakeups.removeAll()
        var startWorker = false
        if state.catchUpNeeded, configuration.catchUpQueue != nil, !workerRunning {
            workerRunning = true
            startWorker = true
        }
        lock.unlock()
        for wakeup in wakeups { wakeup() }
        if startWorker, let queue = configuration.catchUpQueue {
            queue.async { self.workerLoop() }
        }
        return result
    }

    // MARK: Applier side

    /// Routes the events of one committed batch. `events` are the batch's events in revision
    /// order (`OperationResult.events` of every operation, concatenated), as `MVCCStore.apply`
    /// returns them: every event carries its `prevKV` (nil for creations), which the hub strips
    /// for watchers that did not ask for it. `revision` is the store revision after the batch
    /// (`BatchResult.revision`); call it for every batch, even one without events, in commit
    /// order. Cheap and never blocking (beyond the hub's lock): it only queues messages.
    public func notify(events: [Event], revision: Int64) {
        withState { $0.notify(events: events, revision: revision) }
    }

    /// The revision of the last `notify`.
    public var currentRevision: Int64 { withState { $0.currentRevision } }

    /// Watchers receiving live events and watchers catching up (for metrics and tests).
    public var watcherCounts: (synced: Int, unsynced: Int) {
        withState { ($0.synced.count, $0.unsynced.count) }
    }

    // MARK: Streams

    /// Opens a stream (one Watch RPC). `onReady` is called, outside the hub's lock and possibly on
    /// the applier's thread, when the stream's outbox becomes non-empty: it should only schedule
    /// a `drain`. `capacity` overrides `Configuration.streamCapacity`.
    public func openStream(capacity: Int? = nil, onReady: (@Sendable () -> Void)? = nil) -> WatchStream {
        let key = withState { $0.openStream(capacity: capacity ?? configuration.streamCapacity, onReady: onReady) }
        return WatchStream(hub: self, key: key)
    }

    /// Opens a stream whose consumer waits on a doorbell: `ready` yields whenever the outbox
    /// becomes non-empty (at most one pending ring is kept), and the consumer then `drain()`s
    /// everything. No task or continuation per message; the outbox stays bounded by `capacity`.
    public func openAsyncStream(capacity: Int? = nil) -> (stream: WatchStream, ready: AsyncStream<Void>) {
        let (ready, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let stream = openStream(capacity: capacity, onReady: { continuation.yield() })
        return (stream, ready)
    }

    /// Sends periodic progress notifications (etcd's progress ticker, every
    /// `--experimental-watch-progress-notify-interval`, default 10 minutes): one
    /// `{header: current revision, watch_id}` message to every synced watcher created with
    /// `progressNotify` that got no event since the previous tick. The caller owns the timer.
    public func tickProgress() {
        withState { $0.tickProgress() }
    }

    // MARK: Background worker

    private func workerLoop() {
        while true {
            let more = withState { state -> Bool in
                if state.catchUpNeeded {
                    state.catchUpNeeded = false
                    return true
                }
                return false
            }
            if !more {
                lock.lock()
                // Re-check under the lock: a signal that arrived after the check above is not lost.
                if state.catchUpNeeded {
                    lock.unlock()
                    continue
                }
                workerRunning = false
                lock.unlock()
                return
            }
            while runCatchUpOnce() {}
        }
    }
}
