import MVCC

/// A watcher's hub-wide identity (watch IDs are only unique within a stream).
struct WatcherKey: Hashable, Comparable, Sendable {
    var rawValue: UInt64

    static func < (a: WatcherKey, b: WatcherKey) -> Bool { a.rawValue < b.rawValue }
}

/// A stream's hub-wide identity.
struct StreamKey: Hashable, Comparable, Sendable {
    var rawValue: UInt64

    static func < (a: StreamKey, b: StreamKey) -> Bool { a.rawValue < b.rawValue }
}

/// One watcher's state inside the hub (etcd's `mvcc.watcher`).
struct Watcher {
    let key: WatcherKey
    let stream: StreamKey
    let id: WatchID
    let range: WatchKeyRange
    let filters: WatchFilters
    let prevKV: Bool
    let progressNotify: Bool
    let fragment: Bool
    /// The lowest revision not yet delivered (etcd's `minRev`): every matching event below it has
    /// been queued on the stream, none at or above it. Only ever grows.
    var nextRevision: Int64
    /// In the synced index (gets live events from `notify`) or in the catch-up set.
    var synced: Bool
    /// An event message was queued since the last progress tick (etcd skips that tick).
    var sentSinceTick = false

    /// The event as this watcher receives it, or nil if it is not wanted.
    func deliverable(_ event: Event) -> Event? {
        guard filters.admits(event), range.contains(event.kv.key) else { return nil }
        if prevKV { return event }
        var stripped = event
        stripped.prevKV = nil
        return stripped
    }
}
