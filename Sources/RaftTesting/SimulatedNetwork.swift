import Raft

/// A network of point-to-point links with delay, loss, duplication, reordering and partitions.
///
/// Time is the simulator's logical clock (`SimulationClock` units). Every message gets its own
/// random delay, so messages overtake each other; partitions are per direction, so a one-way
/// partition (a node that can send but not hear) is one blocked link.
public final class SimulatedNetwork {
    /// A message on the wire.
    public struct InFlight: Sendable {
        /// The logical time at which it arrives.
        public var deliverAt: Int
        /// Tie-breaker keeping delivery order a function of the seed.
        public var sequence: UInt64
        /// The message.
        public var message: Message
    }

    /// Faults applied to every send.
    public struct Faults: Sendable {
        /// Probability a message is lost.
        public var loss: Double = 0
        /// Probability a message is delivered twice.
        public var duplication: Double = 0
        /// Delay range in clock units.
        public var delay: ClosedRange<Int> = 1...1
        /// Probability a message gets a long delay (up to `longDelay`) instead.
        public var longDelayChance: Double = 0
        /// The long delay bound.
        public var longDelay: Int = 1

        /// No faults, unit delay.
        public init() {}
    }

    /// The fault model in force.
    public var faults = Faults()
    /// Messages in flight, unordered.
    public private(set) var inFlight: [InFlight] = []
    private var blocked: Set<UInt64> = []
    private var sequence: UInt64 = 0
    /// Counters for the run summary.
    public private(set) var sent = 0
    /// Messages lost to `loss` or a partition.
    public private(set) var dropped = 0
    /// Messages delivered twice.
    public private(set) var duplicated = 0

    /// An empty network.
    public init() {}

    /// Whether messages from `from` to `to` are currently blocked.
    public func isBlocked(from: NodeID, to: NodeID) -> Bool {
        blocked.contains(Self.link(from, to))
    }

    /// Blocks (or unblocks) the direction `from` -> `to`.
    public func setBlocked(_ isBlocked: Bool, from: NodeID, to: NodeID) {
        if isBlocked { blocked.insert(Self.link(from, to)) } else { blocked.remove(Self.link(from, to)) }
    }

    /// Removes every partition.
    public func healPartitions() {
        blocked.removeAll()
    }

    /// Whether any link is blocked.
    public var isPartitioned: Bool { !blocked.isEmpty }

    /// Puts `message` on the wire at time `now`, applying the fault model. Returns false when the
    /// message was lost at once (so a transport would report it, e.g. a failed snapshot).
    @discardableResult
    public func send(_ message: Message, now: Int, random: inout SimulationRandom) -> Bool {
        sent += 1
        if isBlocked(from: message.from, to: message.to) || random.chance(faults.loss) {
            dropped += 1
            return false
        }
        enqueue(message, at: now + delay(&random))
        if random.chance(faults.duplication) {
            duplicated += 1
            enqueue(message, at: now + delay(&random))
        }
        return true
    }

    /// Removes and returns the messages due at or before `now`, in arrival order. Messages on a
    /// link that became blocked while they were in flight are dropped (and returned in `lost`).
    public func deliverable(now: Int) -> [Message] {
        var lost: [Message] = []
        return deliverable(now: now, lost: &lost)
    }

    /// As `deliverable(now:)`, appending messages dropped by a partition to `lost`.
    public func deliverable(now: Int, lost: inout [Message]) -> [Message] {
        var due: [InFlight] = []
        var rest: [InFlight] = []
        for item in inFlight {
            if item.deliverAt <= now { due.append(item) } else { rest.append(item) }
        }
        guard !due.isEmpty else { return [] }
        inFlight = rest
        due.sort { ($0.deliverAt, $0.sequence) < ($1.deliverAt, $1.sequence) }
        var out: [Message] = []
        for item in due {
            if isBlocked(from: item.message.from, to: item.message.to) {
                dropped += 1
                lost.append(item.message)
            } else {
                out.append(item.message)
            }
        }
        return out
    }

    /// Drops every message in flight to or from `node` (used when a simulated process dies only for
    /// messages *to* it: the wire still holds what it sent).
    public func dropMessages(to node: NodeID) {
        inFlight.removeAll { $0.message.to == node }
    }

    private func enqueue(_ message: Message, at time: Int) {
        sequence += 1
        inFlight.append(InFlight(deliverAt: time, sequence: sequence, message: message))
    }

    private func delay(_ random: inout SimulationRandom) -> Int {
        if random.chance(faults.longDelayChance) {
            return random.int(in: faults.delay.lowerBound...max(faults.longDelay, faults.delay.lowerBound))
        }
        return random.int(in: faults.delay)
    }

    private static func link(_ from: NodeID, _ to: NodeID) -> UInt64 {
        (from.rawValue << 32) | (to.rawValue & 0xFFFF_FFFF)
    }
}
