/// A request to add a watcher to a stream (etcd's `WatchCreateRequest`, minus auth, which the API
/// layer checks before calling the hub).
public struct WatchCreateRequest: Hashable, Sendable {
    /// The key, or the start of the range; empty means "\0".
    public var key: [UInt8]
    /// Empty: `key` only; "\0": every key >= `key`; otherwise [key, rangeEnd).
    public var rangeEnd: [UInt8]
    /// 0: events after the current revision; N > 0: every event with revision >= N (replayed
    /// from history when N <= current, delivered once the store reaches N when in the future).
    public var startRevision: Int64
    /// Client-chosen ID (non-zero), or 0 for a server-assigned one.
    public var watchID: Int64
    /// Event kinds to drop.
    public var filters: WatchFilters
    /// Attach each event's previous kv (when still available).
    public var prevKV: Bool
    /// Receive periodic progress notifications (`WatchHub.tickProgress()`).
    public var progressNotify: Bool
    /// The client reassembles fragments (see `WatchResponse.fragments(limit:size:)`).
    public var fragment: Bool

    /// Creates a request.
    public init(
        key: [UInt8], rangeEnd: [UInt8] = [], startRevision: Int64 = 0, watchID: Int64 = 0,
        filters: WatchFilters = [], prevKV: Bool = false, progressNotify: Bool = false, fragment: Bool = false
    ) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.startRevision = startRevision
        self.watchID = watchID
        self.filters = filters
        self.prevKV = prevKV
        self.progressNotify = progressNotify
        self.fragment = fragment
    }
}
