/// A read waiting for its leadership confirmation.
struct ReadIndexStatus {
    /// The commit index when the request arrived: the read may be served once it is applied.
    var index: LogIndex
    /// The original request (its `from` gets the answer; `entries[0].data` is the caller's context).
    var request: Message
    /// The members that acknowledged a heartbeat carrying this read's leader-issued context.
    var acks: Set<NodeID>
}

/// The leader's pending ReadIndex requests (thesis §6.4), keyed by contexts the leader issued.
///
/// Why leader-issued contexts: etcd-io/raft (before 3.7) put the caller's context in the heartbeat
/// and released reads on any response echoing it. A caller reusing a context (or a duplicated,
/// delayed heartbeat response from an earlier term) then confirms a read the current leader never
/// confirmed, and the read may be stale. Here the leader puts a fresh context (its term and a
/// counter it never reuses) in the heartbeats and keeps a map from it to the callers' requests;
/// responses count only for a context issued by this leader in its current term, and the whole
/// map is dropped whenever the term or role changes.
struct ReadOnly {
    let option: ReadOnlyOption
    var pending: [[UInt8]: ReadIndexStatus] = [:]
    /// Contexts in the order issued: confirming one confirms every earlier one.
    var queue: [[UInt8]] = []

    init(option: ReadOnlyOption) { self.option = option }

    /// The context of the newest pending read, which heartbeats carry.
    var lastPendingContext: [UInt8]? { queue.last }

    mutating func add(context: [UInt8], index: LogIndex, request: Message, leader: NodeID) {
        if pending[context] != nil { return }
        pending[context] = ReadIndexStatus(index: index, request: request, acks: [leader])
        queue.append(context)
    }

    /// Records `from`'s acknowledgement of `context`; returns the acks, or nil for an unknown context.
    mutating func receiveAck(from: NodeID, context: [UInt8]) -> Set<NodeID>? {
        guard pending[context] != nil else { return nil }
        pending[context]!.acks.insert(from)
        return pending[context]!.acks
    }

    /// Removes and returns every read up to and including `context`, in order.
    mutating func advance(through context: [UInt8]) -> [ReadIndexStatus] {
        guard let position = queue.firstIndex(of: context) else { return [] }
        let released = queue[...position].map { pending.removeValue(forKey: $0)! }
        queue.removeFirst(position + 1)
        return released
    }

    /// Encodes a leader-issued read context: 8 bytes of term, 8 bytes of counter, big-endian.
    static func encodeContext(term: Term, counter: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: term.rawValue >> UInt64(shift)))
        }
        for shift in stride(from: 56, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: counter >> UInt64(shift)))
        }
        return out
    }

    /// The term encoded in a leader-issued context, or nil if `context` is not one.
    static func term(ofContext context: [UInt8]) -> Term? {
        guard context.count == 16 else { return nil }
        var t: UInt64 = 0
        for b in context[0..<8] { t = t << 8 | UInt64(b) }
        return Term(t)
    }
}
