import MVCC

/// The hub's mutable state, only touched under `WatchHub`'s lock. Its methods are the hub's
/// operations; they queue messages and record consumers to wake, which the hub calls after
/// releasing the lock.
struct WatchHubState {
    /// The revision of the last `notify` (or of the store when the hub opened).
    var currentRevision: Int64
    var watchers: [WatcherKey: Watcher] = [:]
    var streams: [StreamKey: WatchStreamState] = [:]
    /// Synced watchers by key (etcd's `synced` watcherGroup).
    var synced = WatcherIndex()
    /// Watchers catching up from history (etcd's `unsynced` group, which also holds its victims).
    var unsynced: Set<WatcherKey> = []
    var nextWatcher: UInt64 = 0
    var nextStream: UInt64 = 0
    /// Consumers to wake once the lock is released.
    var wakeups: [@Sendable () -> Void] = []
    /// The catch-up worker has work (a watcher went unsynced, or a full stream got room).
    var catchUpNeeded = false

    init(currentRevision: Int64) {
        self.currentRevision = currentRevision
    }

    // MARK: Queueing

    mutating func enqueue(_ response: WatchResponse, on stream: StreamKey) {
        guard let wasEmpty = streams[stream]?.enqueue(response) else { return }
        if wasEmpty, let onReady = streams[stream]?.onReady { wakeups.append(onReady) }
    }

    // MARK: Streams and watchers

    mutating func openStream(capacity: Int, onReady: (@Sendable () -> Void)?) -> StreamKey {
        let key = StreamKey(rawValue: nextStream)
        nextStream += 1
        streams[key] = WatchStreamState(capacity: capacity, onReady: onReady)
        return key
    }

    mutating func create(_ request: WatchCreateRequest, on stream: StreamKey) -> Result<WatchID, WatchError> {
        guard var streamState = streams[stream] else { preconditionFailure("watch create on a closed stream") }
        let range: WatchKeyRange
        let id: WatchID
        do throws(WatchError) {
            range = try WatchKeyRange(key: request.key, rangeEnd: request.rangeEnd)
            if request.watchID != 0 {
                id = WatchID(request.watchID)
                if streamState.watchers[id] != nil { throw WatchError.duplicateWatchID }
            } else {
                while streamState.watchers[WatchID(streamState.nextAutoID)] != nil { streamState.nextAutoID += 1 }
                id = WatchID(streamState.nextAutoID)
                streamState.nextAutoID += 1
            }
        } catch {
            // A rejected create still gets its one reply, in request order; it consumes no ID.
            enqueue(
                WatchResponse(
                    watchID: WatchID.none, revision: currentRevision, created: true, canceled: true,
                    cancelReason: error.description), on: stream)
            return .failure(error)
        }
        let key = WatcherKey(rawValue: nextWatcher)
        nextWatcher += 1
        // etcd (watchable_store.watch): start 0 or beyond the current revision -> synced, waiting
        // for `startRevision`; otherwise unsynced, replayed from history (where a compacted start
        // is found and cancelled).
        let isSynced = request.startRevision == 0 || request.startRevision > currentRevision
        let watcher = Watcher(
            key: key, stream: stream, id: id, range: range, filters: request.filters, prevKV: request.prevKV,
            progressNotify: request.progressNotify, fragment: request.fragment,
            nextRevision: request.startRevision == 0 ? currentRevision + 1 : request.startRevision,
            synced: isSynced)
        streamState.watchers[id] = key
        if !isSynced { streamState.unsyncedCount += 1 }
        streams[stream] = streamState
        watchers[key] = watcher
        if isSynced {
            synced.insert(key, range)
        } else {
            unsynced.insert(key)
            catchUpNeeded = true
        }
        // The created reply is queued before any event of the watcher can be.
        enqueue(WatchResponse(watchID: id, revision: currentRevision, created: true), on: stream)
        return .success(id)
    }

    /// Removes a watcher; returns it. The caller queues the watcher's last message, then calls
    /// `answerPendingProgress`: a stream-wide progress reply must not precede the cancel of a
    /// watcher that had not caught up.
    @discardableResult
    mutating func remove(_ key: WatcherKey) -> Watcher? {
        guard let watcher = watchers.removeValue(forKey: key) else { return nil }
        streams[watcher.stream]?.watchers[watcher.id] = nil
        if watcher.synced {
            synced.remove(key, watcher.range)
        } else {
            unsynced.remove(key)
            streams[watcher.stream]?.unsyncedCount -= 1
        }
        return watcher
    }

    mutating func cancel(_ id: WatchID, on stream: StreamKey) {
        // etcd sends nothing for an unknown ID.
        guard let key = streams[stream]?.watchers[id] else { return }
        remove(key)
        enqueue(WatchResponse(watchID: id, revision: currentRevision, canceled: true), on: stream)
        answerPendingProgress(stream)
    }

