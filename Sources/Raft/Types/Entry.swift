/// The kind of data an entry carries.
public enum EntryType: UInt8, Sendable {
    /// Application data (possibly empty: a new leader's no-op entry).
    case normal
    /// A configuration change in the legacy single-change form; Cairn encodes it like `.confChangeV2`.
    case confChange
    /// A configuration change (`ConfChange.encoded()`), single-step or joint.
    case confChangeV2
}

/// One entry of the replicated log.
public struct Entry: Equatable, Sendable {
    /// The term of the leader that created the entry.
    public var term: Term
    /// The position of the entry in the log.
    public var index: LogIndex
    /// What `data` holds.
    public var type: EntryType
    /// The payload: application bytes or an encoded `ConfChange`.
    public var data: [UInt8]

    /// Creates an entry.
    public init(term: Term = 0, index: LogIndex = 0, type: EntryType = .normal, data: [UInt8] = []) {
        self.term = term
        self.index = index
        self.type = type
        self.data = data
    }

    /// The size that counts towards byte limits (message size, in-flight bytes, uncommitted bytes):
    /// the payload length, as etcd-io/raft's `payloadSize`.
    public var payloadSize: UInt64 { UInt64(data.count) }
}

extension Array where Element == Entry {
    /// The total payload size of the entries.
    var payloadSize: UInt64 { reduce(0) { $0 + $1.payloadSize } }
}

/// Keeps the longest prefix of `entries` whose total size stays within `maxSize`, but always at least
/// one entry, so that a single large entry still makes progress. A `maxSize` of 0 means one entry
/// per call (as in etcd-io/raft, where every entry has a non-zero encoded size).
func limitSize(_ entries: [Entry], _ maxSize: UInt64) -> [Entry] {
    if entries.isEmpty { return entries }
    if maxSize == 0 { return [entries[0]] }
    var size = entries[0].payloadSize
    var limit = 1
    while limit < entries.count {
        size += entries[limit].payloadSize
        if size > maxSize { break }
        limit += 1
    }
    return limit == entries.count ? entries : Array(entries[0..<limit])
}
