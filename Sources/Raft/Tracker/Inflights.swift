/// The append messages sent to a follower in replicate state but not yet acknowledged, limited by
/// count and by payload bytes. Each element is the last index of one message and its byte size.
/// Acknowledgements free every message up to the acknowledged index.
public struct Inflights: Equatable, Sendable {
    /// The most messages in flight.
    public let capacity: Int
    /// The most payload bytes in flight; 0 = unlimited.
    public let maxBytes: UInt64
    /// In-flight messages in sending order: their last index and payload bytes.
    private var buffer: [(index: LogIndex, bytes: UInt64)] = []
    /// The payload bytes currently in flight.
    public private(set) var bytes: UInt64 = 0

    /// Creates an empty window.
    public init(capacity: Int, maxBytes: UInt64 = 0) {
        self.capacity = capacity
        self.maxBytes = maxBytes
    }

    /// The number of messages in flight.
    public var count: Int { buffer.count }

    /// Whether no more messages may be sent: the count or the byte budget is exhausted.
    public var isFull: Bool {
        buffer.count >= capacity || (maxBytes != 0 && bytes >= maxBytes)
    }

    /// Records a message ending at `index` with `bytes` payload bytes. Indexes must increase.
    public mutating func add(_ index: LogIndex, bytes: UInt64) {
        precondition(!isFull, "cannot add into a full inflights")
        #if DEBUG
        if let last = buffer.last { assert(last.index < index, "inflights must increase: \(last.index) >= \(index)") }
        #endif
        buffer.append((index, bytes))
        self.bytes += bytes
    }

    /// Frees every message whose last index is <= `index`.
    public mutating func freeLE(_ index: LogIndex) {
        var n = 0
        while n < buffer.count && buffer[n].index <= index {
            bytes -= buffer[n].bytes
            n += 1
        }
        if n > 0 { buffer.removeFirst(n) }
    }

    /// Frees the oldest message (a heartbeat response shows the follower is alive: let one more
    /// message through a full window so that progress resumes after drops).
    public mutating func freeFirstOne() {
        guard let first = buffer.first else { return }
        freeLE(first.index)
    }

    /// Forgets everything.
    public mutating func reset() {
        buffer.removeAll()
        bytes = 0
    }

    /// Equal limits and the same messages in flight.
    public static func == (lhs: Inflights, rhs: Inflights) -> Bool {
        lhs.capacity == rhs.capacity && lhs.maxBytes == rhs.maxBytes && lhs.bytes == rhs.bytes
            && lhs.buffer.map(\.index) == rhs.buffer.map(\.index) && lhs.buffer.map(\.bytes) == rhs.buffer.map(\.bytes)
    }
}
