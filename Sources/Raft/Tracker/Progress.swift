/// How the leader replicates to one follower (see docs/raft.md for the state diagram).
public enum ProgressState: Sendable, Equatable, CustomStringConvertible {
    /// Unknown match: send one append at a time and wait for the answer.
    case probe
    /// Known match: stream appends optimistically, within the in-flight window.
    case replicate
    /// The follower needs a snapshot; nothing is sent until it is reported.
    case snapshot

    /// StateProbe, StateReplicate, StateSnapshot.
    public var description: String {
        switch self {
        case .probe: return "StateProbe"
        case .replicate: return "StateReplicate"
        case .snapshot: return "StateSnapshot"
        }
    }
}

/// The leader's view of one follower's log (mirrors etcd-io/raft's `tracker.Progress`).
public struct Progress: Equatable, Sendable, CustomStringConvertible {
    /// The highest index known to be replicated on the follower.
    public var match: LogIndex
    /// The contract's name for `match` (docs/raft-api.md).
    public var matched: LogIndex {
        get { match }
        set { match = newValue }
    }
    /// The next index to send.
    public var next: LogIndex
    /// The replication state.
    public var state: ProgressState = .probe
    /// In snapshot state: the index of the snapshot sent.
    public var pendingSnapshot: LogIndex = 0
    /// Whether the follower was heard from since the last check-quorum round.
    public var recentActive: Bool = false
    /// In probe state: an append was sent and its answer is awaited.
    public var probeSent: Bool = false
    /// The in-flight window of replicate state.
    public var inflights: Inflights
    /// Whether the follower is a learner.
    public var isLearner: Bool = false

    /// Creates a progress.
    public init(
        match: LogIndex = 0, next: LogIndex, inflights: Inflights, isLearner: Bool = false, recentActive: Bool = false
    ) {
        self.match = match
        self.next = next
        self.inflights = inflights
        self.isLearner = isLearner
        self.recentActive = recentActive
    }

    private mutating func resetState(_ state: ProgressState) {
        probeSent = false
        pendingSnapshot = 0
        self.state = state
        inflights.reset()
    }

    /// The follower answered a probe: send the next one.
    public mutating func probeAcked() { probeSent = false }

    /// Enters probe state. From snapshot state, probing starts after the snapshot.
    public mutating func becomeProbe() {
        if state == .snapshot {
            let pending = pendingSnapshot
            resetState(.probe)
            next = max(match + 1, pending + 1)
        } else {
            resetState(.probe)
            next = match + 1
        }
    }

    /// Enters replicate state: stream from the match.
    public mutating func becomeReplicate() {
        resetState(.replicate)
        next = match + 1
    }

    /// Enters snapshot state for a snapshot at `snapshotIndex`.
    public mutating func becomeSnapshot(_ snapshotIndex: LogIndex) {
        resetState(.snapshot)
        pendingSnapshot = snapshotIndex
    }

    /// The follower acknowledged `index`; returns whether the match moved. A stale (reordered)
    /// acknowledgement never moves the match back.
    public mutating func maybeUpdate(_ index: LogIndex) -> Bool {
        var updated = false
        if match < index {
            match = index
            updated = true
            probeAcked()
        }
        next = max(next, index + 1)
        return updated
    }

    /// An append up to `index` was sent in replicate state: assume it arrives.
    public mutating func optimisticUpdate(_ index: LogIndex) { next = index + 1 }

    /// The follower rejected an append at `rejected`, hinting that its log matches at most up to
    /// `matchHint`. Returns false when the rejection is stale (out of order) and is ignored.
    public mutating func maybeDecrTo(rejected: LogIndex, matchHint: LogIndex) -> Bool {
        if state == .replicate {
            // A rejection below the match is stale: the follower acknowledged more since.
            if rejected <= match { return false }
            // Optimistic sending went wrong: fall back to the match.
            next = match + 1
            return true
        }
        // In probe state, only the answer to the latest probe counts.
        if next == 0 || next - 1 != rejected { return false }
        // Never below match + 1: the follower acknowledged the match, and a reordered rejection
        // hint must not move the probe back past it (etcd-io/raft fixed this in 3.6).
        next = max(min(rejected, matchHint + 1), match + 1)
        probeSent = false
        return true
    }

    /// Whether sending to this follower is throttled.
    public var isPaused: Bool {
        switch state {
        case .probe: return probeSent
        case .replicate: return inflights.isFull
        case .snapshot: return true
        }
    }

    /// `StateReplicate match=5 next=6 learner paused pendingSnap=3 inactive inflight=2[full]`.
    public var description: String {
        var s = "\(state) match=\(match) next=\(next)"
        if isLearner { s += " learner" }
        if isPaused { s += " paused" }
        if pendingSnapshot > 0 { s += " pendingSnap=\(pendingSnapshot)" }
        if !recentActive { s += " inactive" }
        if inflights.count > 0 {
            s += " inflight=\(inflights.count)"
            if inflights.isFull { s += "[full]" }
        }
        return s
    }
}
