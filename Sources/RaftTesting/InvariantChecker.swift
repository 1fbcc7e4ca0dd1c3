import Raft

/// Ghost state of a whole cluster and the safety checks over it.
///
/// The checker never looks inside a node; the driver reports what it sees (a vote granted on the
/// wire, a role, an append, an apply, a durable write, an acknowledgement, a read) and each report
/// is checked against everything reported before. The ghost state outlives crashes, which is what
/// lets it catch a member that forgets its vote or a commit index that goes backwards on restart.
/// It is usable on its own: feed it a history from another driver, or a deliberately broken one.
public struct InvariantChecker: Sendable {
    private struct EntryKey: Hashable {
        var index: UInt64
        var term: UInt64
    }

    private struct EntryFingerprint: Equatable {
        var kind: UInt8
        var dataHash: UInt64
        var previousTerm: UInt64?
    }

    private struct AppliedRecord: Equatable {
        var term: UInt64
        var kind: UInt8
        var dataHash: UInt64
    }

    private var leaderByTerm: [UInt64: NodeID] = [:]
    private var voteByTerm: [UInt64: [NodeID: NodeID]] = [:]
    private var grantsByTerm: [UInt64: [NodeID: Set<NodeID>]] = [:]
    private var entries: [EntryKey: EntryFingerprint] = [:]
    private var applied: [UInt64: AppliedRecord] = [:]
    private var appliedStateHash: [UInt64: UInt64] = [:]
    /// Per applied index, an upper bound of the term in which it was committed (see `applied`).
    private var commitTermBound: [UInt64: UInt64] = [:]
    private var commitByNode: [NodeID: LogIndex] = [:]
    private var durableCommitByNode: [NodeID: LogIndex] = [:]
    private var readStarts: [UInt64: LogIndex] = [:]

    /// The highest index any member has applied.
    public private(set) var maxApplied: LogIndex = 0
    /// The highest log index of a client write acknowledged so far.
    public private(set) var maxAcknowledged: LogIndex = 0
    /// How many writes were acknowledged.
    public private(set) var acknowledgedWrites = 0
    /// How many ReadIndex reads were checked.
    public private(set) var checkedReads = 0

    /// An empty history.
    public init() {}

    // MARK: Elections

    /// `voter` sent a granted vote (not pre-vote) response to `candidate` in `term`.
    public mutating func voteGranted(by voter: NodeID, to candidate: NodeID, term: Term) throws(InvariantViolation) {
        if let earlier = voteByTerm[term.rawValue]?[voter], earlier != candidate {
            throw InvariantViolation(
                .singleVotePerTerm, "node \(voter) voted for \(earlier) and then for \(candidate) in term \(term)")
        }
        voteByTerm[term.rawValue, default: [:]][voter] = candidate
        grantsByTerm[term.rawValue, default: [:]][candidate, default: []].insert(voter)
    }

    /// A member's durable hard state: its vote must agree with every vote it ever granted or held.
    public mutating func durableHardState(of node: NodeID, _ hardState: HardState) throws(InvariantViolation) {
        if hardState.vote != NodeID.none {
            if let earlier = voteByTerm[hardState.term.rawValue]?[node], earlier != hardState.vote {
                throw InvariantViolation(
                    .singleVotePerTerm,
                    "node \(node) durably holds a vote for \(hardState.vote) in term \(hardState.term) "
                        + "after voting for \(earlier)")
            }
            voteByTerm[hardState.term.rawValue, default: [:]][node] = hardState.vote
        }
        if let earlier = durableCommitByNode[node], hardState.commit < earlier {
            throw InvariantViolation(
                .commitMonotonic, "node \(node) durable commit went from \(earlier) to \(hardState.commit)")
        }
        durableCommitByNode[node] = hardState.commit
    }

    /// `node` is leader in `term`. `configurations` are the recent configurations it may have counted
    /// votes under (its current one first); `isNewLeadership` marks the event that made it leader.
    public mutating func leader(
        _ node: NodeID, term: Term, configurations: [ConfState], isNewLeadership: Bool
    ) throws(InvariantViolation) {
        if let other = leaderByTerm[term.rawValue], other != node {
            throw InvariantViolation(.singleLeaderPerTerm, "nodes \(other) and \(node) both led term \(term)")
        }
        leaderByTerm[term.rawValue] = node
        guard isNewLeadership else { return }
        var granted = grantsByTerm[term.rawValue]?[node] ?? []
        granted.insert(node)  // its own vote; it only counts if the node is a voter of the config
        if !configurations.contains(where: { Self.isQuorum(granted, of: $0) }) {
            let shown = configurations.map(Self.describe).joined(separator: " | ")
            throw InvariantViolation(
                .electionQuorum,
                "node \(node) became leader of term \(term) with votes from \(Self.describe(granted)), "
                    + "not a quorum of \(shown)")
        }
    }

