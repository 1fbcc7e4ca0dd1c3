import LMDB

extension MVCCStore {
    /// etcd's `applierV3backend.Txn`: evaluate every compare on the chosen path against the state
    /// before the txn, run the pre-checks (so a failing txn has no partial effect), then execute
    /// the chosen branch at one new revision.
    static func applyTxn(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, _ context: inout WriteContext, _ request: TxnRequest
    ) throws -> TxnResponse {
        let path = try compareToPath(txn, dbs, request)
        if !isReadOnly(request) {
            var cursor = 0
            try checkRequests(request, path, &cursor) { op in
                guard case .put(let put) = op else { return }
                if put.ignoreValue || put.ignoreLease {
                    if try latest(txn, dbs, key: put.key) == nil { throw MVCCError.keyNotFound }
                }
                if put.lease != 0 {
                    if try !leaseExists(txn, dbs, put.lease) { throw MVCCError.leaseNotFound }
                }
            }
        }
        try checkRanges(request, path, currentRevision: context.beginRevision, compactRevision: context.compactRevision)
        var position = 0
        var response = try execute(txn, dbs, &context, request, path, &position)
        response.revision = context.endRevision
        return response
    }

    /// etcd's `checkRequestRange` over the chosen path, against the state before the txn.
    static func checkRanges(
        _ request: TxnRequest, _ path: [Bool], currentRevision: Int64, compactRevision: Int64
    )
        throws
    {
        var cursor = 0
        try checkRequests(request, path, &cursor) { op in
            guard case .range(let range) = op else { return }
            if range.revision == 0 { return }
            // etcd checks against the read view's first revision, which is the compact revision
            // (-1 when never compacted): a negative revision below it counts as compacted here,
            // while a standalone Range treats it as "latest". Mirrored as is.
            if range.revision > currentRevision { throw MVCCError.futureRevision }
            if range.revision < compactRevision { throw MVCCError.compacted }
        }
    }

    /// Serves a read-only txn (every op, at every depth, a range) from the last committed state,
    /// without a write transaction: etcd does not send such txns through Raft. Calling it with a
    /// txn that writes is a programmer error (route those through `apply`).
    public func readOnlyTxn(_ request: TxnRequest) throws(MVCCError) -> TxnResponse {
        precondition(Self.isReadOnly(request), "readOnlyTxn called with a txn that writes; use apply")
        if let error = RequestValidation.check(request, maxTxnOps: configuration.maxTxnOps) { throw error }
        return try reading { txn in
            let state = try Self.readState(txn, dbs)
            let path = try Self.compareToPath(txn, dbs, request)
            try Self.checkRanges(
                request, path, currentRevision: state.currentRevision, compactRevision: state.compactRevision)
            var position = 0
            var response = try Self.executeReadOnly(txn, dbs, request, path, &position, state)
            response.revision = state.currentRevision
            return response
        }
    }

