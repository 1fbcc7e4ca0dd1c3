import Foundation
import MVCC

@testable import CairnServer

/// A real store in a temp directory with a hub on top; `apply` plays the applier's part.
final class WatchFixture {
    let directory: String
    let store: MVCCStore
    let hub: WatchHub
    private var index: UInt64 = 0

    init(catchUpBatchRevisions: Int = 1000, streamCapacity: Int = 128, catchUpQueue: DispatchQueue? = nil) throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("cairn-watch-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try MVCCStore(
            path: directory,
            configuration: MVCCStore.Configuration(
                environment: .init(mapSize: 8 << 20, maxDatabases: 8, noSync: true)))
        hub = try WatchHub(
            store: store,
            configuration: WatchHub.Configuration(
                catchUpBatchRevisions: catchUpBatchRevisions, streamCapacity: streamCapacity, catchUpQueue: catchUpQueue
            ))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Applies a batch to the store without telling the hub (the applier between commit and
    /// notify); returns the events and the new revision.
    @discardableResult
    func commit(_ operations: [WriteOperation]) throws -> (events: [Event], revision: Int64) {
        index += 1
        guard let result = try store.apply(operations, index: index) else { fatalError("batch skipped") }
        return (result.results.flatMap(\.events), result.revision)
    }

    /// Applies a batch and notifies the hub, as the applier does; returns the events.
    @discardableResult
    func apply(_ operations: [WriteOperation]) throws -> [Event] {
        let (events, revision) = try commit(operations)
        hub.notify(events: events, revision: revision)
        return events
    }

    @discardableResult
    func put(_ key: String, _ value: String = "v") throws -> [Event] {
        try apply([.put(PutRequest(key: Array(key.utf8), value: Array(value.utf8)))])
    }

    @discardableResult
    func delete(_ key: String, _ rangeEnd: String = "") throws -> [Event] {
        try apply([.deleteRange(DeleteRangeRequest(key: Array(key.utf8), rangeEnd: Array(rangeEnd.utf8)))])
    }

    func compact(_ revision: Int64) throws {
        try apply([.compact(CompactionRequest(revision: revision))])
    }

    /// Runs catch-up steps until nothing changes.
    func catchUp() {
        while hub.runCatchUpOnce() {}
    }
}

/// The UTF-8 bytes of a key written as a string.
func watchKey(_ string: String) -> [UInt8] { Array(string.utf8) }

/// The keys of a message's events, as strings.
func eventKeys(_ response: WatchResponse) -> [String] {
    response.events.map { String(decoding: $0.kv.key, as: UTF8.self) }
}
