/// The kinds of messages a Raft member steps. Local messages (`hup`, `beat`, `unreachable`,
/// `snapshotStatus`, `checkQuorum`) never travel between members.
public enum MessageType: UInt8, Sendable, CaseIterable {
    /// Local: start an election.
    case hup
    /// Local: the leader should broadcast heartbeats.
    case beat
    /// A proposal of new entries (local, or forwarded by a follower to the leader).
    case propose
    /// AppendEntries (paper §5.3).
    case append
    /// The answer to `append` or `snapshot`.
    case appendResponse
    /// RequestVote (paper §5.2).
    case vote
    /// The answer to `vote`.
    case voteResponse
    /// InstallSnapshot (paper §7).
    case snapshot
    /// A leader heartbeat: an empty append carrying the commit index and a read context.
    case heartbeat
    /// The answer to `heartbeat`, echoing its context.
    case heartbeatResponse
    /// Local: the transport could not reach a peer.
    case unreachable
    /// Local: the outcome of sending a snapshot.
    case snapshotStatus
    /// Local: the leader should check that a quorum was recently active.
    case checkQuorum
    /// A request to transfer leadership to the sender (thesis §3.10).
    case transferLeader
    /// Tells the transferee to start an election at once, bypassing pre-vote and leases.
    case timeoutNow
    /// A linearizable read request (thesis §6.4).
    case readIndex
    /// The leader's answer to a forwarded `readIndex`.
    case readIndexResponse
    /// A pre-vote request (thesis §9.6): would you vote for me in the next term?
    case preVote
    /// The answer to `preVote`.
    case preVoteResponse

    /// Whether the message is generated and consumed by the local member only.
    public var isLocal: Bool {
        switch self {
        case .hup, .beat, .unreachable, .snapshotStatus, .checkQuorum: return true
        default: return false
        }
    }

    /// Whether the message answers a request of the receiver.
    public var isResponse: Bool {
        switch self {
        case .appendResponse, .voteResponse, .heartbeatResponse, .unreachable, .preVoteResponse: return true
        default: return false
        }
    }

    /// The response type to a vote or pre-vote request.
    var voteResponseType: MessageType {
        switch self {
        case .vote: return .voteResponse
        case .preVote: return .preVoteResponse
        default: preconditionFailure("not a vote message: \(self)")
        }
    }

    /// etcd-io/raft's name of the message type, used in descriptions.
    public var name: String {
        switch self {
        case .hup: return "MsgHup"
        case .beat: return "MsgBeat"
        case .propose: return "MsgProp"
        case .append: return "MsgApp"
        case .appendResponse: return "MsgAppResp"
        case .vote: return "MsgVote"
        case .voteResponse: return "MsgVoteResp"
        case .snapshot: return "MsgSnap"
        case .heartbeat: return "MsgHeartbeat"
        case .heartbeatResponse: return "MsgHeartbeatResp"
        case .unreachable: return "MsgUnreachable"
        case .snapshotStatus: return "MsgSnapStatus"
        case .checkQuorum: return "MsgCheckQuorum"
        case .transferLeader: return "MsgTransferLeader"
        case .timeoutNow: return "MsgTimeoutNow"
        case .readIndex: return "MsgReadIndex"
        case .readIndexResponse: return "MsgReadIndexResp"
        case .preVote: return "MsgPreVote"
        case .preVoteResponse: return "MsgPreVoteResp"
        }
    }
}

/// A Raft message. Which fields matter depends on `type`; unused ones stay zero.
public struct Message: Equatable, Sendable {
    /// What the message is.
    public var type: MessageType
    /// The receiver.
    public var to: NodeID
    /// The sender.
    public var from: NodeID
    /// The sender's term (0 for local messages).
    public var term: Term
    /// For appends: the term of the entry at `index`. For vote requests: the candidate's last term.
    /// For rejected append responses: the term of the follower's entry at `rejectHint`.
    public var logTerm: Term
    /// For appends: the index preceding `entries`. For responses: the acknowledged or rejected index.
    public var index: LogIndex
    /// Entries carried by appends and proposals (and a read's request context for `readIndex`).
    public var entries: [Entry]
    /// The sender's commit index.
    public var commit: LogIndex
    /// The snapshot of a `snapshot` message.
    public var snapshot: Snapshot?
    /// Whether a response refuses the request.
    public var reject: Bool
    /// For a rejected append: the follower's guess of the last index that might match.
    public var rejectHint: LogIndex
    /// Opaque bytes: a leader-issued read context on heartbeats, "CampaignTransfer" on votes.
    public var context: [UInt8]

    /// Creates a message.
    public init(
        type: MessageType, to: NodeID = .none, from: NodeID = .none, term: Term = 0, logTerm: Term = 0,
        index: LogIndex = 0, entries: [Entry] = [], commit: LogIndex = 0, snapshot: Snapshot? = nil,
        reject: Bool = false, rejectHint: LogIndex = 0, context: [UInt8] = []
    ) {
        self.type = type
        self.to = to
        self.from = from
        self.term = term
        self.logTerm = logTerm
        self.index = index
        self.entries = entries
        self.commit = commit
        self.snapshot = snapshot
        self.reject = reject
        self.rejectHint = rejectHint
        self.context = context
    }
}
