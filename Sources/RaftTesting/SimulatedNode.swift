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
    /// The simulated state machine and the index it has applied.
    var applied: LogIndex = 0
    var machine: any SimulatedStateMachine
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

    init(id: NodeID, machine: any SimulatedStateMachine) {
        self.id = id
        self.machine = machine
    }

    var isLive: Bool { raw != nil }

    func record(configuration: ConfState) {
        configurations.append(configuration)
        if configurations.count > 3 { configurations.removeFirst() }
    }

    /// Newest first, as the checker wants them.
    var recentConfigurations: [ConfState] { configurations.reversed() }
}
