import MVCC
import Testing

@testable import CairnServer

/// Random workloads against a naive model: every watcher must receive exactly the events of the
/// full history that match it, once, in order, whatever the consumers' speed, the catch-up
/// schedule and the compactions; and no progress notification may run ahead of its events.
@Suite struct WatchModelTests {
    static let keySpace: [[UInt8]] = ["a", "ab", "abc", "b", "ba", "c", "d"].map { Array($0.utf8) }

    /// A watcher as the test created it.
    struct ModelWatcher {
        var stream: Int
        var id: WatchID
        var request: WatchCreateRequest
        /// The first revision it must receive.
        var start: Int64
        /// Created with a past start below the store's compact revision at that time.
        var startCompacted: Bool
        var received: [Event] = []
        var createdSeen = false
        var cancelledByClient = false
        /// The `compact_revision` of its compaction cancel.
        var compactCancel: Int64?
        var closed = false
        /// (revision R of a progress message, events received when it arrived).
        var progressChecks: [(revision: Int64, received: Int)] = []
    }

    struct ModelStream {
        var stream: WatchStream
        /// Fast streams never fill up: drained every step, catch-up run at once after a create.
        var fast: Bool
    }

    @Test(arguments: 1...12 as ClosedRange<UInt64>)
    func everyEventOnceInOrder(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let fixture = try WatchFixture(
            catchUpBatchRevisions: Int.random(in: 1...8, using: &rng), streamCapacity: 10_000)
        var history: [Event] = []
        var compactions: Set<Int64> = []
        var revisionsWithDeletes: Set<Int64> = []
        var streams: [ModelStream] = []
        for index in 0..<4 {
            let fast = index < 2
            streams.append(
                ModelStream(
                    stream: fixture.hub.openStream(capacity: fast ? 10_000 : Int.random(in: 1...3, using: &rng)),
                    fast: fast))
        }
        var watchers: [ModelWatcher] = []
        var failures: [String] = []
        var slowMoves = 0

        func record(_ streamIndex: Int, _ messages: [WatchResponse]) {
            for message in messages {
                if message.watchID == .none {
                    if message.created {
                        failures.append("unexpected rejected create: \(message.cancelReason)")
                        continue
                    }
                    guard message.isProgressNotification else {
                        failures.append("unexpected stream message \(message)")
                        continue
                    }
                    for w in watchers.indices
                    where watchers[w].stream == streamIndex && watchers[w].createdSeen && !watchers[w].closed {
                        watchers[w].progressChecks.append((message.revision, watchers[w].received.count))
                    }
                    continue
                }
                guard let w = watchers.firstIndex(where: { $0.stream == streamIndex && $0.id == message.watchID })
                else {
                    failures.append("message for unknown watcher \(message.watchID)")
                    continue
                }
                if watchers[w].closed {
                    failures.append("message after cancel for watcher \(w): \(message)")
                    continue
                }
                if message.created {
                    if watchers[w].createdSeen || message.canceled { failures.append("bad created reply \(message)") }
                    watchers[w].createdSeen = true
                    continue
                }
                if !watchers[w].createdSeen { failures.append("watcher \(w): message before created: \(message)") }
                if message.canceled {
                    watchers[w].closed = true
                    if message.compactRevision != 0 {
                        if message.revision != 0 { failures.append("compaction cancel with header revision") }
                        watchers[w].compactCancel = message.compactRevision
                    } else if !watchers[w].cancelledByClient {
                        failures.append("watcher \(w) cancelled unasked")
                    }
                    continue
                }
                if message.isProgressNotification {
                    watchers[w].progressChecks.append((message.revision, watchers[w].received.count))
                    continue
                }
                let revisions = message.events.map(\.kv.modRevision)
                if revisions != revisions.sorted() { failures.append("watcher \(w): unordered message") }
                if let last = revisions.last, message.revision < last {
                    failures.append("watcher \(w): header revision \(message.revision) below its events")
                }
                // Strictly after what came before: no duplicate, and no revision split in two.
                if let previous = watchers[w].received.last?.kv.modRevision, let first = revisions.first,
                    first <= previous
                {
                    failures.append("watcher \(w): revision \(first) after \(previous)")
                }
                watchers[w].received += message.events
            }
        }

        func drainFast() {
            for s in streams.indices where streams[s].fast { record(s, streams[s].stream.drain()) }
        }

        func randomKey() -> [UInt8] { Self.keySpace.randomElement(using: &rng)! }

        func randomWrite() -> RequestOp {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<6:
                return .put(PutRequest(key: randomKey(), value: [UInt8.random(in: 0...255, using: &rng)]))
            case 6..<8:
                return .deleteRange(DeleteRangeRequest(key: randomKey()))
            default:
                let (a, b) = (randomKey(), randomKey())
                let ordered = a.lexicographicallyPrecedes(b)
                return .deleteRange(DeleteRangeRequest(key: ordered ? a : b, rangeEnd: ordered ? b : a))
            }
        }

