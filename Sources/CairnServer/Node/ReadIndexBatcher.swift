import Raft

/// Linearizable reads sharing ReadIndex rounds (etcd's `linearizableReadLoop`): every read that
/// arrives while no round is in flight joins the next round; one `readIndex` call with a fresh
/// context serves them all. When the round's `ReadState` comes back, the reads wait until the
/// applied index reaches its index and are released together.
///
/// A read that arrives while a round is in flight waits for the next one: the earlier round's
/// index may predate writes the read must see (thesis 6.4: the index is taken after the read
/// arrives). Lives on the Raft loop thread.
struct ReadIndexBatcher {
    private struct Round {
        var context: [UInt8]
        var waiters: [RaftNode.ReadWaiter]
        var issuedAt: Duration
    }

    private var waiting: [RaftNode.ReadWaiter] = []
    private var round: Round?
    private var counter: UInt64 = 0
    private var now: Duration = .zero

    /// Adds reads to the next round.
    mutating func enqueue(_ reads: [RaftNode.ReadWaiter]) {
        waiting.append(contentsOf: reads)
    }

    /// Starts a round if reads wait and none is in flight. Without a leader the reads fail at once
    /// with etcd's "no leader" (a follower's ReadIndex would be dropped by the core).
    mutating func issue(leader: NodeID, member: NodeID, readIndex: ([UInt8]) -> Void) {
        guard round == nil, !waiting.isEmpty else { return }
        if leader == .none {
            failWaiting(.noLeader)
            return
        }
        counter += 1
        // Unique per member and round; the leader maps it to a context of its own.
        var context: [UInt8] = []
        for v in [member.rawValue, counter] {
            for shift in stride(from: 56, through: 0, by: -8) {
                context.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
            }
        }
        round = Round(context: context, waiters: waiting, issuedAt: now)
        waiting = []
        readIndex(context)
    }

    /// Handles a ReadState: when it answers the round in flight, hands its reads to `release`
    /// with the read index and ends the round.
    mutating func readStateArrived(
        _ state: ReadState, release: (LogIndex, [RaftNode.ReadWaiter]) -> Void
    ) {
        guard let r = round, r.context == state.requestContext else { return }
        round = nil
        release(state.index, r.waiters)
    }

    /// On a tick: fails reads past their deadline with "request timed out", and re-issues a round
    /// unanswered for `retryAfter` (its request or answer may have been lost; etcd retries after
    /// 500 ms) under a new context.
    mutating func expire(now: Duration, retryAfter: Duration) {
        self.now = now
        waiting.removeAll { w in
            if w.deadline <= now {
                w.complete(.timedOut)
                return true
            }
            return false
        }
        guard var r = round else { return }
        r.waiters.removeAll { w in
            if w.deadline <= now {
                w.complete(.timedOut)
                return true
            }
            return false
        }
        if r.waiters.isEmpty {
            round = nil
        } else if now - r.issuedAt >= retryAfter {
            // Put the round's reads back in front; `issue` starts a fresh round for them.
            round = nil
            waiting.insert(contentsOf: r.waiters, at: 0)
        } else {
            round = r
        }
    }

    /// Fails every read (leader lost, shutdown, failure).
    mutating func failAll(_ error: NodeError) {
        if let r = round {
            round = nil
            for w in r.waiters { w.complete(error) }
        }
        failWaiting(error)
    }

    private mutating func failWaiting(_ error: NodeError) {
        let w = waiting
        waiting = []
        for x in w { x.complete(error) }
    }
}
