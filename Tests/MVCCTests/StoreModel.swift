@testable import MVCC

/// A plain in-memory model of etcd 3.4's mvcc store and applier, written from the spec: full
/// history per key, no persistence, no index. The model-based test checks the LMDB store against it.
struct StoreModel {
    var history: [[UInt8]: [(revision: Revision, kv: KeyValue?)]] = [:]
    var current: Int64 = 1
    var compact: Int64 = -1
    var applied: UInt64 = 0
    var leases: [Int64: Int64] = [:]
    let maxTxnOps: Int

    init(maxTxnOps: Int) { self.maxTxnOps = maxTxnOps }

    // MARK: Reading

    func kv(_ key: [UInt8], at revision: Int64) -> KeyValue? {
        history[key]?.last(where: { $0.revision.main <= revision })?.kv ?? nil
    }

    static func inRange(_ k: [UInt8], _ key: [UInt8], _ end: [UInt8]) -> Bool {
        if end.isEmpty { return k == key }
        if k.lexicographicallyPrecedes(key) { return false }
        if end == [0] { return true }
        return k.lexicographicallyPrecedes(end)
    }

    func live(_ key: [UInt8], _ end: [UInt8], at revision: Int64) -> [KeyValue] {
        history.keys.filter { Self.inRange($0, key, end) }.sorted { $0.lexicographicallyPrecedes($1) }
            .compactMap { kv($0, at: revision) }
    }

    func range(_ r: RangeRequest, current cur: Int64) -> Result<RangeResponse, MVCCError> {
        var at = r.revision
        if at > cur { return .failure(.futureRevision) }
        if at <= 0 { at = cur }
        if at < compact { return .failure(.compacted) }
        let all = live(r.key, r.rangeEnd, at: at)
        if r.countOnly { return .success(RangeResponse(revision: cur, count: Int64(all.count))) }
        let sorting = r.sortOrder != .none
        let filtering =
            r.minModRevision != 0 || r.maxModRevision != 0 || r.minCreateRevision != 0
            || r.maxCreateRevision != 0
        var kvs = all
        if !sorting && !filtering && r.limit > 0 { kvs = Array(kvs.prefix(Int(r.limit) + 1)) }
        kvs = kvs.filter { kv in
            (r.maxModRevision == 0 || kv.modRevision <= r.maxModRevision)
                && (r.minModRevision == 0 || kv.modRevision >= r.minModRevision)
                && (r.maxCreateRevision == 0 || kv.createRevision <= r.maxCreateRevision)
                && (r.minCreateRevision == 0 || kv.createRevision >= r.minCreateRevision)
        }
        let order: RangeRequest.SortOrder = r.sortTarget != .key && r.sortOrder == .none ? .ascend : r.sortOrder
        if order != .none {
            func field(_ kv: KeyValue) -> [UInt8] {
                func big(_ v: Int64) -> [UInt8] {
                    withUnsafeBytes(of: UInt64(bitPattern: v ^ Int64.min).bigEndian, Array.init)
                }
                switch r.sortTarget {
                case .key: return kv.key
                case .value: return kv.value
                case .version: return big(kv.version)
                case .create: return big(kv.createRevision)
                case .mod: return big(kv.modRevision)
                }
            }
            kvs.sort { a, b in
                let fa = field(a)
                let fb = field(b)
                if fa != fb {
                    return order == .ascend ? fa.lexicographicallyPrecedes(fb) : fb.lexicographicallyPrecedes(fa)
                }
                return a.key.lexicographicallyPrecedes(b.key)
            }
        }
        var more = false
        if r.limit > 0 && kvs.count > r.limit {
            kvs = Array(kvs.prefix(Int(r.limit)))
            more = true
        }
        if r.keysOnly {
            kvs = kvs.map {
                var kv = $0; kv.value = []; return kv
            }
        }
        return .success(RangeResponse(revision: cur, kvs: kvs, more: more, count: Int64(all.count)))
    }

    // MARK: Writing

    struct Context {
        let begin: Int64
        var events: [Event] = []
        var readRevision: Int64 { events.isEmpty ? begin : begin + 1 }
    }

