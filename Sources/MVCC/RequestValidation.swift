// The checks etcd's API layer (etcdserver/api/v3rpc/key.go) makes before a request reaches Raft,
// and the request size limit the server applies to the proposal. They depend only on the request,
// so the server can run them before proposing; `MVCCStore.apply` runs them again so that a request
// that slipped through still writes nothing.

/// Validation of requests against etcd's API-layer rules.
public enum RequestValidation {
    /// etcd's `checkRangeRequest`.
    public static func check(_ request: RangeRequest) -> MVCCError? {
        request.key.isEmpty ? .emptyKey : nil
    }

    /// etcd's `checkPutRequest`.
    public static func check(_ request: PutRequest) -> MVCCError? {
        if request.key.isEmpty { return .emptyKey }
        if request.ignoreValue && !request.value.isEmpty { return .valueProvided }
        if request.ignoreLease && request.lease != 0 { return .leaseProvided }
        return nil
    }

    /// etcd's `checkDeleteRequest`.
    public static func check(_ request: DeleteRangeRequest) -> MVCCError? {
        request.key.isEmpty ? .emptyKey : nil
    }

    /// etcd's `checkTxnRequest` (op counts, empty keys, per-op checks; a nested txn gets the limit
    /// minus its parent's largest list) followed by `checkIntervals` on both branches.
    public static func check(_ request: TxnRequest, maxTxnOps: Int) -> MVCCError? {
        if let error = checkTxnRequest(request, maxTxnOps: maxTxnOps) { return error }
        do {
            _ = try checkIntervals(request.success)
            _ = try checkIntervals(request.failure)
        } catch {
            return error
        }
        return nil
    }

    /// Checks an operation of a batch: the API-layer rules, then the size limit (etcd checks the
    /// size after the API layer accepted the request).
    public static func check(_ operation: WriteOperation, maxTxnOps: Int, maxRequestBytes: Int) -> MVCCError? {
        let error: MVCCError?
        switch operation {
        case .put(let put): error = check(put)
        case .deleteRange(let delete): error = check(delete)
        case .txn(let txn): error = check(txn, maxTxnOps: maxTxnOps)
        case .compact, .leaseGrant, .leaseRevoke: error = nil
        }
        if let error { return error }
        if RequestSize.of(operation) > maxRequestBytes { return .requestTooLarge }
        return nil
    }

    static func checkTxnRequest(_ request: TxnRequest, maxTxnOps: Int) -> MVCCError? {
        let opCount = max(request.compare.count, request.success.count, request.failure.count)
        if opCount > maxTxnOps { return .tooManyOperations }
        if request.compare.contains(where: { $0.key.isEmpty }) { return .emptyKey }
        for op in request.success + request.failure {
            let error: MVCCError?
            switch op {
            case .range(let range): error = check(range)
            case .put(let put): error = check(put)
            case .deleteRange(let delete): error = check(delete)
            case .txn(let nested): error = checkTxnRequest(nested, maxTxnOps: maxTxnOps - opCount)
            }
            if let error { return error }
        }
        return nil
    }

    /// A deleted interval [begin, end); `end == nil` is unbounded.
    struct Interval {
        var begin: [UInt8]
        var end: [UInt8]?

        func contains(_ key: [UInt8]) -> Bool {
            if key.lexicographicallyPrecedes(begin) { return false }
            guard let end else { return true }
            return key.lexicographicallyPrecedes(end)
        }
    }

    static func interval(_ delete: DeleteRangeRequest) -> Interval {
        switch RangeEnd(delete.rangeEnd) {
        case .single: return Interval(begin: delete.key, end: delete.key + [0])
        // etcd 3.4 builds this interval with the literal end "\x00", which makes a from-key delete
        // conflict with nothing, so a txn could put a key it also deletes. We treat the delete as
        // reaching the end of the keyspace, which is what it does when applied.
        case .unbounded: return Interval(begin: delete.key, end: nil)
        case .before(let end): return Interval(begin: delete.key, end: end)
        }
    }

