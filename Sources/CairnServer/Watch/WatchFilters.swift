import MVCC

/// Event kinds a watcher does not want (etcd's `WatchCreateRequest.filters`).
public struct WatchFilters: OptionSet, Hashable, Sendable {
    /// The raw bits.
    public var rawValue: UInt8

    /// Wraps raw bits.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Drop PUT events (etcd `NOPUT`).
    public static let noPut = WatchFilters(rawValue: 1 << 0)
    /// Drop DELETE events (etcd `NODELETE`).
    public static let noDelete = WatchFilters(rawValue: 1 << 1)

    /// Whether `event` passes these filters.
    func admits(_ event: Event) -> Bool {
        switch event.kind {
        case .put: return !contains(.noPut)
        case .delete: return !contains(.noDelete)
        }
    }
}