    // MARK: Logs

    /// `node` appended `entry`, whose predecessor in its log has term `previousTerm` (nil if unknown,
    /// e.g. compacted). Entries with equal index and term must match in data and in predecessor.
    public mutating func appended(_ entry: Entry, previousTerm: Term?, on node: NodeID) throws(InvariantViolation) {
        let key = EntryKey(index: entry.index.rawValue, term: entry.term.rawValue)
        var print = EntryFingerprint(
            kind: entry.type.rawValue, dataHash: Self.hash(entry.data), previousTerm: previousTerm?.rawValue)
        if let known = entries[key] {
            if known.kind != print.kind || known.dataHash != print.dataHash {
                throw InvariantViolation(
                    .logMatching,
                    "node \(node) holds \(entry.term)/\(entry.index) with different data than another member")
            }
            if let a = known.previousTerm, let b = print.previousTerm, a != b {
                throw InvariantViolation(
                    .logMatching,
                    "node \(node) holds \(entry.term)/\(entry.index) after term \(b), another member after term \(a)")
            }
            if print.previousTerm == nil { print.previousTerm = known.previousTerm }
        }
        entries[key] = print
    }

    /// `node`, a leader of `term`, must hold every entry committed in an earlier term (paper 5.4).
    /// An entry of an old term may be committed late, by a later leader, so "earlier" is judged by
    /// the commit-term bound recorded in `applied`, never by the entry's own term.
    /// `termAt` answers the term of its log at an index, or nil when compacted or missing.
    /// `firstIndex` is the first index it still has in its log.
    public func leaderCompleteness(
        _ node: NodeID, term: Term, firstIndex: LogIndex, from: LogIndex = 1, termAt: (LogIndex) -> Term?
    ) throws(InvariantViolation) {
        var index = max(from.rawValue, firstIndex.rawValue)
        while index <= maxApplied.rawValue {
            if let record = applied[index], let bound = commitTermBound[index], bound < term.rawValue {
                let have = termAt(LogIndex(rawValue: index))
                if have?.rawValue != record.term {
                    throw InvariantViolation(
                        .leaderCompleteness,
                        "leader \(node) of term \(term) has \(have.map { "\($0)" } ?? "nothing") at index \(index), "
                            + "but \(record.term)/\(index) was committed")
                }
            }
            index += 1
        }
    }

    // MARK: Commit and apply

    /// `node`'s current commit index; it must never decrease within one incarnation.
    public mutating func commit(_ commit: LogIndex, of node: NodeID) throws(InvariantViolation) {
        if let earlier = commitByNode[node], commit < earlier {
            throw InvariantViolation(.commitMonotonic, "node \(node) commit went from \(earlier) to \(commit)")
        }
        commitByNode[node] = commit
    }

    /// `node` restarted with `commit`; it must not be below what it had durably stored.
    public mutating func restarted(_ node: NodeID, commit: LogIndex) throws(InvariantViolation) {
        if let durable = durableCommitByNode[node], commit < durable {
            throw InvariantViolation(
                .commitMonotonic, "node \(node) restarted with commit \(commit) below its durable commit \(durable)")
        }
        commitByNode[node] = commit
    }

    /// `node` applied `entry`, reaching state `stateHash`, while its current term was `term`.
    /// Every member must apply the same entry (and so reach the same state) at each index.
    ///
    /// A member only learns that an entry committed from a leader whose term is at least the term in
    /// which the entry committed, so the applying member's term bounds that commit term from above;
    /// the smallest bound seen is kept for the leader-completeness check.
    public mutating func applied(
        _ entry: Entry, on node: NodeID, stateHash: UInt64, term: Term
    ) throws(InvariantViolation) {
        let record = AppliedRecord(
            term: entry.term.rawValue, kind: entry.type.rawValue, dataHash: Self.hash(entry.data))
        let index = entry.index.rawValue
        if let known = applied[index], known != record {
            throw InvariantViolation(
                .appliedPrefixAgreement,
                "node \(node) applied \(entry.term)/\(entry.index), another member applied term \(known.term) there")
        }
        if let known = appliedStateHash[index], known != stateHash {
            throw InvariantViolation(
                .appliedPrefixAgreement, "node \(node) reached a different state than another member at index \(index)")
        }
        applied[index] = record
        appliedStateHash[index] = stateHash
        commitTermBound[index] = min(commitTermBound[index] ?? .max, term.rawValue)
        if entry.index > maxApplied { maxApplied = entry.index }
    }