    static func executeReadOnly<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, _ request: TxnRequest, _ path: [Bool], _ position: inout Int,
        _ state: State
    ) throws -> TxnResponse {
        let succeeded = path[position]
        position += 1
        var responses: [ResponseOp] = []
        for op in succeeded ? request.success : request.failure {
            switch op {
            case .range(let range):
                responses.append(
                    .range(
                        try Self.range(
                            txn, dbs, range, currentRevision: state.currentRevision,
                            compactRevision: state.compactRevision)))
            case .txn(let nested):
                responses.append(.txn(try executeReadOnly(txn, dbs, nested, path, &position, state)))
            case .put, .deleteRange:
                preconditionFailure("write in a read-only txn")
            }
        }
        return TxnResponse(revision: 0, succeeded: succeeded, responses: responses)
    }

    /// Whether every op in both branches, at every depth, is a range.
    static func isReadOnly(_ request: TxnRequest) -> Bool {
        for op in request.success + request.failure {
            switch op {
            case .range: continue
            case .put, .deleteRange: return false
            case .txn(let nested): if !isReadOnly(nested) { return false }
            }
        }
        return true
    }

    /// The compare results of the txn and of every nested txn on the chosen path, depth first
    /// (etcd's `compareToPath`), all against the state before any op runs.
    static func compareToPath<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, _ request: TxnRequest
    ) throws -> [Bool] {
        var succeeded = true
        for compare in request.compare {
            if try !evaluate(txn, dbs, compare) {
                succeeded = false
                break
            }
        }
        var path = [succeeded]
        for op in succeeded ? request.success : request.failure {
            if case .txn(let nested) = op {
                path += try compareToPath(txn, dbs, nested)
            }
        }
        return path
    }

    /// etcd's `applyCompare`: over every live key of [key, rangeEnd); a missing key compares as the
    /// zero KeyValue, except that a VALUE compare on no key is false for every operator.
    static func evaluate<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, _ compare: Compare
    )
        throws -> Bool
    {
        var kvs: [KeyValue] = []
        try KeyIndex.scan(txn, dbs.index, from: compare.key, end: RangeEnd(compare.rangeEnd)) { _, entry in
            if !entry.tombstone {
                guard let record = try record(txn, dbs, at: entry.latest) else {
                    throw MVCCError.corrupt("missing revision \(entry.latest)")
                }
                kvs.append(record.kv)
            }
            return true
        }
        if kvs.isEmpty {
            if case .value = compare.target { return false }
            return holds(compare, KeyValue(key: []))
        }
        return kvs.allSatisfy { holds(compare, $0) }
    }

    /// etcd's `compareKV`.
    static func holds(_ compare: Compare, _ kv: KeyValue) -> Bool {
        let order: Int
        switch compare.target {
        case .version(let v): order = kv.version < v ? -1 : (kv.version == v ? 0 : 1)
        case .createRevision(let v): order = kv.createRevision < v ? -1 : (kv.createRevision == v ? 0 : 1)
        case .modRevision(let v): order = kv.modRevision < v ? -1 : (kv.modRevision == v ? 0 : 1)
        case .lease(let v): order = kv.lease < v ? -1 : (kv.lease == v ? 0 : 1)
        case .value(let v): order = MVCCStore.compare(kv.value, v)
        }
        switch compare.result {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .greater: return order > 0
        case .less: return order < 0
        }
    }

    /// Calls `check` on every non-txn op of the chosen path (etcd's `checkRequests`); `cursor`
    /// walks `path`.
    static func checkRequests(
        _ request: TxnRequest, _ path: [Bool], _ cursor: inout Int, _ check: (RequestOp) throws -> Void
    ) throws {
        let ops = path[cursor] ? request.success : request.failure
        cursor += 1
        for op in ops {
            if case .txn(let nested) = op {
                try checkRequests(nested, path, &cursor, check)
            } else {
                try check(op)
            }
        }
    }

    /// etcd's `applyTxn`: runs the chosen branch; nested txn responses carry revision 0 (etcd sends
    /// them an empty header).
    static func execute(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, _ context: inout WriteContext, _ request: TxnRequest,
        _ path: [Bool], _ position: inout Int
    ) throws -> TxnResponse {
        let succeeded = path[position]
        position += 1
        var responses: [ResponseOp] = []
        for op in succeeded ? request.success : request.failure {
            switch op {
            case .range(let range):
                responses.append(
                    .range(
                        try Self.range(
                            txn, dbs, range, currentRevision: context.readRevision,
                            compactRevision: context.compactRevision)))
            case .put(let put):
                responses.append(.put(try applyPut(txn, dbs, &context, put, standalone: false)))
            case .deleteRange(let delete):
                responses.append(.deleteRange(try applyDeleteRange(txn, dbs, &context, delete)))
            case .txn(let nested):
                responses.append(.txn(try execute(txn, dbs, &context, nested, path, &position)))
            }
        }
        return TxnResponse(revision: 0, succeeded: succeeded, responses: responses)
    }
}
