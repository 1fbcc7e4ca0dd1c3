import Dispatch
import Foundation
import MVCC
import Testing

@testable import CairnServer

/// The background catch-up worker, racing a real applier thread (no sleeps: the worker's serial
/// queue is flushed with `sync`).
@Suite struct WatchWorkerTests {
    @Test func workerCatchesUpWhileTheApplierWrites() throws {
        let queue = DispatchQueue(label: "watch-catch-up-test")
        let fixture = try WatchFixture(catchUpBatchRevisions: 3, streamCapacity: 2, catchUpQueue: queue)
        for _ in 0..<20 { try fixture.put("k") }  // 2...21: history for a past start
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("k"), startRevision: 5))
        stream.create(WatchCreateRequest(key: watchKey("k")))
        var received: [WatchID: [Int64]] = [:]
        func drain() {
            for message in stream.drain() where !message.events.isEmpty {
                received[message.watchID, default: []] += message.events.map(\.kv.modRevision)
            }
        }
        // The applier keeps committing while the worker reads history on its own thread.
        for round in 0..<300 {
            try fixture.put(round % 3 == 0 ? "other" : "k")
            if round % 7 == 0 { drain() }
        }
        // Drain until the worker has nothing left: each drain of a full stream wakes it again.
        for _ in 0..<10_000 {
            drain()
            queue.sync {}
            if fixture.hub.watcherCounts.unsynced == 0 {
                drain()
                break
            }
        }
        #expect(fixture.hub.watcherCounts == (synced: 2, unsynced: 0))
        let all = (2...fixture.hub.currentRevision).filter { revision in
            revision <= 21 || (revision - 22) % 3 != 0
        }
        #expect(received[WatchID(0)] == all.filter { $0 >= 5 })
        #expect(received[WatchID(1)] == all.filter { $0 >= 22 })
    }

    @Test func onReadyFiresWhenTheOutboxBecomesNonEmpty() throws {
        let fixture = try WatchFixture()
        let counter = WatchCallCounter()
        let stream = fixture.hub.openStream(onReady: { counter.increment() })
        stream.create(WatchCreateRequest(key: watchKey("k")))
        try fixture.put("k")
        #expect(counter.value == 1)  // still undrained: no second wake-up
        _ = stream.drain()
        try fixture.put("k")
        #expect(counter.value == 2)
    }
}

/// A thread-safe counter for callbacks.
final class WatchCallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}

@Suite struct WatchAsyncStreamTests {
    @Test func doorbellConsumerGetsEveryMessage() async throws {
        let fixture = try WatchFixture()
        let (stream, ready) = fixture.hub.openAsyncStream()
        stream.create(WatchCreateRequest(key: watchKey("k")))
        for _ in 0..<3 { try fixture.put("k") }
        var messages: [WatchResponse] = []
        for await _ in ready {
            messages += stream.drain()
            if messages.count == 4 { break }
        }
        #expect(messages.map(\.revision) == [1, 2, 3, 4])
        stream.close()
    }
}
