import Foundation
import LMDB
import MVCC

@testable import CairnServer

/// A lessor on a manual clock with etcd's default timings (min TTL 2 s, extension 1 s, retry 7 s)
/// unless `configuration` says otherwise.
func makeLessor(
    _ configuration: LessorConfiguration = LessorConfiguration(), primary: Bool = true
) -> (Lessor, ManualLeaseClock) {
    let clock = ManualLeaseClock()
    let lessor = Lessor(configuration: configuration, clock: clock)
    if primary { lessor.promote(extend: .zero) }
    return (lessor, clock)
}

/// A store in a fresh temp directory, no fsync; the directory is removed after `body`.
func withLeaseStore<R>(_ body: (MVCCStore, String) throws -> R) throws -> R {
    try withTemporaryDirectory { dir in
        let store = try MVCCStore(path: dir, configuration: leaseStoreConfiguration)
        return try body(store, dir)
    }
}

let leaseStoreConfiguration = MVCCStore.Configuration(
    environment: Environment.Options(mapSize: 1 << 20, maxDatabases: 8, noSync: true))

extension MVCCStore {
    /// Applies `operations` as one batch at the next index, tells `lessor` what happened, as the
    /// applier does, and returns the batch.
    @discardableResult
    func applyTelling(_ lessor: Lessor, _ operations: [WriteOperation]) throws -> BatchResult {
        let batch = try apply(operations, index: try state().appliedIndex + 1)!
        for (operation, result) in zip(operations, batch.results) {
            lessor.apply(operation, result: result)
        }
        return batch
    }
}

/// The UTF-8 bytes of `key`.
func lessorKey(_ key: String) -> [UInt8] { Array(key.utf8) }

/// A put event for `key` with `lease` (the lessor reads only kind, key and lease).
func lessorPutEvent(_ key: String, lease: Int64) -> Event {
    Event(kind: .put, kv: KeyValue(key: lessorKey(key), lease: lease))
}

/// A delete event for `key`.
func lessorDeleteEvent(_ key: String) -> Event {
    Event(kind: .delete, kv: KeyValue(key: lessorKey(key)))
}
