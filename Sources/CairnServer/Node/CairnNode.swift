import EtcdAPI
import Foundation
import LMDB
import MVCC
import Raft
import Synchronization

/// One Cairn member, embeddable: the Raft runtime, the applier and the store behind a local async
/// API. The gRPC layer calls the same methods.
///
/// Writes become Raft proposals (an `InternalRequest` with a member-unique id) and complete when
/// their entry applies on this member. Reads are served from the local store: serializable ones at
/// once, linearizable ones after a ReadIndex round that many reads share.
///
/// No Task per request: each call suspends once on a continuation that the Raft loop or the
/// applier resumes.
public final class CairnNode: Sendable {
    /// This member's id.
    public let memberID: UInt64
    let configuration: Configuration
    let raft: RaftNode
    let applier: Applier
    let registry: RequestRegistry
    let ids: RequestIDGenerator
    let clock: any NodeClock
    private let isStopped = LeaderFlag()

    /// Opens (or creates) the member's data directory and starts its Raft loop.
    ///
    /// - Parameter eventsSink: called after every applied batch that changed keys, on the applier
    ///   queue, in apply order (the watch hub's input).
    public init(
        configuration: Configuration, transport: any PeerTransport, clock: any NodeClock = SystemNodeClock(),
        eventsSink: (@Sendable (AppliedBatch) -> Void)? = nil
    ) throws(NodeError) {
        self.configuration = configuration
        memberID = configuration.memberID
        self.clock = clock
        let dir = configuration.dataDirectory
        do {
            try FileManager.default.createDirectory(atPath: dir + "/mvcc", withIntermediateDirectories: true)
        } catch {
            throw .storageFailure("create \(dir): \(error)")
        }
        let store: MVCCStore
        do {
            store = try MVCCStore(
                path: dir + "/mvcc",
                configuration: MVCCStore.Configuration(
                    environment: Environment.Options(mapSize: configuration.storeMapSize, maxDatabases: 8)))
        } catch {
            throw .storageFailure("open store: \(error)")
        }
        let log: DurableLog
        do {
            log = try DurableLog(
                directory: dir + "/raft",
                options: DurableLogOptions(
                    segmentSize: configuration.logSegmentSize, zeroFillSegments: configuration.logZeroFill,
                    syncObserver: configuration.logSyncObserver))
            if log.hardState.isEmpty && log.currentSnapshot.metadata.index == 0 && (try? log.lastIndex()) == 0
                && log.currentSnapshot.metadata.confState.voters.isEmpty
            {
                try log.bootstrap(confState: ConfState(voters: configuration.peers.map { NodeID($0) }))
            }
        } catch {
            throw .storageFailure("open raft log: \(error)")
        }
        registry = RequestRegistry()
        do {
            applier = try Applier(
                store: store, registry: registry, label: "cairn-apply-\(memberID)", eventsSink: eventsSink)
            // The store may be ahead of the durable commit index: a commit-only hard state is
            // written without fsync (etcd does the same), while the store committed what it
            // applied. Those entries were committed cluster-wide, so raising the commit index to
            // the applied index is safe and lets Raft start with `applied` = the store's index.
            var hs = log.hardState
            let applied = LogIndex(applier.appliedIndex)
            if applied > hs.commit {
                guard applied <= (try? log.lastIndex()) ?? 0 else {
                    throw NodeError.storageFailure("store applied \(applied) beyond the raft log")
                }
                hs.commit = applied
                try log.save(entries: [], hardState: hs, sync: true)
            }
            raft = try RaftNode(
                configuration: configuration, log: log, applier: applier, registry: registry, transport: transport,
                clock: clock)
        } catch let error as NodeError {
            throw error
        } catch {
            throw .storageFailure("start: \(error)")
        }
        ids = RequestIDGenerator(
            memberID: memberID,
            seedMilliseconds: configuration.requestIDSeed ?? UInt64(Date().timeIntervalSince1970 * 1000))
        raft.start()
    }

    /// The store (read-only use: hashes, state; writes go through Raft).
    public var store: MVCCStore { applier.store }

    /// The leader this member knows of, 0 when none.
    public var leader: UInt64 { raft.leader.rawValue }

    /// The current Raft term as this member knows it.
    public var raftTerm: UInt64 { raft.term.rawValue }

    /// etcd's response header for a response served now by this member (API spec 3.1):
    /// cluster id, this member's id, its current term, and `revision` (which depends on the RPC).
    public func responseHeader(revision: Int64) -> Etcdserverpb_ResponseHeader {
        var header = Etcdserverpb_ResponseHeader()
        header.clusterID = configuration.effectiveClusterID
        header.memberID = memberID
        header.raftTerm = raftTerm
        header.revision = revision
        return header
    }

    /// Raft's view of this member (after the loop's current turn).
    public func raftStatus() async -> Status { await raft.status() }