        func randomOperation() -> WriteOperation {
            switch randomWrite() {
            case .put(let put) where Bool.random(using: &rng): return .put(put)
            case .deleteRange(let delete) where Bool.random(using: &rng): return .deleteRange(delete)
            default:
                // Multi-op txns: several events at one revision (a duplicate key fails the txn, fine).
                let ops = (0..<Int.random(in: 2...3, using: &rng)).map { _ in randomWrite() }
                return .txn(TxnRequest(success: ops))
            }
        }

        func randomWatch() throws {
            let key = randomKey()
            var rangeEnd: [UInt8] = []
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: rangeEnd = []
            case 1: rangeEnd = key.dropLast() + [key.last! + 1]  // prefix
            case 2: rangeEnd = [0]  // from key
            case 3:
                let other = randomKey()
                rangeEnd = key.lexicographicallyPrecedes(other) ? other : key + [0]
            default: rangeEnd = key + [0]  // [key, key\0): the key alone, as a range
            }
            let current = fixture.hub.currentRevision
            let compact = try fixture.store.state().compactRevision
            var start: Int64
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: start = 0
            case 1: start = Int64.random(in: max(1, compact - 2)...current, using: &rng)
            default: start = Int64.random(in: (current + 1)...(current + 4), using: &rng)
            }
            var filters: WatchFilters = []
            if Int.random(in: 0..<4, using: &rng) == 0 { filters.insert(.noPut) }
            if Int.random(in: 0..<4, using: &rng) == 0 { filters.insert(.noDelete) }
            let request = WatchCreateRequest(
                key: key, rangeEnd: rangeEnd, startRevision: start, filters: filters, prevKV: Bool.random(using: &rng))
            let s = Int.random(in: 0..<streams.count, using: &rng)
            guard case .success(let id) = streams[s].stream.create(request) else {
                failures.append("create rejected: \(request)")
                return
            }
            watchers.append(
                ModelWatcher(
                    stream: s, id: id, request: request, start: start == 0 ? current + 1 : start,
                    startCompacted: start != 0 && start <= current && start < compact))
            if streams[s].fast {
                fixture.catchUp()
                drainFast()
            }
        }

        for step in 0..<800 {
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<45:
                let operations = (0..<Int.random(in: 1...3, using: &rng)).map { _ in randomOperation() }
                let before = fixture.hub.watcherCounts.unsynced
                let events: [Event]
                if Int.random(in: 0..<5, using: &rng) == 0 {
                    // Catch-up reads history between the commit and its notify (the handoff race).
                    let (committed, revision) = try fixture.commit(operations)
                    fixture.hub.runCatchUpOnce()
                    fixture.hub.notify(events: committed, revision: revision)
                    events = committed
                } else {
                    events = try fixture.apply(operations)
                }
                slowMoves += max(0, fixture.hub.watcherCounts.unsynced - before)
                history += events
                for event in events where event.kind == .delete { revisionsWithDeletes.insert(event.kv.modRevision) }
            case 45..<55:
                try randomWatch()
            case 55..<70:
                let s = Int.random(in: 0..<streams.count, using: &rng)
                record(s, streams[s].stream.drain(limit: Int.random(in: 0...4, using: &rng)))
            case 70..<85:
                fixture.hub.runCatchUpOnce()
            case 85..<88:
                // Compact to a revision without deletes: compaction removes tombstones at the
                // compact revision, so a watcher starting exactly there would (as in etcd) miss them.
                let state = try fixture.store.state()
                let lowest = max(state.compactRevision + 1, 1)
                guard lowest <= state.currentRevision else { break }
                let candidates = (lowest...state.currentRevision).filter {
                    !revisionsWithDeletes.contains($0)
                }
                if let target = candidates.randomElement(using: &rng) {
                    try fixture.compact(target)
                    compactions.insert(target)
                }
            case 88..<93:
                streams[Int.random(in: 0..<streams.count, using: &rng)].stream.requestProgress()
            case 93..<98:
                fixture.hub.tickProgress()
            default:
                let live = watchers.indices.filter { !watchers[$0].closed && !watchers[$0].cancelledByClient }
                if let w = live.randomElement(using: &rng) {
                    watchers[w].cancelledByClient = true
                    streams[watchers[w].stream].stream.cancel(watchers[w].id)
                }
            }
            drainFast()
            fixture.hub.withState { state in
                for (key, stream) in state.streams {
                    let actual = state.watchers.values.filter { $0.stream == key && !$0.synced }.count
                    if actual != stream.unsyncedCount {
                        failures.append(
                            "step \(step): stream \(key) unsyncedCount \(stream.unsyncedCount) actual \(actual)")
                    }
                }
            }
        }

        // Let everyone catch up.
        for _ in 0..<10_000 {
            for s in streams.indices { record(s, streams[s].stream.drain()) }
            if !fixture.hub.runCatchUpOnce() && fixture.hub.watcherCounts.unsynced == 0 { break }
        }
        for s in streams.indices { record(s, streams[s].stream.drain()) }
        #expect(fixture.hub.watcherCounts.unsynced == 0, "seed \(seed)")

        let finalCompact = try fixture.store.state().compactRevision
        for (w, watcher) in watchers.enumerated() {
            let expected = history.compactMap { event -> Event? in
                guard event.kv.modRevision >= watcher.start, Self.covers(watcher.request, event.kv.key),
                    !(event.kind == .put && watcher.request.filters.contains(.noPut)),
                    !(event.kind == .delete && watcher.request.filters.contains(.noDelete))
                else { return nil }
                var copy = event
                if !watcher.request.prevKV { copy.prevKV = nil }
                return copy
            }
            let received = watcher.received
            let context = "seed \(seed) watcher \(w) \(watcher.request) start \(watcher.start)"
            // prevKV may be gone when the catch-up read happened after compacting past the event.
            let same = { (got: Event, want: Event) -> Bool in
                got.kind == want.kind && got.kv == want.kv
                    && (got.prevKV == want.prevKV || (got.prevKV == nil && got.kv.modRevision <= finalCompact))
            }
            let isPrefix = received.count <= expected.count && zip(received, expected).allSatisfy(same)
            #expect(watcher.createdSeen, "\(context): no created reply")
            if let compactRevision = watcher.compactCancel {
                #expect(isPrefix, "\(context): compaction-cancelled stream is not a prefix")
                #expect(compactions.contains(compactRevision), "\(context): unknown compact revision")
                let next = received.last.map { $0.kv.modRevision + 1 } ?? watcher.start
                #expect(next < compactRevision, "\(context): cancelled though not behind the compaction")
                if streams[watcher.stream].fast {
                    #expect(watcher.startCompacted, "\(context): a fast watcher was cancelled")
                }
            } else if watcher.cancelledByClient {
                #expect(isPrefix, "\(context): cancelled stream is not a prefix")
            } else {
                #expect(!watcher.startCompacted, "\(context): start below the compaction but not cancelled")
                #expect(
                    received.count == expected.count && isPrefix,
                    "\(context): got \(received.map(\.kv.modRevision)), want \(expected.map(\.kv.modRevision))")
            }
            for check in watcher.progressChecks {
                let due = expected.filter { $0.kv.modRevision <= check.revision }.count
                #expect(
                    check.received >= due,
                    "\(context): progress \(check.revision) with \(check.received) of \(due) events delivered; events \(expected.map(\.kv.modRevision)) fast \(streams[watcher.stream].fast) compactCancel \(String(describing: watcher.compactCancel)) client \(watcher.cancelledByClient) got \(received.map(\.kv.modRevision))"
                )
            }
        }
        #expect(failures.isEmpty, "seed \(seed): \(failures.prefix(5))")
        // The workload must exercise what it is about.
        #expect(watchers.count > 20 && slowMoves > 0, "seed \(seed): workload too small")
    }

    /// The spec's watch range rule (etcd-api-spec 3.2 / 3.8), written independently of the hub.
    static func covers(_ request: WatchCreateRequest, _ key: [UInt8]) -> Bool {
        let start: [UInt8] = request.key.isEmpty ? [0] : request.key
        if request.rangeEnd.isEmpty { return key == start }
        if request.rangeEnd == [0] { return !key.lexicographicallyPrecedes(start) }
        return !key.lexicographicallyPrecedes(start) && key.lexicographicallyPrecedes(request.rangeEnd)
    }
}
