import LMDB

extension MVCCStore {
    /// Applies an ordered batch of operations in one LMDB write transaction that also records
    /// `index` as the applied index, so the state and the index it came from commit together.
    ///
    /// Returns nil, changing nothing, when `index` <= the stored applied index (the batch was
    /// already applied: replay after a restart is exactly-once). An operation that fails a check
    /// gets its error in its result and writes nothing; the rest of the batch goes on, as etcd's
    /// applier does. A storage failure aborts the whole batch (nothing of it is visible).
    ///
    /// Raft indexes start at 1; a batch may be empty (it then just records the index, e.g. for
    /// entries that carry no KV request). `metadata` is stored in the same transaction (e.g. the
    /// Raft term or the membership the entries produced), readable with `metadata(_:)`.
    public func apply(
        _ operations: [WriteOperation], index: UInt64, metadata: [String: [UInt8]] = [:]
    ) throws(MVCCError) -> BatchResult? {
        try apply(operations, index: index, metadata: metadata, beforeCommit: nil)
    }

    /// Removes the data of at most `limit` old revisions of a pending compaction (see
    /// `Configuration.compactionSliceRevisions`) in its own write transaction; returns true when
    /// nothing is pending any more. Changes nothing that reads can see.
    @discardableResult
    public func compactPending(limit: Int = 1000) throws(MVCCError) -> Bool {
        try writing { txn in
            let state = try Self.readState(txn, dbs)
            return try Self.compactSlice(txn, dbs, compactRevision: state.compactRevision, limit: limit)
        }
    }

    /// Whether a compaction still has data to remove (`compactPending(limit:)`).
    public func compactionIsPending() throws(MVCCError) -> Bool {
        try reading { txn in try Self.readProgress(txn, dbs).cursor != nil }
    }

    /// The value stored under `key` by `apply(_:index:metadata:)`, as of the last committed batch.
    /// Metadata keys must stay under 400 bytes (LMDB key limit).
    public func metadata(_ key: String) throws(MVCCError) -> [UInt8]? {
        try reading { txn in try txn.get(dbs.meta, key: Self.metadataKey(key)) }
    }

    /// User metadata lives in the meta database under a "user/" prefix, apart from the store's own
    /// records.
    static func metadataKey(_ key: String) -> [UInt8] {
        Array("user/\(key)".utf8)
    }

    /// `apply` with a hook run inside the write transaction just before commit; a hook that throws
    /// aborts the batch as a crash before commit would (tests use it).
    func apply(
        _ operations: [WriteOperation], index: UInt64, metadata: [String: [UInt8]] = [:],
        beforeCommit: (() throws -> Void)?
    ) throws(MVCCError)
        -> BatchResult?
    {
        try writing { txn -> BatchResult? in
            var state = try Self.readState(txn, dbs)
            if index <= state.appliedIndex { return nil }
            var results: [OperationResult] = []
            results.reserveCapacity(operations.count)
            for operation in operations {
                results.append(try applyOne(txn, operation, &state))
            }
            if let limit = configuration.compactionSliceRevisions {
                _ = try Self.compactSlice(txn, dbs, compactRevision: state.compactRevision, limit: limit)
            }
            state.appliedIndex = index
            try Self.writeState(txn, dbs, state)
            for key in metadata.keys.sorted() {  // sorted: the same writes in the same order everywhere
                try txn.put(dbs.meta, key: Self.metadataKey(key), value: metadata[key]!)
            }
            try beforeCommit?()
            return BatchResult(results: results, revision: state.currentRevision, appliedIndex: index)
        }
    }