    mutating func put(_ c: inout Context, _ key: [UInt8], _ value: [UInt8], _ lease: Int64) {
        let rev = Revision(main: c.begin + 1, sub: Int64(c.events.count))
        let prev = kv(key, at: c.readRevision)
        let kv = KeyValue(
            key: key, createRevision: prev?.createRevision ?? rev.main, modRevision: rev.main,
            version: (prev?.version ?? 0) + 1, value: value, lease: lease)
        history[key, default: []].append((rev, kv))
        c.events.append(Event(kind: .put, kv: kv, prevKV: prev))
    }

    mutating func delete(_ c: inout Context, _ key: [UInt8], _ end: [UInt8]) -> [KeyValue] {
        let victims = live(key, end, at: c.readRevision)
        for prev in victims {
            let rev = Revision(main: c.begin + 1, sub: Int64(c.events.count))
            history[prev.key, default: []].append((rev, nil))
            c.events.append(Event(kind: .delete, kv: KeyValue(key: prev.key, modRevision: rev.main), prevKV: prev))
        }
        return victims
    }

    mutating func applyPut(_ c: inout Context, _ p: PutRequest, standalone: Bool) -> Result<PutResponse, MVCCError> {
        if standalone && p.lease != 0 && leases[p.lease] == nil { return .failure(.leaseNotFound) }
        let prev = kv(p.key, at: c.readRevision)
        if (p.ignoreValue || p.ignoreLease) && prev == nil { return .failure(.keyNotFound) }
        put(&c, p.key, p.ignoreValue ? prev!.value : p.value, p.ignoreLease ? prev!.lease : p.lease)
        return .success(PutResponse(revision: c.begin + 1, prevKV: p.prevKV ? prev : nil))
    }

    func holds(_ cmp: Compare) -> Bool {
        let kvs = live(cmp.key, cmp.rangeEnd, at: current)
        if kvs.isEmpty, case .value = cmp.target { return false }
        func check(_ kv: KeyValue) -> Bool {
            let o: Int
            switch cmp.target {
            case .version(let v): o = kv.version == v ? 0 : (kv.version < v ? -1 : 1)
            case .createRevision(let v): o = kv.createRevision == v ? 0 : (kv.createRevision < v ? -1 : 1)
            case .modRevision(let v): o = kv.modRevision == v ? 0 : (kv.modRevision < v ? -1 : 1)
            case .lease(let v): o = kv.lease == v ? 0 : (kv.lease < v ? -1 : 1)
            case .value(let v): o = kv.value == v ? 0 : (kv.value.lexicographicallyPrecedes(v) ? -1 : 1)
            }
            switch cmp.result {
            case .equal: return o == 0
            case .notEqual: return o != 0
            case .greater: return o > 0
            case .less: return o < 0
            }
        }
        return kvs.isEmpty ? check(KeyValue(key: [])) : kvs.allSatisfy(check)
    }

    /// The chosen branch of a txn and of its nested txns, evaluated before any op runs.
    indirect enum Plan {
        case txn(succeeded: Bool, ops: [(RequestOp, Plan?)])
    }

    func plan(_ t: TxnRequest) -> Plan {
        let ok = t.compare.allSatisfy(holds)
        let ops = (ok ? t.success : t.failure).map { op -> (RequestOp, Plan?) in
            if case .txn(let nested) = op { return (op, plan(nested)) }
            return (op, nil)
        }
        return .txn(succeeded: ok, ops: ops)
    }

    func flatOps(_ p: Plan) -> [RequestOp] {
        guard case .txn(_, let ops) = p else { return [] }
        return ops.flatMap { op, nested in nested.map(flatOps) ?? [op] }
    }

    static func hasWrites(_ t: TxnRequest) -> Bool {
        (t.success + t.failure).contains { op in
            switch op {
            case .range: return false
            case .put, .deleteRange: return true
            case .txn(let n): return hasWrites(n)
            }
        }
    }

    mutating func execute(_ c: inout Context, _ p: Plan) -> TxnResponse {
        guard case .txn(let ok, let ops) = p else { fatalError() }
        var responses: [ResponseOp] = []
        for (op, nested) in ops {
            switch op {
            case .range(let r):
                responses.append(.range(try! range(r, current: c.readRevision).get()))
            case .put(let put):
                responses.append(.put(try! applyPut(&c, put, standalone: false).get()))
            case .deleteRange(let d):
                let gone = delete(&c, d.key, d.rangeEnd)
                responses.append(
                    .deleteRange(
                        DeleteRangeResponse(
                            revision: c.readRevision, deleted: Int64(gone.count), prevKVs: d.prevKV ? gone : [])))
            case .txn:
                responses.append(.txn(execute(&c, nested!)))
            }
        }
        return TxnResponse(revision: 0, succeeded: ok, responses: responses)
    }

