/// One Watch RPC's watchers and messages (etcd's `mvcc.WatchStream` with the v3rpc stream's
/// request handling). Requests must be made in the order the client sent them: the messages they
/// queue come out of `drain` in that order.
public final class WatchStream: Sendable {
    /// The hub the stream belongs to.
    public let hub: WatchHub
    let key: StreamKey

    init(hub: WatchHub, key: StreamKey) {
        self.hub = hub
        self.key = key
    }

    /// Handles a create request: queues `{created, watch_id}` (and later the watcher's events),
    /// or, rejected, `{watch_id: -1, created, canceled, cancel_reason}`; returns the ID or why.
    @discardableResult
    public func create(_ request: WatchCreateRequest) -> Result<WatchID, WatchError> {
        hub.withState { $0.create(request, on: key) }
    }

    /// Handles a cancel request: queues `{watch_id, canceled}` for a known ID, nothing otherwise.
    public func cancel(_ id: WatchID) {
        hub.withState { $0.cancel(id, on: key) }
    }

    /// Handles a `progress_request`: queues `{header: current revision, watch_id: -1}` as soon as
    /// every watcher of the stream is synced (at once if they already are).
    public func requestProgress() {
        hub.withState { $0.requestProgress(key) }
    }

    /// Takes up to `limit` queued messages, oldest first. Draining a full stream lets its
    /// watchers catch up again.
    public func drain(limit: Int = .max) -> [WatchResponse] {
        hub.withState { $0.drain(key, limit: limit) }
    }

    /// Removes every watcher of the stream (the RPC ended); queued messages are discarded.
    /// Idempotent; also done when the stream is released.
    public func close() {
        hub.withState { $0.close(key) }
    }

    deinit {
        // A safety net only: an `onReady` closure that captures the stream keeps it alive.
        close()
    }
}
