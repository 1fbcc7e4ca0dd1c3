/// How the leader serves `readIndex` requests.
public enum ReadOnlyOption: Sendable {
    /// Confirm leadership with a heartbeat round per read batch (thesis §6.4).
    case safe
    /// Trust the leader lease (thesis §6.4.1); relies on bounded clock drift. Requires check-quorum.
    case leaseBased
}

/// The parameters of one Raft member.
public struct Config: Sendable {
    /// This member's identity; must not be `.none`.
    public var id: NodeID
    /// Ticks a follower waits without hearing from a leader before campaigning; the actual
    /// timeout is randomized in [electionTick, 2*electionTick) (paper §5.2).
    public var electionTick: Int = 10
    /// Ticks between leader heartbeats; must be below `electionTick`.
    public var heartbeatTick: Int = 1
    /// The last index the application already applied (on restart).
    public var applied: LogIndex = 0
    /// The maximum payload bytes of one append message (at least one entry is always sent).
    public var maxSizePerMsg: UInt64 = 1 << 20
    /// The maximum payload bytes of committed entries in one Ready.
    public var maxCommittedSizePerReady: UInt64 = 1 << 26
    /// The maximum payload bytes of uncommitted entries a leader accepts; 0 = unlimited.
    public var maxUncommittedEntriesSize: UInt64 = 0
    /// The maximum number of in-flight append messages per follower in replicate state.
    public var maxInflightMsgs: Int = 256
    /// The maximum payload bytes in flight per follower; 0 = unlimited.
    public var maxInflightBytes: UInt64 = 0
    /// Whether the leader steps down without recent contact with a quorum, and followers ignore
    /// vote requests while they hear from a leader (thesis §6.2, §4.2.3).
    public var checkQuorum: Bool = true
    /// Whether candidates run a pre-vote first (thesis §9.6).
    public var preVote: Bool = true
    /// How reads are served.
    public var readOnlyOption: ReadOnlyOption = .safe
    /// Whether followers drop proposals instead of forwarding them to the leader.
    public var disableProposalForwarding: Bool = false
    /// Whether a leader removed from (or demoted in) the configuration steps down.
    public var stepDownOnRemoval: Bool = true
    /// Seeds this member's own election-timeout generator; give each member a different seed.
    public var randomSeed: UInt64

    /// Creates a configuration with the defaults above.
    public init(id: NodeID, randomSeed: UInt64) {
        self.id = id
        self.randomSeed = randomSeed
    }

    /// Checks the parameters; throws `RaftError.invalidConfig` with the reason.
    public func validate() throws(RaftError) {
        if id == .none { throw .invalidConfig("cannot use none as id") }
        if heartbeatTick <= 0 { throw .invalidConfig("heartbeat tick must be greater than 0") }
        if electionTick <= heartbeatTick { throw .invalidConfig("election tick must be greater than heartbeat tick") }
        if maxInflightMsgs <= 0 { throw .invalidConfig("max inflight messages must be greater than 0") }
        if maxInflightBytes != 0 && maxInflightBytes < maxSizePerMsg {
            throw .invalidConfig("max inflight bytes must be >= max message size")
        }
        if readOnlyOption == .leaseBased && !checkQuorum {
            throw .invalidConfig("checkQuorum must be enabled when readOnlyOption is leaseBased")
        }
    }
}
