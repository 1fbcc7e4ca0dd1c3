import Raft

/// One member of a simulated cluster: its disk survives crashes, everything else does not.
final class SimulatedNode {
    let id: NodeID
    let disk = SimulatedDisk()
    /// The log storage the live RawNode reads: durable state plus unsynced writes.
    var storage = MemoryStorage()
    /// The running Raft instance; nil while crashed.
    var raw: RawNode?
    var incarnation = 0
    /// The simulated state machine: a hash chain over applied entries.
    var applied: LogIndex = 0
    var stateHash: UInt64 = TraceHash().value
    /// Recent configurations, newest last (the checker accepts a quorum of any of them, because a
    /// leader may commit under the configuration before the one its followers have applied).
    var configurations: [ConfState] = []
    /// Client writes proposed through this incarnation and not yet acknowledged.
    var proposals: Set<UInt64> = []
    /// Reads started here and not yet served.
    var reads: Set<UInt64> = []
    /// The term this node was last seen leading in this incarnation.
    var ledTerm: Term?
    /// When a crashed node comes back.
    var restartAt = 0
    /// Offset of this node's ticks within a tick period, so members do not tick in lockstep.
    var tickPhase = 0

    init(id: NodeID) {
        self.id = id
    }

    var isLive: Bool { raw != nil }

    func record(configuration: ConfState) {
        configurations.append(configuration)
        if configurations.count > 3 { configurations.removeFirst() }
    }

    /// Newest first, as the checker wants them.
    var recentConfigurations: [ConfState] { configurations.reversed() }

    /// Folds an applied entry into the state hash.
    static func fold(_ state: UInt64, _ entry: Entry) -> UInt64 {
        var hasher = TraceHash()
        hasher.combine(state)
        hasher.combine(entry.index.rawValue)
        hasher.combine(entry.term.rawValue)
        hasher.combine(UInt64(entry.type.rawValue))
        hasher.combine(bytes: entry.data)
        return hasher.value
    }

    /// The snapshot payload for a state hash.
    static func encode(_ state: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: state >> (8 * UInt64($0))) }
    }

    /// The state hash in a snapshot payload (the empty state if the payload is not one of ours).
    static func decode(_ data: [UInt8]) -> UInt64 {
        guard data.count == 8 else { return TraceHash().value }
        return data.enumerated().reduce(0) { $0 | (UInt64($1.element) << (8 * UInt64($1.offset))) }
    }
}