    static func validateTxn(_ t: TxnRequest, _ maxOps: Int) -> MVCCError? {
        let n = max(t.compare.count, t.success.count, t.failure.count)
        if n > maxOps { return .tooManyOperations }
        if t.compare.contains(where: { $0.key.isEmpty }) { return .emptyKey }
        for op in t.success + t.failure {
            switch op {
            case .range(let r): if r.key.isEmpty { return .emptyKey }
            case .put(let p): if let e = validatePut(p) { return e }
            case .deleteRange(let d): if d.key.isEmpty { return .emptyKey }
            case .txn(let nested): if let e = validateTxn(nested, maxOps - n) { return e }
            }
        }
        return nil
    }

    static func validatePut(_ p: PutRequest) -> MVCCError? {
        if p.key.isEmpty { return .emptyKey }
        if p.ignoreValue && !p.value.isEmpty { return .valueProvided }
        if p.ignoreLease && p.lease != 0 { return .leaseProvided }
        return nil
    }

    mutating func apply(_ op: WriteOperation) -> OperationResult {
        var c = Context(begin: current)
        let response: Result<OperationResponse, MVCCError>
        switch op {
        case .put(let p):
            if let e = Self.validatePut(p) { return OperationResult(response: .failure(e)) }
            response = applyPut(&c, p, standalone: true).map { .put($0) }
        case .deleteRange(let d):
            if d.key.isEmpty { return OperationResult(response: .failure(.emptyKey)) }
            let gone = delete(&c, d.key, d.rangeEnd)
            response = .success(
                .deleteRange(
                    DeleteRangeResponse(
                        revision: c.readRevision, deleted: Int64(gone.count), prevKVs: d.prevKV ? gone : [])))
        case .txn(let t):
            if let e = Self.validateTxn(t, maxTxnOps) { return OperationResult(response: .failure(e)) }
            do {
                _ = try RequestValidation.checkIntervals(t.success)
                _ = try RequestValidation.checkIntervals(t.failure)
            } catch {
                return OperationResult(response: .failure(error))
            }
            let p = plan(t)
            let ops = flatOps(p)
            if Self.hasWrites(t) {
                for case .put(let put) in ops {
                    if (put.ignoreValue || put.ignoreLease) && kv(put.key, at: current) == nil {
                        return OperationResult(response: .failure(.keyNotFound))
                    }
                    if put.lease != 0 && leases[put.lease] == nil {
                        return OperationResult(response: .failure(.leaseNotFound))
                    }
                }
            }
            for case .range(let r) in ops where r.revision != 0 {
                if r.revision > current { return OperationResult(response: .failure(.futureRevision)) }
                if r.revision < compact { return OperationResult(response: .failure(.compacted)) }
            }
            var resp = execute(&c, p)
            resp.revision = c.readRevision
            response = .success(.txn(resp))
        case .compact(let r):
            if r.revision <= compact { return OperationResult(response: .failure(.compacted)) }
            if r.revision > current { return OperationResult(response: .failure(.futureRevision)) }
            compact = r.revision
            response = .success(.compact(CompactionResponse(revision: current)))
        case .leaseGrant(let g):
            if g.id == 0 { return OperationResult(response: .failure(.leaseNotFound)) }
            if g.ttl > 9_000_000_000 { return OperationResult(response: .failure(.leaseTTLTooLarge)) }
            if leases[g.id] != nil { return OperationResult(response: .failure(.leaseExists)) }
            leases[g.id] = g.ttl
            response = .success(.leaseGrant(revision: current))
        case .leaseRevoke(let r):
            if leases[r.id] == nil { return OperationResult(response: .failure(.leaseNotFound)) }
            for key in attached(r.id) { _ = delete(&c, key, []) }
            leases[r.id] = nil
            response = .success(.leaseRevoke(revision: c.readRevision))
        }
        if case .success = response {
            current = c.readRevision
            return OperationResult(response: response, events: c.events)
        }
        // A failed op wrote nothing: undo anything the model recorded (only ignore_* failures,
        // which fail before writing, can reach here, so there is nothing to undo).
        return OperationResult(response: response)
    }

    func attached(_ lease: Int64) -> [[UInt8]] {
        live([0], [0], at: current).filter { $0.lease == lease }.map(\.key)
    }
}
