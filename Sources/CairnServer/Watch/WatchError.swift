/// Why a create request was rejected; `description` is etcd's `cancel_reason`, word for word.
public enum WatchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A client-chosen ID already in use on the stream (etcd `mvcc.ErrWatcherDuplicateID`).
    case duplicateWatchID
    /// `key >= range_end` (etcd `mvcc.ErrEmptyWatcherRange`).
    case emptyRange

    /// etcd's message.
    public var description: String {
        switch self {
        case .duplicateWatchID: return "mvcc: duplicate watch ID provided on the WatchStream"
        case .emptyRange: return "mvcc: watcher range is empty"
        }
    }
}
