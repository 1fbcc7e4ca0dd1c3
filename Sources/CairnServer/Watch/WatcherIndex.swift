/// The synced watchers by the keys they cover, for `WatchHub.notify` (etcd's `watcherGroup`).
///
/// Single-key watchers sit in a dictionary keyed by the key: O(1) per event. Range and from-key
/// watchers sit in an array sorted by start key; an event scans the watchers whose start is <=
/// its key (binary search for the bound), so the cost per event is O(log r + s), s the number of
/// range watchers starting at or before the key. etcd uses an interval tree there (O(log r + m));
/// clients mostly watch keys and a few prefixes, so the array is kept for simplicity.
struct WatcherIndex {
    /// A range watcher's entry.
    struct RangeEntry {
        var range: WatchKeyRange
        var watcher: WatcherKey
    }

    private var byKey: [[UInt8]: [WatcherKey]] = [:]
    /// Sorted by `range.start`, then by watcher.
    private var ranges: [RangeEntry] = []

    /// The number of watchers indexed.
    private(set) var count = 0

    mutating func insert(_ watcher: WatcherKey, _ range: WatchKeyRange) {
        count += 1
        if case .key(let key) = range {
            byKey[key, default: []].append(watcher)
            return
        }
        let start = range.start
        let position = upperBound(start)
        ranges.insert(RangeEntry(range: range, watcher: watcher), at: position)
    }

    mutating func remove(_ watcher: WatcherKey, _ range: WatchKeyRange) {
        if case .key(let key) = range {
            guard var list = byKey[key], let at = list.firstIndex(of: watcher) else { return }
            list.remove(at: at)
            byKey[key] = list.isEmpty ? nil : list
            count -= 1
            return
        }
        let bound = upperBound(range.start)
        if let at = ranges[..<bound].lastIndex(where: { $0.watcher == watcher }) {
            ranges.remove(at: at)
            count -= 1
        }
    }

    /// Calls `body` for every watcher covering `key`.
    func forEachWatcher(covering key: [UInt8], _ body: (WatcherKey) -> Void) {
        if let list = byKey[key] {
            for watcher in list { body(watcher) }
        }
        let bound = upperBound(key)
        for entry in ranges[..<bound] where entry.range.contains(key) {
            body(entry.watcher)
        }
    }

    /// The first position whose start is > `key`.
    private func upperBound(_ key: [UInt8]) -> Int {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if key.lexicographicallyPrecedes(ranges[middle].range.start) {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}
