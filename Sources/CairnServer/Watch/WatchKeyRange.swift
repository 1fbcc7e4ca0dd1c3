/// The keys a watcher covers: one key, the half-open interval [start, end), or every key >= start.
enum WatchKeyRange: Hashable, Sendable {
    /// Exactly this key (`range_end` empty).
    case key([UInt8])
    /// [start, end) (`range_end` non-empty and not "\0").
    case interval(start: [UInt8], end: [UInt8])
    /// Every key >= start (`range_end` == "\0").
    case fromKey([UInt8])

    /// etcd's watch create normalisation (v3rpc `watchServer.recvLoop` and `watchStream.Watch`):
    /// an empty key means "\0"; `range_end` "\0" means from-key; `key >= range_end` is rejected.
    init(key: [UInt8], rangeEnd: [UInt8]) throws(WatchError) {
        let start = key.isEmpty ? [0] : key
        if rangeEnd.isEmpty {
            self = .key(start)
        } else if rangeEnd == [0] {
            self = .fromKey(start)
        } else {
            guard start.lexicographicallyPrecedes(rangeEnd) else { throw .emptyRange }
            self = .interval(start: start, end: rangeEnd)
        }
    }

    /// The first key covered.
    var start: [UInt8] {
        switch self {
        case .key(let key), .fromKey(let key), .interval(let key, _): return key
        }
    }

    /// Whether `key` is covered.
    func contains(_ key: [UInt8]) -> Bool {
        switch self {
        case .key(let only): return key == only
        case .fromKey(let start): return !key.lexicographicallyPrecedes(start)
        case .interval(let start, let end):
            return !key.lexicographicallyPrecedes(start) && key.lexicographicallyPrecedes(end)
        }
    }
}
