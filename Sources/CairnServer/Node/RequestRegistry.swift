import MVCC
import Synchronization

/// The waiters of proposals this member made, by request id (etcd's `wait.Wait`). The applier
/// completes a waiter when its entry applies; the Raft loop fails it when the proposal is dropped
/// or its deadline passes. Each waiter completes exactly once.
package final class RequestRegistry: Sendable {
    /// Called with the outcome of a request: the store's response (or rejection) and the store
    /// revision after the batch.
    package typealias Completion = @Sendable (Result<OperationResponse, NodeError>) -> Void

    private struct Waiter {
        var deadline: Duration
        var complete: Completion
    }

    private let waiters = Mutex<[UInt64: Waiter]>([:])

    package init() {}

    /// Registers a waiter; false when `limit` waiters are already registered (back-pressure:
    /// etcd's "too many requests" when applying lags far behind committing).
    package func register(_ id: UInt64, deadline: Duration, limit: Int, _ complete: @escaping Completion) -> Bool {
        waiters.withLock {
            if $0.count >= limit { return false }
            $0[id] = Waiter(deadline: deadline, complete: complete)
            return true
        }
    }

    /// Completes the waiter of `id`, if this member has one.
    package func complete(_ id: UInt64, with result: Result<OperationResponse, NodeError>) {
        let waiter = waiters.withLock { $0.removeValue(forKey: id) }
        waiter?.complete(result)
    }

    /// Fails every waiter whose deadline is at or before `now` with `.timedOut`.
    package func expire(now: Duration) {
        let expired = waiters.withLock { w -> [Waiter] in
            let ids = w.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { w.removeValue(forKey: $0) }
        }
        for waiter in expired { waiter.complete(.failure(.timedOut)) }
    }

    /// Fails every waiter (shutdown, storage failure).
    package func failAll(_ error: NodeError) {
        let all = waiters.withLock { w -> [Waiter] in
            defer { w = [:] }
            return Array(w.values)
        }
        for waiter in all { waiter.complete(.failure(error)) }
    }

    /// How many requests wait.
    package var count: Int { waiters.withLock { $0.count } }
}
