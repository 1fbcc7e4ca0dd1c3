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
        var cursor = 0
        try checkRequests(request, path, &cursor) { op in
            guard case .range(let range) = op else { return }
            if range.revision == 0 { return }
            // etcd checks against the read view's first revision, which is the compact revision
            // (-1 when never compacted): a negative revision below it counts as compacted here,
            // while a standalone Range treats it as "latest". Mirrored as is.
            if range.revision > context.beginRevision { throw MVCCError.futureRevision }
            if range.revision < context.compactRevision { throw MVCCError.compacted }
        }
        var position = 0
        var response = try execute(txn, dbs, &context, request, path, &position)
        response.revision = context.endRevision
        return response
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
    static func compareToPath(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, _ request: TxnRequest
    ) throws
        -> [Bool]
    {
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
    static func evaluate(_ txn: borrowing WriteTransaction, _ dbs: Databases, _ compare: Compare) throws -> Bool {
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
