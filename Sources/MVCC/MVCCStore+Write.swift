import LMDB

extension MVCCStore {
    /// Writes a new revision of `key` (etcd's `storeTxnWrite.put`): create revision kept from the
    /// live incarnation, version + 1, lease moved from the old lease to the new one.
    static func put(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, _ context: inout WriteContext, key: [UInt8],
        value: [UInt8], lease: Int64
    ) throws {
        let revision = Revision(main: context.writeRevision, sub: Int64(context.events.count))
        let entry = try KeyIndex.get(txn, dbs.index, key: key)
        var previous: KeyValue? = nil
        if let entry, !entry.tombstone {
            guard let record = try record(txn, dbs, at: entry.latest) else {
                throw MVCCError.corrupt("missing revision \(entry.latest)")
            }
            previous = record.kv
        }
        let kv = KeyValue(
            key: key, createRevision: previous?.createRevision ?? revision.main, modRevision: revision.main,
            version: (previous?.version ?? 0) + 1, value: value, lease: lease)
        try txn.put(
            dbs.rev, key: revision.bytes,
            value: encodeRecord(tombstone: false, previous: entry?.latest, kv: kv))
        try KeyIndex.set(txn, dbs.index, key: key, entry: IndexEntry(latest: revision, tombstone: false))
        if let previous, let entry, previous.lease != 0 {
            try txn.delete(dbs.leaseKeys, key: leaseKey(previous.lease, entry.latest))
        }
        if lease != 0 {
            try txn.put(dbs.leaseKeys, key: leaseKey(lease, revision), value: [])
        }
        context.events.append(Event(kind: .put, kv: kv, prevKV: previous))
    }

    /// Deletes every live key in the range (etcd's `storeTxnWrite.deleteRange`): one tombstone per
    /// key, in key order, each at its own sub revision. Returns the deleted kvs.
    static func deleteRange(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, _ context: inout WriteContext, key: [UInt8],
        rangeEnd: [UInt8]
    ) throws -> [KeyValue] {
        var live: [(key: [UInt8], entry: IndexEntry)] = []
        try KeyIndex.scan(txn, dbs.index, from: key, end: RangeEnd(rangeEnd)) { key, entry in
            if !entry.tombstone { live.append((key, entry)) }
            return true
        }
        var deleted: [KeyValue] = []
        for (key, entry) in live {
            guard let record = try record(txn, dbs, at: entry.latest) else {
                throw MVCCError.corrupt("missing revision \(entry.latest)")
            }
            let revision = Revision(main: context.writeRevision, sub: Int64(context.events.count))
            let tombstone = KeyValue(key: key, modRevision: revision.main)
            try txn.put(
                dbs.rev, key: revision.bytes,
                value: encodeRecord(tombstone: true, previous: entry.latest, kv: tombstone))
            try KeyIndex.set(txn, dbs.index, key: key, entry: IndexEntry(latest: revision, tombstone: true))
            if record.kv.lease != 0 {
                try txn.delete(dbs.leaseKeys, key: leaseKey(record.kv.lease, entry.latest))
            }
            context.events.append(Event(kind: .delete, kv: tombstone, prevKV: record.kv))
            deleted.append(record.kv)
        }
        return deleted
    }

    /// Key of a lease attachment: lease ID (8, big-endian) + the revision of the key's latest put.
    /// Revisions are fixed-size, so attachments of keys of any length fit LMDB's key limit.
    static func leaseKey(_ lease: Int64, _ revision: Revision) -> [UInt8] {
        leaseID(lease) + revision.bytes
    }

    static func leaseID(_ lease: Int64) -> [UInt8] {
        withUnsafeBytes(of: UInt64(bitPattern: lease).bigEndian, Array.init)
    }

    static func leaseExists<T: ReadableTransaction & ~Copyable>(
        _ txn: borrowing T, _ dbs: Databases, _ id: Int64
    )
        throws -> Bool
    {
        try txn.withValue(dbs.lease, key: leaseID(id)) { $0 != nil }
    }

    // MARK: Put and DeleteRange

    /// etcd's `applierV3backend.Put` for a standalone put (a txn has its checks done up front).
    static func applyPut(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, _ context: inout WriteContext, _ request: PutRequest,
        standalone: Bool
    ) throws -> PutResponse {
        if standalone && request.lease != 0 {
            if try !leaseExists(txn, dbs, request.lease) { throw MVCCError.leaseNotFound }
        }
        var previous: KeyValue? = nil
        if request.ignoreValue || request.ignoreLease || request.prevKV {
            previous = try latest(txn, dbs, key: request.key)?.kv
        }
        if (request.ignoreValue || request.ignoreLease) && previous == nil {
            throw MVCCError.keyNotFound
        }
        let value = request.ignoreValue ? previous!.value : request.value
        let lease = request.ignoreLease ? previous!.lease : request.lease
        try put(txn, dbs, &context, key: request.key, value: value, lease: lease)
        return PutResponse(revision: context.writeRevision, prevKV: request.prevKV ? previous : nil)
    }

    /// etcd's `applierV3backend.DeleteRange`.
    static func applyDeleteRange(
        _ txn: borrowing WriteTransaction, _ dbs: Databases, _ context: inout WriteContext,
        _ request: DeleteRangeRequest
    ) throws -> DeleteRangeResponse {
        let deleted = try deleteRange(txn, dbs, &context, key: request.key, rangeEnd: request.rangeEnd)
        // storeTxnWrite.DeleteRange: the new revision if this or an earlier op of the txn changed
        // something, else the unchanged one.
        return DeleteRangeResponse(
            revision: context.readRevision, deleted: Int64(deleted.count), prevKVs: request.prevKV ? deleted : [])
    }
}
