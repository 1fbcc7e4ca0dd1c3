import Raft
import Synchronization

/// A transport between members living in one process (tests, simulations): a hub that hands each
/// message to the destination's inbox at once. Fault hooks drop traffic: `isolate` cuts a member
/// off from everyone, `partition` cuts one pair (both directions).
public final class InProcessTransport: PeerTransport {
    private struct State {
        var members: [NodeID: @Sendable ([Message]) -> Void] = [:]
        var isolated: Set<NodeID> = []
        var cut: Set<[NodeID]> = []
        var dropped = 0
    }
    private let state = Mutex(State())

    /// Creates an empty hub.
    public init() {}

    /// See `PeerTransport`.
    public func register(_ id: NodeID, deliver: @escaping @Sendable ([Message]) -> Void) {
        state.withLock { $0.members[id] = deliver }
    }

    /// See `PeerTransport`.
    public func unregister(_ id: NodeID) {
        _ = state.withLock { $0.members.removeValue(forKey: id) }
    }

    /// Delivers each message unless a fault drops it. Messages to one member from one `send` are
    /// delivered together and in order.
    public func send(_ messages: [Message]) {
        var batches: [(@Sendable ([Message]) -> Void, [Message])] = []
        state.withLock { s in
            var byDestination: [NodeID: [Message]] = [:]
            var order: [NodeID] = []
            for m in messages {
                if s.isolated.contains(m.to) || s.isolated.contains(m.from) || s.cut.contains(Self.pair(m.from, m.to))
                    || s.members[m.to] == nil
                {
                    s.dropped += 1
                    continue
                }
                if byDestination[m.to] == nil { order.append(m.to) }
                byDestination[m.to, default: []].append(m)
            }
            for id in order { batches.append((s.members[id]!, byDestination[id]!)) }
        }
        for (deliver, batch) in batches { deliver(batch) }
    }

    /// Drops every message to or from `id` until `heal`.
    public func isolate(_ id: NodeID) {
        _ = state.withLock { $0.isolated.insert(id) }
    }

    /// Drops messages between `a` and `b` (both ways) until `heal`.
    public func partition(_ a: NodeID, _ b: NodeID) {
        _ = state.withLock { $0.cut.insert(Self.pair(a, b)) }
    }

    /// Removes every fault.
    public func heal() {
        state.withLock {
            $0.isolated = []
            $0.cut = []
        }
    }

    /// How many messages faults (or unknown destinations) dropped.
    public var droppedCount: Int { state.withLock { $0.dropped } }

    private static func pair(_ a: NodeID, _ b: NodeID) -> [NodeID] { a < b ? [a, b] : [b, a] }
}