    /// `node` restored a snapshot at `index` whose state is `stateHash`; it must equal the state
    /// every member reached by applying the log up to `index`.
    public mutating func restoredSnapshot(
        index: LogIndex, stateHash: UInt64, on node: NodeID
    ) throws(InvariantViolation) {
        if let known = appliedStateHash[index.rawValue], known != stateHash {
            throw InvariantViolation(
                .appliedPrefixAgreement, "node \(node) restored a snapshot at \(index) with a state no member had there"
            )
        }
        appliedStateHash[index.rawValue] = stateHash
        if index > maxApplied { maxApplied = index }
    }

    /// The term of the entry applied at `index`, if any member applied one.
    public func appliedTerm(at index: LogIndex) -> Term? {
        applied[index.rawValue].map { Term(rawValue: $0.term) }
    }

    // MARK: Client-visible history

    /// A client write at `index` is acknowledged. `durableHolders` are the members whose durable
    /// log (or snapshot) holds it; they must form a quorum of one of `configurations` (the
    /// acknowledging member's recent ones), counting voters only and both halves of a joint one.
    public mutating func acknowledged(
        index: LogIndex, configurations: [ConfState], durableHolders: Set<NodeID>
    ) throws(InvariantViolation) {
        if !configurations.contains(where: { Self.isQuorum(durableHolders, of: $0) }) {
            let shown = configurations.map(Self.describe).joined(separator: " | ")
            throw InvariantViolation(
                .durableBeforeAcknowledged,
                "write at \(index) acknowledged while only \(Self.describe(durableHolders)) durably had it; "
                    + "configurations \(shown)")
        }
        acknowledgedWrites += 1
        if index > maxAcknowledged { maxAcknowledged = index }
    }

    /// A ReadIndex read with identifier `read` starts now: it must see every write acknowledged so far.
    public mutating func readStarted(_ read: UInt64) {
        readStarts[read] = maxAcknowledged
    }

    /// The read `read` was given read index `index`.
    public mutating func readServed(_ read: UInt64, index: LogIndex, on node: NodeID) throws(InvariantViolation) {
        guard let floor = readStarts.removeValue(forKey: read) else { return }
        checkedReads += 1
        if index < floor {
            throw InvariantViolation(
                .linearizableRead,
                "read \(read) on node \(node) got read index \(index), but a write at \(floor) was acknowledged "
                    + "before it started")
        }
    }

    /// Forgets a read that will never be served (its member crashed).
    public mutating func readAbandoned(_ read: UInt64) {
        readStarts.removeValue(forKey: read)
    }

    // MARK: Helpers

    /// Whether `members` form a quorum of `config`: a majority of its voters and, when joint, also
    /// a majority of the outgoing voters. Learners never count.
    public static func isQuorum(_ members: Set<NodeID>, of config: ConfState) -> Bool {
        func majority(_ voters: [NodeID]) -> Bool {
            // An empty half is satisfied by anything, as in etcd's JointConfig.
            if voters.isEmpty { return true }
            return voters.filter { members.contains($0) }.count * 2 > voters.count
        }
        if config.voters.isEmpty && config.votersOutgoing.isEmpty { return false }
        return majority(config.voters) && majority(config.votersOutgoing)
    }

    static func describe(_ config: ConfState) -> String {
        var text = "voters=(\(config.voters.map { "\($0)" }.joined(separator: " ")))"
        if !config.votersOutgoing.isEmpty {
            text += "&&(\(config.votersOutgoing.map { "\($0)" }.joined(separator: " ")))"
        }
        if !config.learners.isEmpty { text += " learners=(\(config.learners.map { "\($0)" }.joined(separator: " ")))" }
        return text
    }

    static func describe(_ members: Set<NodeID>) -> String {
        "(" + members.sorted().map { "\($0)" }.joined(separator: " ") + ")"
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hasher = TraceHash()
        hasher.combine(bytes: bytes)
        return hasher.value
    }
}
