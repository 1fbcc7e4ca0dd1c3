import MVCC
import Testing

@testable import CairnServer

@Suite struct WatchHubTests {
    @Test func createdReplyComesFirstThenLiveEventsPerRevision() throws {
        let fixture = try WatchFixture()
        try fixture.put("a")  // revision 2
        let stream = fixture.hub.openStream()
        #expect(stream.create(WatchCreateRequest(key: watchKey("a"))) == .success(WatchID(0)))
        try fixture.put("a")  // 3
        try fixture.put("b")  // 4: not watched
        try fixture.put("a")  // 5
        let messages = stream.drain()
        #expect(messages.count == 3)
        #expect(messages[0] == WatchResponse(watchID: WatchID(0), revision: 2, created: true))
        #expect(messages[1].revision == 3 && messages[1].events.map(\.kv.modRevision) == [3])
        #expect(messages[2].revision == 5 && messages[2].events.map(\.kv.modRevision) == [5])
        // prevKV was not asked for: stripped although the store's events carry it.
        #expect(messages[1].events[0].prevKV == nil)
    }

    @Test func pastStartReplaysHistoryInOneMessageWithTheReadRevision() throws {
        let fixture = try WatchFixture()
        for _ in 0..<3 { try fixture.put("k") }  // 2, 3, 4
        try fixture.put("other")  // 5
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("k"), startRevision: 3, prevKV: true))
        #expect(fixture.hub.watcherCounts.unsynced == 1)
        fixture.catchUp()
        #expect(fixture.hub.watcherCounts == (synced: 1, unsynced: 0))
        let messages = stream.drain()
        #expect(messages.count == 2)
        #expect(messages[1].revision == 5)
        #expect(messages[1].events.map(\.kv.modRevision) == [3, 4])
        #expect(messages[1].events.map { $0.prevKV?.modRevision } == [2, 3])
        try fixture.put("k")
        #expect(stream.drain().map(\.revision) == [6])
    }

    @Test func futureStartWaitsForItsRevision() throws {
        let fixture = try WatchFixture()
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("k"), startRevision: 3))  // current is 1
        try fixture.put("k")  // 2
        try fixture.put("k")  // 3
        let messages = stream.drain()
        #expect(messages.count == 2)
        #expect(messages[1].events.map(\.kv.modRevision) == [3])
    }

    @Test func rangesPrefixesFromKeyAndFilters() throws {
        let fixture = try WatchFixture()
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("a"), rangeEnd: watchKey("b")))  // prefix "a": 0
        stream.create(WatchCreateRequest(key: watchKey("b"), rangeEnd: [0]))  // from "b": 1
        stream.create(WatchCreateRequest(key: [], rangeEnd: [0], filters: .noPut))  // all, deletes only: 2
        stream.create(WatchCreateRequest(key: watchKey("ab"), filters: .noDelete))  // 3
        _ = stream.drain()
        try fixture.put("ab")  // 2
        try fixture.put("c")  // 3
        try fixture.delete("a", "z")  // 4: ab, c
        var got: [Int64: [[String]]] = [:]
        for message in stream.drain() { got[message.watchID.rawValue, default: []].append(eventKeys(message)) }
        #expect(got[0] == [["ab"], ["ab"]])
        #expect(got[1] == [["c"], ["c"]])
        #expect(got[2] == [["ab", "c"]])
        #expect(got[3] == [["ab"]])
    }

    @Test func txnEventsOfOneRevisionStayInOneMessage() throws {
        let fixture = try WatchFixture(streamCapacity: 1)
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("k"), rangeEnd: watchKey("l"), prevKV: true))
        _ = stream.drain()
        let txn = TxnRequest(success: [
            .put(PutRequest(key: watchKey("k1"), value: watchKey("x"))),
            .put(PutRequest(key: watchKey("k2"), value: watchKey("y"))),
            .deleteRange(DeleteRangeRequest(key: watchKey("k0"))),  // nothing to delete: no event
            .put(PutRequest(key: watchKey("k3"), value: watchKey("z"))),
        ])
        try fixture.apply([.txn(txn), .txn(txn)])  // revisions 2 and 3; capacity 1: 3 goes to catch-up
        #expect(fixture.hub.watcherCounts.unsynced == 1)
        let first = stream.drain()
        try #require(first.count == 1)
        #expect(first[0].events.map(\.kv.modRevision) == [2, 2, 2])
        #expect(eventKeys(first[0]) == ["k1", "k2", "k3"])
        fixture.catchUp()
        let second = stream.drain()
        try #require(second.count == 1)
        #expect(second[0].events.map(\.kv.modRevision) == [3, 3, 3])
        #expect(second[0].events[0].prevKV?.value == watchKey("x"))
        #expect(fixture.hub.watcherCounts == (synced: 1, unsynced: 0))
    }

    @Test func slowWatcherCatchesUpWithoutLossOrDuplicates() throws {
        let fixture = try WatchFixture(catchUpBatchRevisions: 2, streamCapacity: 2)
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("k")))
        for i in 0..<10 { try fixture.put("k", "\(i)") }  // 2...11
        #expect(fixture.hub.watcherCounts.unsynced == 1)
        var revisions: [Int64] = []
        // A full stream gets nothing from catch-up; draining lets it go on.
        while fixture.hub.watcherCounts.unsynced > 0 {
            fixture.catchUp()
            revisions += stream.drain().flatMap { $0.events.map(\.kv.modRevision) }
            try fixture.put("k", "more")  // live writes keep landing meanwhile
        }
        try fixture.put("k", "last")
        revisions += stream.drain().flatMap { $0.events.map(\.kv.modRevision) }
        #expect(revisions == Array(2...fixture.hub.currentRevision))
    }

    @Test func handoffWhenHistoryRunsAheadOfNotify() throws {
        let fixture = try WatchFixture()
        try fixture.put("k")  // 2
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("k"), startRevision: 2))
        // Revision 3 is committed but the applier has not notified yet.
        let (events, revision) = try fixture.commit([.put(PutRequest(key: watchKey("k"), value: watchKey("x")))])
        fixture.catchUp()  // reads 2 and 3 from history, becomes synced at nextRevision 4
        #expect(fixture.hub.watcherCounts.synced == 1)
        fixture.hub.notify(events: events, revision: revision)  // must not deliver 3 again
        try fixture.put("k")  // 4
        let revisions = stream.drain().flatMap { $0.events.map(\.kv.modRevision) }
        #expect(revisions == [2, 3, 4])
    }

    @Test func handoffWhenNotifyRunsAheadOfHistory() throws {
        let fixture = try WatchFixture(catchUpBatchRevisions: 1)
        try fixture.put("k")  // 2
        try fixture.put("k")  // 3
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("k"), startRevision: 2))
        #expect(fixture.hub.runCatchUpOnce())  // revision 2 only
        #expect(fixture.hub.watcherCounts.unsynced == 1)
        try fixture.put("k")  // 4, notified while still catching up: not delivered live
        fixture.catchUp()
        try fixture.put("k")  // 5, live
        let revisions = stream.drain().flatMap { $0.events.map(\.kv.modRevision) }
        #expect(revisions == [2, 3, 4, 5])
    }

    @Test func watchIDsDuplicatesAndEmptyRanges() throws {
        let fixture = try WatchFixture()
        let stream = fixture.hub.openStream()
        #expect(stream.create(WatchCreateRequest(key: watchKey("a"))) == .success(WatchID(0)))
        #expect(stream.create(WatchCreateRequest(key: watchKey("a"), watchID: 100)) == .success(WatchID(100)))
        #expect(stream.create(WatchCreateRequest(key: watchKey("a"), watchID: 100)) == .failure(.duplicateWatchID))
        #expect(stream.create(WatchCreateRequest(key: watchKey("z"), rangeEnd: watchKey("a"))) == .failure(.emptyRange))
        #expect(stream.create(WatchCreateRequest(key: watchKey("b"), watchID: 2)) == .success(WatchID(2)))
        #expect(stream.create(WatchCreateRequest(key: watchKey("a"))) == .success(WatchID(1)))
        #expect(stream.create(WatchCreateRequest(key: watchKey("a"))) == .success(WatchID(3)))
        let messages = stream.drain()
        #expect(messages.map(\.watchID.rawValue) == [0, 100, -1, -1, 2, 1, 3])
        #expect(
            messages[2]
                == WatchResponse(
                    watchID: .none, revision: 1, created: true, canceled: true,
                    cancelReason: "mvcc: duplicate watch ID provided on the WatchStream"))
        #expect(messages[3].cancelReason == "mvcc: watcher range is empty")
        // Another stream has its own IDs.
        #expect(fixture.hub.openStream().create(WatchCreateRequest(key: watchKey("a"))) == .success(WatchID(0)))
    }

    @Test func cancelRepliesOnceAndStopsEvents() throws {
        let fixture = try WatchFixture()
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("a")))
        try fixture.put("a")
        stream.cancel(WatchID(0))
        stream.cancel(WatchID(0))  // unknown now: no reply
        stream.cancel(WatchID(7))
        try fixture.put("a")
        let messages = stream.drain()
        #expect(messages.count == 3)
        #expect(messages[2] == WatchResponse(watchID: WatchID(0), revision: 2, canceled: true))
        #expect(fixture.hub.watcherCounts == (synced: 0, unsynced: 0))
    }

    @Test func closingAStreamRemovesItsWatchers() throws {
        let fixture = try WatchFixture()
        try fixture.put("a")
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("a")))
        stream.create(WatchCreateRequest(key: watchKey("a"), rangeEnd: [0]))
        stream.create(WatchCreateRequest(key: watchKey("a"), startRevision: 1))
        #expect(fixture.hub.watcherCounts == (synced: 2, unsynced: 1))
        stream.close()
        stream.close()
        #expect(fixture.hub.watcherCounts == (synced: 0, unsynced: 0))
        try fixture.put("a")
        #expect(stream.drain().isEmpty)
        #expect(!fixture.hub.runCatchUpOnce())
        do {
            let released = fixture.hub.openStream()
            released.create(WatchCreateRequest(key: watchKey("b")))
        }
        #expect(fixture.hub.watcherCounts == (synced: 0, unsynced: 0))
    }

    @Test func compactedStartIsCancelledWithTheCompactRevision() throws {
        let fixture = try WatchFixture()
        for _ in 0..<5 { try fixture.put("k") }  // 2...6
        try fixture.compact(4)
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("k"), startRevision: 3))
        stream.create(WatchCreateRequest(key: watchKey("k"), startRevision: 4))  // == compact revision: fine
        fixture.catchUp()
        let messages = stream.drain()
        #expect(messages.count == 4)
        #expect(messages[2] == WatchResponse(watchID: WatchID(0), revision: 0, canceled: true, compactRevision: 4))
        #expect(messages[3].watchID == WatchID(1) && messages[3].events.map(\.kv.modRevision) == [4, 5, 6])
    }

    @Test func slowWatcherBehindACompactionIsCancelled() throws {
        let fixture = try WatchFixture(streamCapacity: 1)
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("k")))
        _ = stream.drain()
        for _ in 0..<4 { try fixture.put("k") }  // 2 queued, 3... missed
        try fixture.compact(5)
        let first = stream.drain()
        #expect(first.map { $0.events.map(\.kv.modRevision) } == [[2]])
        fixture.catchUp()
        #expect(stream.drain() == [WatchResponse(watchID: WatchID(0), revision: 0, canceled: true, compactRevision: 5)])
        #expect(fixture.hub.watcherCounts == (synced: 0, unsynced: 0))
    }

    @Test func progressRequestWaitsForCatchUp() throws {
        let fixture = try WatchFixture()
        try fixture.put("k")  // 2
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("j")))
        stream.requestProgress()  // all synced: answered at once
        stream.create(WatchCreateRequest(key: watchKey("k"), startRevision: 1))
        try fixture.put("j")  // 3
        stream.requestProgress()  // watcher 1 is catching up: must wait
        var messages = stream.drain()
        #expect(messages.count == 4)
        #expect(messages[1] == WatchResponse(watchID: .none, revision: 2))
        #expect(messages[1].isProgressNotification)
        fixture.catchUp()
        messages = stream.drain()
        #expect(messages.count == 2)
        #expect(messages[0].events.map(\.kv.modRevision) == [2])
        #expect(messages[1] == WatchResponse(watchID: .none, revision: 3))
    }

    @Test func periodicProgressOnlyForIdleSyncedWatchersThatAskedForIt() throws {
        let fixture = try WatchFixture()
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("a"), progressNotify: true))
        stream.create(WatchCreateRequest(key: watchKey("b")))
        _ = stream.drain()
        fixture.hub.tickProgress()
        #expect(stream.drain() == [WatchResponse(watchID: WatchID(0), revision: 1)])
        try fixture.put("a")  // 2
        fixture.hub.tickProgress()  // an event was sent since the last tick: skipped
        #expect(stream.drain().count == 1)
        try fixture.put("b")  // 3
        fixture.hub.tickProgress()
        #expect(stream.drain().last == WatchResponse(watchID: WatchID(0), revision: 3))
    }

    @Test func fragmentRequestIsCarriedToTheWatchersMessages() throws {
        let fixture = try WatchFixture()
        let stream = fixture.hub.openStream()
        stream.create(WatchCreateRequest(key: watchKey("a"), fragment: true))
        stream.create(WatchCreateRequest(key: watchKey("a")))
        try fixture.put("a")
        let events = stream.drain().filter { !$0.events.isEmpty }
        #expect(events.map(\.fragmentRequested) == [true, false])
    }

    @Test func fragmentsSplitLargeMessagesLikeEtcd() {
        let events = (0..<5).map { Event(kind: .put, kv: KeyValue(key: [UInt8($0)], modRevision: 9)) }
        let response = WatchResponse(watchID: WatchID(4), revision: 9, fragmentRequested: true, events: events)
        let size: (WatchResponse) -> Int = { 10 + 10 * $0.events.count }
        var whole = response
        whole.fragmentRequested = false  // the watcher did not ask: sent whole, as etcd does
        #expect(whole.fragments(limit: 35, size: size) == [whole])
        #expect(response.fragments(limit: 100, size: size) == [response])
        let parts = response.fragments(limit: 35, size: size)  // two events (30 bytes) per part
        #expect(parts.map(\.events.count) == [2, 2, 1])
        #expect(parts.map(\.fragment) == [true, true, false])
        #expect(parts.flatMap(\.events) == events)
        // Each part holds at least one event, even past the limit.
        #expect(response.fragments(limit: 5, size: size).map(\.events.count) == [1, 1, 1, 1, 1])
    }
}
