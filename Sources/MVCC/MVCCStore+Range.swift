import LMDB

extension MVCCStore {
    /// Serves a range read from the last committed state (a serializable read in etcd's terms),
    /// concurrently with writers.
    public func range(_ request: RangeRequest) throws(MVCCError) -> RangeResponse {
        if request.key.isEmpty { throw .emptyKey }
        return try reading { txn in
            let state = try Self.readState(txn, dbs)
            return try Self.range(
                txn, dbs, request, currentRevision: state.currentRevision,
                compactRevision: state.compactRevision)
        }
    }

    /// etcd's `applierV3backend.Range` over `storeTxnRead.rangeKeys`, at `currentRevision` (which
    /// inside a txn includes the txn's own writes).
    static func range<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, _ request: RangeRequest, currentRevision: Int64,
        compactRevision: Int64
    ) throws -> RangeResponse {
        // rangeKeys: future first, then <= 0 means current, then compacted (== compact is readable).
        var atRevision = request.revision
        if atRevision > currentRevision { throw MVCCError.futureRevision }
        if atRevision <= 0 { atRevision = currentRevision }
        if atRevision < compactRevision { throw MVCCError.compacted }

        // Collect every live key of the range at that revision: `count` is taken before limit and
        // filters (etcd quirk, spec 8.1).
        var found: [Revision] = []
        let end = RangeEnd(request.rangeEnd)
        try KeyIndex.scan(txn, dbs.index, from: request.key, end: end) { _, entry in
            if entry.latest.main <= atRevision {
                if !entry.tombstone { found.append(entry.latest) }
            } else if let revision = try revision(txn, dbs, of: entry, atRevision: atRevision) {
                found.append(revision)
            }
            return true
        }
        let count = Int64(found.count)
        if request.countOnly || found.isEmpty {
            return RangeResponse(revision: currentRevision, count: count)
        }

        // Sorting or filtering fetches everything; otherwise limit + 1 keys in key order. With
        // sort order NONE and a non-key target only those limit + 1 are then sorted (spec 8.36).
        let fetchAll =
            request.sortOrder != .none || request.minModRevision != 0 || request.maxModRevision != 0
            || request.minCreateRevision != 0 || request.maxCreateRevision != 0
        var fetchLimit = fetchAll ? 0 : request.limit
        if fetchLimit > 0 { fetchLimit &+= 1 }  // Go wraps too; a wrapped limit means "all"
        let take = fetchLimit <= 0 || fetchLimit > count ? found.count : Int(fetchLimit)
        let skipValue = request.keysOnly && request.sortTarget != .value
        var kvs: [KeyValue] = []
        kvs.reserveCapacity(take)
        for revision in found[0..<take] {
            guard let record = try record(txn, dbs, at: revision, skipValue: skipValue) else {
                throw MVCCError.corrupt("missing revision \(revision)")
            }
            kvs.append(record.kv)
        }

        if request.maxModRevision != 0 { kvs.removeAll { $0.modRevision > request.maxModRevision } }
        if request.minModRevision != 0 { kvs.removeAll { $0.modRevision < request.minModRevision } }
        if request.maxCreateRevision != 0 { kvs.removeAll { $0.createRevision > request.maxCreateRevision } }
        if request.minCreateRevision != 0 { kvs.removeAll { $0.createRevision < request.minCreateRevision } }

        var order = request.sortOrder
        if request.sortTarget != .key && order == .none { order = .ascend }
        if order != .none {
            kvs = sorted(kvs, by: request.sortTarget, descending: order == .descend)
        }

        var more = false
        if request.limit > 0 && kvs.count > request.limit {
            kvs.removeSubrange(Int(request.limit)...)
            more = true
        }
        if request.keysOnly {
            for i in kvs.indices { kvs[i].value = [] }
        }
        return RangeResponse(revision: currentRevision, kvs: kvs, more: more, count: count)
    }

    /// Sorts by `target`. etcd uses Go's unstable sort, so tie order is unspecified there; we break
    /// ties by key (ascending) so results are deterministic.
    static func sorted(_ kvs: [KeyValue], by target: RangeRequest.SortTarget, descending: Bool) -> [KeyValue] {
        func primary(_ a: KeyValue, _ b: KeyValue) -> Int {
            switch target {
            case .key: return compare(a.key, b.key)
            case .value: return compare(a.value, b.value)
            case .version: return a.version < b.version ? -1 : (a.version == b.version ? 0 : 1)
            case .create:
                return a.createRevision < b.createRevision ? -1 : (a.createRevision == b.createRevision ? 0 : 1)
            case .mod: return a.modRevision < b.modRevision ? -1 : (a.modRevision == b.modRevision ? 0 : 1)
            }
        }
        return kvs.sorted { a, b in
            let c = primary(a, b)
            if c != 0 { return descending ? c > 0 : c < 0 }
            return a.key.lexicographicallyPrecedes(b.key)
        }
    }

    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a == b { return 0 }
        return a.lexicographicallyPrecedes(b) ? -1 : 1
    }
}
