/// One stream's state inside the hub: its watchers, its ID allocator and its outbox.
struct WatchStreamState {
    /// The stream's watchers by watch ID.
    var watchers: [WatchID: WatcherKey] = [:]
    /// etcd's `watchStream.nextID`: auto IDs start at 0 and skip IDs in use.
    var nextAutoID: Int64 = 0
    /// Messages not yet drained by the consumer, in order (`head` is the first live one).
    private(set) var outbox: [WatchResponse] = []
    private var head = 0
    /// Event messages in the outbox; at `capacity` the stream is full (etcd's `chanBufLen`).
    private(set) var queuedEventMessages = 0
    /// The most event messages the outbox holds before synced watchers are moved to catch-up.
    let capacity: Int
    /// Watchers of this stream in the catch-up set.
    var unsyncedCount = 0
    /// A `progress_request` waits for the stream's watchers to be synced.
    var progressPending = false
    /// Called when the outbox becomes non-empty.
    let onReady: (@Sendable () -> Void)?

    init(capacity: Int, onReady: (@Sendable () -> Void)?) {
        self.capacity = max(capacity, 1)
        self.onReady = onReady
    }

    var isFull: Bool { queuedEventMessages >= capacity }
    var isEmpty: Bool { head == outbox.count }

    /// Appends a message; returns true if the outbox was empty (the consumer should be woken).
    mutating func enqueue(_ response: WatchResponse) -> Bool {
        let wasEmpty = isEmpty
        outbox.append(response)
        if !response.events.isEmpty { queuedEventMessages += 1 }
        return wasEmpty
    }

    /// Removes and returns up to `limit` messages from the front.
    mutating func dequeue(limit: Int) -> [WatchResponse] {
        let end = head + min(outbox.count - head, max(limit, 0))
        let taken = Array(outbox[head..<end])
        head = end
        for response in taken where !response.events.isEmpty { queuedEventMessages -= 1 }
        if head == outbox.count {
            outbox.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > outbox.count {
            outbox.removeFirst(head)
            head = 0
        }
        return taken
    }
}