    /// Applies one operation; MVCCErrors become its result (they are raised before it writes
    /// anything), other errors abort the batch.
    private func applyOne(
        _ txn: borrowing WriteTransaction, _ operation: WriteOperation, _ state: inout State
    ) throws
        -> OperationResult
    {
        if let error = RequestValidation.check(
            operation, maxTxnOps: configuration.maxTxnOps, maxRequestBytes: configuration.maxRequestBytes)
        {
            return OperationResult(response: .failure(error))
        }
        var context = WriteContext(beginRevision: state.currentRevision, compactRevision: state.compactRevision)
        let response: OperationResponse
        do {
            switch operation {
            case .put(let put):
                response = .put(try Self.applyPut(txn, dbs, &context, put, standalone: true))
            case .deleteRange(let delete):
                response = .deleteRange(try Self.applyDeleteRange(txn, dbs, &context, delete))
            case .txn(let request):
                response = .txn(try Self.applyTxn(txn, dbs, &context, request))
            case .compact(let compaction):
                try Self.compact(
                    txn, dbs, to: compaction.revision, &state, fullScanFactor: configuration.fullScanFactor,
                    sliceLimit: configuration.compactionSliceRevisions)
                response = .compact(CompactionResponse(revision: state.currentRevision))
            case .leaseGrant(let grant):
                try Self.grant(txn, dbs, grant)
                response = .leaseGrant(revision: state.currentRevision)
            case .leaseRevoke(let revoke):
                try Self.revoke(txn, dbs, &context, revoke)
                response = .leaseRevoke(revision: context.endRevision)
            }
        } catch let error as MVCCError {
            if case .storage = error { throw error }
            if case .corrupt = error { throw error }
            return OperationResult(response: .failure(error))
        }
        state.currentRevision = context.endRevision
        return OperationResult(response: .success(response), events: context.events)
    }

    // MARK: Leases

    /// etcd's `lessor.Grant` checks (the TTL floor and ID choice are the lessor's).
    static func grant(_ txn: borrowing WriteTransaction, _ dbs: Databases, _ request: LeaseGrantRequest) throws {
        if request.id == 0 { throw MVCCError.leaseNotFound }  // lessor: NoLease -> ErrLeaseNotFound
        if request.ttl > 9_000_000_000 { throw MVCCError.leaseTTLTooLarge }
        if try leaseExists(txn, dbs, request.id) { throw MVCCError.leaseExists }
        try txn.put(dbs.lease, key: leaseID(request.id), value: leaseID(request.ttl))
    }

    /// etcd's `lessor.Revoke`: deletes the attached keys in key order at one new revision (none if
    /// no key is attached), then forgets the lease.
    static func revoke(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, _ context: inout WriteContext,
        _ request: LeaseRevokeRequest
    ) throws {
        if try !leaseExists(txn, dbs, request.id) { throw MVCCError.leaseNotFound }
        let keys = try attachedKeys(txn, dbs, lease: request.id)
        for key in keys {
            _ = try deleteRange(txn, dbs, &context, key: key, rangeEnd: [])
        }
        try txn.delete(dbs.lease, key: leaseID(request.id))
    }

    /// The keys attached to `lease`, sorted.
    static func attachedKeys<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, lease: Int64
    )
        throws -> [[UInt8]]
    {
        let prefix = leaseID(lease)
        var revisions: [Revision] = []
        try txn.forEach(dbs.leaseKeys, from: prefix) { key, _ in
            guard key.count == 24, key.starts(with: prefix) else { return false }
            if let revision = Revision(bytes: UnsafeRawBufferPointer(rebasing: key[8...])) {
                revisions.append(revision)
            }
            return true
        }
        var keys: [[UInt8]] = []
        for revision in revisions {
            guard let record = try record(txn, dbs, at: revision, skipValue: true) else {
                throw MVCCError.corrupt("lease \(lease) attachment to missing revision \(revision)")
            }
            keys.append(record.kv.key)
        }
        return keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The lease `id`, or nil if it does not exist.
    public func lease(_ id: Int64) throws(MVCCError) -> Lease? {
        try reading { txn in
            try txn.withValue(dbs.lease, key: Self.leaseID(id)) { value -> Lease? in
                guard let value, value.count == 8 else { return nil }
                return Lease(id: id, ttl: Int64(bitPattern: UInt64(bigEndian: value.loadUnaligned(as: UInt64.self))))
            }
        }
    }

    /// Every lease, ordered by ID (as an unsigned number).
    public func leases() throws(MVCCError) -> [Lease] {
        try reading { txn in
            var leases: [Lease] = []
            try txn.forEach(dbs.lease, from: []) { key, value in
                guard key.count == 8, value.count == 8 else { return true }
                leases.append(
                    Lease(
                        id: Int64(bitPattern: UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))),
                        ttl: Int64(bitPattern: UInt64(bigEndian: value.loadUnaligned(as: UInt64.self)))))
                return true
            }
            return leases
        }
    }

    /// The keys currently attached to lease `id`, sorted (empty for an unknown lease).
    public func keys(attachedTo id: Int64) throws(MVCCError) -> [[UInt8]] {
        try reading { txn in try Self.attachedKeys(txn, dbs, lease: id) }
    }
}