    /// Resumes after the Raft loop finished a turn started after this call (tests step with it).
    public func barrier() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in raft.barrier { c.resume() } }
    }

    /// Proposes a membership change (the member-management API comes later). Returns once Raft
    /// accepted the proposal; the change applies on every member when committed, recorded with
    /// the batch in the store's metadata (`raft/confState`).
    package func proposeConfChange(_ change: ConfChange) async throws(NodeError) {
        if isStopped.value { throw .stopped }
        let error = await withCheckedContinuation { (c: CheckedContinuation<NodeError?, Never>) in
            raft.proposeConfChange(change) { c.resume(returning: $0) }
        }
        if let error { throw error }
    }

    /// Starts an election on this member.
    public func campaign() { raft.campaign() }

    // MARK: Writes

    /// Puts a key.
    public func put(_ request: PutRequest) async throws(NodeError) -> PutResponse {
        guard case .put(let r) = try await propose(.put(request)) else { preconditionFailure("response kind") }
        return r
    }

    /// Deletes a key or range.
    public func deleteRange(_ request: DeleteRangeRequest) async throws(NodeError) -> DeleteRangeResponse {
        guard case .deleteRange(let r) = try await propose(.deleteRange(request)) else {
            preconditionFailure("response kind")
        }
        return r
    }

    /// Runs a transaction through Raft (also a read-only one: it then reads at its apply point,
    /// which is linearizable).
    public func txn(_ request: TxnRequest) async throws(NodeError) -> TxnResponse {
        guard case .txn(let r) = try await propose(.txn(request)) else { preconditionFailure("response kind") }
        return r
    }

    /// Compacts history below a revision.
    public func compact(_ request: CompactionRequest) async throws(NodeError) -> CompactionResponse {
        guard case .compact(let r) = try await propose(.compact(request)) else { preconditionFailure("response kind") }
        return r
    }

    /// Records a lease (the lessor chooses the id and owns expiry); returns the revision.
    public func leaseGrant(_ request: LeaseGrantRequest) async throws(NodeError) -> Int64 {
        guard case .leaseGrant(let rev) = try await propose(.leaseGrant(request)) else {
            preconditionFailure("response kind")
        }
        return rev
    }

    /// Revokes a lease, deleting its keys; returns the revision.
    public func leaseRevoke(_ request: LeaseRevokeRequest) async throws(NodeError) -> Int64 {
        guard case .leaseRevoke(let rev) = try await propose(.leaseRevoke(request)) else {
            preconditionFailure("response kind")
        }
        return rev
    }

    /// Proposes one write and waits for its result on this member.
    func propose(_ operation: WriteOperation) async throws(NodeError) -> OperationResponse {
        if isStopped.value { throw .stopped }
        let id = ids.next()
        let data = InternalRequest(id: id, operation: operation).encoded()
        let deadline = clock.now() + configuration.requestTimeout
        let result = await withCheckedContinuation {
            (c: CheckedContinuation<Result<OperationResponse, NodeError>, Never>) in
            guard
                registry.register(
                    id, deadline: deadline, limit: configuration.maxPendingRequests, { c.resume(returning: $0) })
            else {
                c.resume(returning: .failure(.tooManyRequests))
                return
            }
            raft.propose(id: id, data: data)
        }
        return try result.get()
    }

    // MARK: Reads

    /// Reads a key or range: linearizable unless `request.serializable` (then from the local
    /// store at once, possibly stale, as etcd).
    public func range(_ request: RangeRequest) async throws(NodeError) -> RangeResponse {
        if !request.serializable { try await linearizableBarrier() }
        do {
            return try store.range(request)
        } catch {
            throw .mvcc(error)
        }
    }

    /// Waits until this member applied everything committed when the call began (ReadIndex).
    func linearizableBarrier() async throws(NodeError) {
        if isStopped.value { throw .stopped }
        let deadline = clock.now() + configuration.requestTimeout
        let error = await withCheckedContinuation { (c: CheckedContinuation<NodeError?, Never>) in
            raft.read(deadline: deadline) { c.resume(returning: $0) }
        }
        if let error { throw error }
    }

    /// The store's hash of its history (etcd's HashKV).
    public func hashKV(revision: Int64 = 0) throws(NodeError) -> HashKVResponse {
        do {
            return try store.hashKV(revision: revision)
        } catch {
            throw .mvcc(error)
        }
    }

    // MARK: Lifecycle

    deinit { shutdown() }

    /// Stops the Raft loop (pending requests fail with "server stopped"), lets the applier finish
    /// what it was given, and closes the log. The store closes when the member is released.
    public func shutdown() {
        if isStopped.exchange(true) { return }
        raft.stop()
        applier.drain()
        raft.log.close()
    }
}

/// A flag settable once from any thread.
final class LeaderFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var value: Bool { flag.load(ordering: .acquiring) }
    func exchange(_ v: Bool) -> Bool { flag.exchange(v, ordering: .acquiringAndReleasing) }
}