    mutating func close(_ stream: StreamKey) {
        guard let streamState = streams[stream] else { return }
        for key in streamState.watchers.values.sorted() { remove(key) }
        streams[stream] = nil
    }

    mutating func drain(_ stream: StreamKey, limit: Int) -> [WatchResponse] {
        guard var streamState = streams[stream] else { return [] }
        let wasFull = streamState.isFull
        let taken = streamState.dequeue(limit: limit)
        if wasFull && !streamState.isFull && streamState.unsyncedCount > 0 { catchUpNeeded = true }
        streams[stream] = streamState
        return taken
    }

    // MARK: Moving between synced and catch-up

    mutating func makeUnsynced(_ key: WatcherKey, nextRevision: Int64) {
        guard var watcher = watchers[key], watcher.synced else { return }
        synced.remove(key, watcher.range)
        watcher.synced = false
        watcher.nextRevision = max(watcher.nextRevision, nextRevision)
        watchers[key] = watcher
        unsynced.insert(key)
        streams[watcher.stream]?.unsyncedCount += 1
        catchUpNeeded = true
    }

    mutating func makeSynced(_ key: WatcherKey) {
        guard var watcher = watchers[key], !watcher.synced else { return }
        unsynced.remove(key)
        watcher.synced = true
        watchers[key] = watcher
        synced.insert(key, watcher.range)
        streams[watcher.stream]?.unsyncedCount -= 1
        answerPendingProgress(watcher.stream)
    }

    // MARK: Live events

    /// See `WatchHub.notify(events:revision:)`.
    mutating func notify(events: [Event], revision: Int64) {
        var start = events.startIndex
        while start < events.endIndex {
            let eventRevision = events[start].kv.modRevision
            var end = start + 1
            while end < events.endIndex && events[end].kv.modRevision == eventRevision { end += 1 }
            deliverLive(events[start..<end], revision: eventRevision)
            start = end
        }
        currentRevision = max(currentRevision, revision)
    }

    /// One message per synced watcher with all its events of revision `revision` (etcd's
    /// `watchableStore.notify`), or, when its stream is full, a move to catch-up starting at this
    /// revision: the revision is delivered whole or not at all.
    private mutating func deliverLive(_ events: ArraySlice<Event>, revision: Int64) {
        var matched: [WatcherKey: [Event]] = [:]
        for event in events {
            synced.forEachWatcher(covering: event.kv.key) { key in
                guard let watcher = watchers[key], watcher.nextRevision <= revision,
                    let delivered = watcher.deliverable(event)
                else { return }
                matched[key, default: []].append(delivered)
            }
        }
        for key in matched.keys.sorted() {
            guard var watcher = watchers[key], let stream = streams[watcher.stream] else { continue }
            if stream.isFull {
                // etcd's victim path: never block the applier, never drop; history has it all.
                makeUnsynced(key, nextRevision: revision)
                continue
            }
            watcher.nextRevision = revision + 1
            watcher.sentSinceTick = true
            watchers[key] = watcher
            enqueue(
                WatchResponse(
                    watchID: watcher.id, revision: revision, fragmentRequested: watcher.fragment,
                    events: matched[key]!), on: watcher.stream)
        }
    }

    // MARK: Progress

    mutating func requestProgress(_ stream: StreamKey) {
        guard var streamState = streams[stream] else { return }
        streamState.progressPending = true
        streams[stream] = streamState
        answerPendingProgress(stream)
    }

    /// Answers a pending `progress_request` once every watcher of the stream is synced: then all
    /// their events up to `currentRevision` are queued ahead of the reply. (etcd 3.4.23 answers at
    /// once even with unsynced watchers, which lets clientv3 resume past undelivered events;
    /// etcd 3.5 waits like this.)
    mutating func answerPendingProgress(_ stream: StreamKey) {
        guard var streamState = streams[stream], streamState.progressPending, streamState.unsyncedCount == 0
        else { return }
        streamState.progressPending = false
        streams[stream] = streamState
        enqueue(WatchResponse(watchID: WatchID.none, revision: currentRevision), on: stream)
    }

    /// See `WatchHub.tickProgress()`.
    mutating func tickProgress() {
        for key in watchers.keys.sorted() {
            guard var watcher = watchers[key], watcher.progressNotify else { continue }
            let sent = watcher.sentSinceTick
            watcher.sentSinceTick = false
            watchers[key] = watcher
            guard watcher.synced, !sent, let stream = streams[watcher.stream], !stream.isFull else { continue }
            enqueue(WatchResponse(watchID: watcher.id, revision: currentRevision), on: watcher.stream)
        }
    }
}
