import MVCC

extension WatchHub {
    /// One catch-up step (etcd's `syncWatchers`): reads one batch of history from the lowest
    /// revision any catching-up watcher needs (skipping watchers whose stream is full), queues one
    /// message per watcher with its events of the batch, cancels watchers whose next revision was
    /// compacted, and moves watchers that reached the current revision back to synced. Returns
    /// true if it changed anything (the worker loops while it does).
    ///
    /// The handoff back to synced cannot lose or duplicate an event:
    /// - a watcher's `nextRevision` is the first revision it has not been sent; catch-up sets it
    ///   to the batch's `throughRevision + 1` and `notify` only delivers revisions >= it;
    /// - the move to synced happens under the hub's lock, the same lock `notify` holds, and only
    ///   if `nextRevision > currentRevision`, the last revision `notify` has seen. Every revision
    ///   <= currentRevision came from history, so nothing is missing up to there. Every later
    ///   revision reaches `notify` after the lock is released (notify is called in commit order),
    ///   and finds the watcher synced. If the history read ran ahead of `notify` (it read a batch
    ///   already committed but not yet notified), `nextRevision` is beyond those revisions and
    ///   `notify` skips them: no duplicate. If `notify` ran ahead of the read, the watcher stays
    ///   in catch-up for another step: nothing lost.
    @discardableResult
    public func runCatchUpOnce() -> Bool {
        catchUpLock.lock()
        defer { catchUpLock.unlock() }
        // 1. Pick the watchers to serve and the revision to read from.
        let (candidates, from) = withState { state -> ([WatcherKey], Int64) in
            var keys: [WatcherKey] = []
            var from = Int64.max
            for key in state.unsynced.sorted() {
                guard let watcher = state.watchers[key], let stream = state.streams[watcher.stream], !stream.isFull
                else { continue }
                keys.append(key)
                from = min(from, watcher.nextRevision)
            }
            return (keys, from)
        }
        if candidates.isEmpty { return false }

        // 2. Read history outside the hub's lock, so the applier never waits for LMDB reads.
        let batch: HistoryBatch
        do {
            batch = try store.history(from: from, maxRevisions: configuration.catchUpBatchRevisions)
        } catch .compacted {
            guard let compactRevision = try? store.state().compactRevision else { return false }
            return withState { state in
                Self.cancelCompacted(&state, candidates, compactRevision: compactRevision)
            }
        } catch {
            // A storage failure: leave the watchers where they are; a later step retries.
            return false
        }

        // 3. Deliver and hand off.
        return withState { state in Self.deliver(&state, batch, to: candidates) }
    }

    /// etcd's compaction cancel: `{header: revision 0, watch_id, canceled, compact_revision}`,
    /// queued even on a full stream (it is the watcher's last message), then the watcher is gone.
    private static func cancelCompacted(
        _ state: inout WatchHubState, _ candidates: [WatcherKey], compactRevision: Int64
    ) -> Bool {
        var changed = false
        for key in candidates {
            guard let watcher = state.watchers[key], !watcher.synced, watcher.nextRevision < compactRevision
            else { continue }
            state.remove(key)
            state.enqueue(
                WatchResponse(watchID: watcher.id, revision: 0, canceled: true, compactRevision: compactRevision),
                on: watcher.stream)
            state.answerPendingProgress(watcher.stream)
            changed = true
        }
        return changed
    }

    private static func deliver(
        _ state: inout WatchHubState, _ batch: HistoryBatch, to candidates: [WatcherKey]
    )
        -> Bool
    {
        // Index the candidates still catching up (one may have been cancelled meanwhile).
        var index = WatcherIndex()
        for key in candidates {
            guard let watcher = state.watchers[key], !watcher.synced else { continue }
            index.insert(key, watcher.range)
        }
        var matched: [WatcherKey: [Event]] = [:]
        for event in batch.events {
            index.forEachWatcher(covering: event.kv.key) { key in
                guard let watcher = state.watchers[key], event.kv.modRevision >= watcher.nextRevision,
                    let delivered = watcher.deliverable(event)
                else { return }
                matched[key, default: []].append(delivered)
            }
        }
        var changed = false
        for key in candidates {
            guard var watcher = state.watchers[key], !watcher.synced else { continue }
            // The stream may have filled since step 1 (live messages of its other watchers):
            // keep the outbox bounded, retry this watcher after the consumer drains.
            if matched[key] != nil, state.streams[watcher.stream]?.isFull ?? true { continue }
            if watcher.nextRevision <= batch.throughRevision {
                // One message for the whole batch, header = the store revision when it was read.
                if let events = matched[key] {
                    state.enqueue(
                        WatchResponse(
                            watchID: watcher.id, revision: batch.currentRevision,
                            fragmentRequested: watcher.fragment, events: events),
                        on: watcher.stream)
                    watcher.sentSinceTick = true
                }
                watcher.nextRevision = batch.throughRevision + 1
                state.watchers[key] = watcher
                changed = true
            }
            if watcher.nextRevision > state.currentRevision {
                state.makeSynced(key)
                changed = true
            }
        }
        return changed
    }
}
