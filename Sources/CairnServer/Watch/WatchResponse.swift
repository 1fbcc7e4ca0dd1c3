import MVCC

/// One message of a watch stream, in the shape of etcd's `WatchResponse` (the API layer adds the
/// rest of the header and encodes it).
public struct WatchResponse: Hashable, Sendable {
    /// The watcher, or `WatchID.none` (-1) for rejected creates and `progress_request` replies.
    public var watchID: WatchID
    /// `header.revision`: the revision of a live message's events, the store revision when a
    /// catch-up batch was read, the current revision for created/cancel/progress messages, and 0
    /// for a compaction cancel (as etcd sends it).
    public var revision: Int64
    /// The reply to a create request.
    public var created: Bool = false
    /// The watcher is gone (cancelled, compacted, or the create was rejected).
    public var canceled: Bool = false
    /// Set on a compaction cancel: the store's compact revision.
    public var compactRevision: Int64 = 0
    /// Why a create was rejected (etcd's message), empty otherwise.
    public var cancelReason: String = ""
    /// More parts of this message follow (only from `fragments(limit:size:)`).
    public var fragment: Bool = false
    /// Not on the wire: the watcher was created with `fragment: true`, so `fragments(limit:size:)`
    /// may split this message (etcd's per-stream `fragment` map).
    public var fragmentRequested: Bool = false
    /// The events, ordered by (revision, sub-revision); a revision's events are never split
    /// across messages (except by `fragments`, which the client reassembles).
    public var events: [Event] = []

    /// Creates a response.
    public init(
        watchID: WatchID, revision: Int64, created: Bool = false, canceled: Bool = false,
        compactRevision: Int64 = 0, cancelReason: String = "", fragment: Bool = false,
        fragmentRequested: Bool = false, events: [Event] = []
    ) {
        self.watchID = watchID
        self.revision = revision
        self.created = created
        self.canceled = canceled
        self.compactRevision = compactRevision
        self.cancelReason = cancelReason
        self.fragment = fragment
        self.fragmentRequested = fragmentRequested
        self.events = events
    }

    /// Whether clientv3 reads this as a progress notification (no events, no flags, revision != 0).
    public var isProgressNotification: Bool {
        events.isEmpty && !created && !canceled && compactRevision == 0 && revision != 0
    }

    /// etcd's `sendFragments` (v3rpc/watch.go): a message of at least `limit` bytes with two or
    /// more events is split into parts of as many events as fit under `limit` (at least one each),
    /// all but the last flagged `fragment`. Only for watchers created with `fragment: true`
    /// (`fragmentRequested`; other messages come back whole, however large, as in etcd); the
    /// API layer calls it with `size` = the encoded size of a candidate message and `limit` =
    /// max-request-bytes + 512 KiB (etcd's default 2 MiB).
    public func fragments(limit: Int, size: (WatchResponse) -> Int) -> [WatchResponse] {
        if !fragmentRequested || events.count < 2 || size(self) < limit { return [self] }
        var parts: [WatchResponse] = []
        var index = 0
        while index < events.count {
            var part = self
            part.events = [events[index]]
            index += 1
            // Grow the part while it stays under the limit; the event that crosses it starts the next part.
            while index < events.count {
                part.events.append(events[index])
                if size(part) >= limit {
                    part.events.removeLast()
                    break
                }
                index += 1
            }
            part.fragment = index < events.count
            parts.append(part)
        }
        return parts
    }
}