    /// etcd's `checkIntervals`: a key may be put once per list (then/else of one nested txn may
    /// both put it) and never inside a range deleted at this level or in a nested list.
    static func checkIntervals(_ ops: [RequestOp]) throws(MVCCError) -> (puts: Set<[UInt8]>, dels: [Interval]) {
        var dels: [Interval] = []
        for op in ops {
            if case .deleteRange(let delete) = op { dels.append(interval(delete)) }
        }
        var puts = Set<[UInt8]>()
        for op in ops {
            guard case .txn(let nested) = op else { continue }
            let (putsThen, delsThen) = try checkIntervals(nested.success)
            let (putsElse, delsElse) = try checkIntervals(nested.failure)
            for key in putsThen {
                if puts.contains(key) || dels.contains(where: { $0.contains(key) }) { throw .duplicateKey }
                puts.insert(key)
            }
            for key in putsElse {
                if puts.contains(key) && !putsThen.contains(key) { throw .duplicateKey }
                if dels.contains(where: { $0.contains(key) }) { throw .duplicateKey }
                puts.insert(key)
            }
            dels += delsThen
            dels += delsElse
        }
        for op in ops {
            guard case .put(let put) = op else { continue }
            if puts.contains(put.key) || dels.contains(where: { $0.contains(put.key) }) { throw .duplicateKey }
            puts.insert(put.key)
        }
        return (puts, dels)
    }
}

/// Protobuf-encoded sizes of requests, for the request size limit.
enum RequestSize {
    static func bytes(_ n: Int) -> Int { n == 0 ? 0 : 1 + varintSize(UInt64(n)) + n }
    static func int(_ v: Int64) -> Int { v == 0 ? 0 : 1 + varintSize(UInt64(bitPattern: v)) }
    static func flag(_ b: Bool) -> Int { b ? 2 : 0 }
    static func message(_ n: Int) -> Int { 1 + varintSize(UInt64(n)) + n }

    static func of(_ operation: WriteOperation) -> Int {
        switch operation {
        case .put(let put): return of(put)
        case .deleteRange(let delete): return of(delete)
        case .txn(let txn): return of(txn)
        case .compact, .leaseGrant, .leaseRevoke: return 24
        }
    }

    static func of(_ put: PutRequest) -> Int {
        bytes(put.key.count) + bytes(put.value.count) + int(put.lease) + flag(put.prevKV) + flag(put.ignoreValue)
            + flag(put.ignoreLease)
    }

    static func of(_ delete: DeleteRangeRequest) -> Int {
        bytes(delete.key.count) + bytes(delete.rangeEnd.count) + flag(delete.prevKV)
    }

    static func of(_ range: RangeRequest) -> Int {
        bytes(range.key.count) + bytes(range.rangeEnd.count) + int(range.limit) + int(range.revision) + 2 + 2
            + flag(range.serializable) + flag(range.keysOnly) + flag(range.countOnly) + int(range.minModRevision)
            + int(range.maxModRevision) + int(range.minCreateRevision) + int(range.maxCreateRevision)
    }

    static func of(_ compare: Compare) -> Int {
        var n = 4 + bytes(compare.key.count) + bytes(compare.rangeEnd.count)
        switch compare.target {
        case .value(let v): n += bytes(v.count)
        case .version(let v), .createRevision(let v), .modRevision(let v), .lease(let v): n += int(v)
        }
        return n
    }

    static func of(_ op: RequestOp) -> Int {
        switch op {
        case .range(let r): return message(of(r))
        case .put(let p): return message(of(p))
        case .deleteRange(let d): return message(of(d))
        case .txn(let t): return message(of(t))
        }
    }

    static func of(_ txn: TxnRequest) -> Int {
        txn.compare.reduce(0) { $0 + message(of($1)) } + (txn.success + txn.failure).reduce(0) { $0 + message(of($1)) }
    }
}
