import EtcdAPI
import Foundation
import MVCC

// The mapping between etcd's wire messages (EtcdAPI) and the store's request and response types
// (MVCC). The Raft log carries the wire form (`InternalRequest`); the applier and the local API
// use the store's form; the gRPC layer reuses both directions. Field by field, as etcd's
// etcdserverpb <-> mvcc conversion in etcdserver/apply.go.

extension MVCC.KeyValue {
    /// The store's kv from etcd's `mvccpb.KeyValue`.
    package init(_ pb: Mvccpb_KeyValue) {
        self.init(
            key: Array(pb.key), createRevision: pb.createRevision, modRevision: pb.modRevision,
            version: pb.version, value: Array(pb.value), lease: pb.lease)
    }

    /// etcd's `mvccpb.KeyValue`.
    package var protobuf: Mvccpb_KeyValue {
        var pb = Mvccpb_KeyValue()
        pb.key = Data(key)
        pb.createRevision = createRevision
        pb.modRevision = modRevision
        pb.version = version
        pb.value = Data(value)
        pb.lease = lease
        return pb
    }
}

extension MVCC.RangeRequest {
    /// The store's range from etcd's request. Unknown enum values (a newer client) read as the
    /// defaults, as etcd's Go enums do.
    package init(_ pb: Etcdserverpb_RangeRequest) {
        let order: SortOrder
        switch pb.sortOrder {
        case .ascend: order = .ascend
        case .descend: order = .descend
        default: order = .none
        }
        let target: SortTarget
        switch pb.sortTarget {
        case .version: target = .version
        case .create: target = .create
        case .mod: target = .mod
        case .value: target = .value
        default: target = .key
        }
        self.init(
            key: Array(pb.key), rangeEnd: Array(pb.rangeEnd), limit: pb.limit, revision: pb.revision,
            sortOrder: order, sortTarget: target, serializable: pb.serializable, keysOnly: pb.keysOnly,
            countOnly: pb.countOnly, minModRevision: pb.minModRevision, maxModRevision: pb.maxModRevision,
            minCreateRevision: pb.minCreateRevision, maxCreateRevision: pb.maxCreateRevision)
    }

    /// etcd's request.
    package var protobuf: Etcdserverpb_RangeRequest {
        var pb = Etcdserverpb_RangeRequest()
        pb.key = Data(key)
        pb.rangeEnd = Data(rangeEnd)
        pb.limit = limit
        pb.revision = revision
        switch sortOrder {
        case .none: pb.sortOrder = .none
        case .ascend: pb.sortOrder = .ascend
        case .descend: pb.sortOrder = .descend
        }
        switch sortTarget {
        case .key: pb.sortTarget = .key
        case .version: pb.sortTarget = .version
        case .create: pb.sortTarget = .create
        case .mod: pb.sortTarget = .mod
        case .value: pb.sortTarget = .value
        }
        pb.serializable = serializable
        pb.keysOnly = keysOnly
        pb.countOnly = countOnly
        pb.minModRevision = minModRevision
        pb.maxModRevision = maxModRevision
        pb.minCreateRevision = minCreateRevision
        pb.maxCreateRevision = maxCreateRevision
        return pb
    }
}

extension MVCC.RangeResponse {
    /// etcd's response with `header`.
    package func protobuf(header: Etcdserverpb_ResponseHeader) -> Etcdserverpb_RangeResponse {
        var pb = Etcdserverpb_RangeResponse()
        pb.header = header
        pb.header.revision = revision
        pb.kvs = kvs.map(\.protobuf)
        pb.more = more
        pb.count = count
        return pb
    }

    /// The store's form of etcd's response.
    package init(_ pb: Etcdserverpb_RangeResponse) {
        self.init(revision: pb.header.revision, kvs: pb.kvs.map(KeyValue.init), more: pb.more, count: pb.count)
    }
}

extension MVCC.PutRequest {
    /// The store's put from etcd's request.
    package init(_ pb: Etcdserverpb_PutRequest) {
        self.init(
            key: Array(pb.key), value: Array(pb.value), lease: pb.lease, prevKV: pb.prevKv,
            ignoreValue: pb.ignoreValue, ignoreLease: pb.ignoreLease)
    }

    /// etcd's request.
    package var protobuf: Etcdserverpb_PutRequest {
        var pb = Etcdserverpb_PutRequest()
        pb.key = Data(key)
        pb.value = Data(value)
        pb.lease = lease
        pb.prevKv = prevKV
        pb.ignoreValue = ignoreValue
        pb.ignoreLease = ignoreLease
        return pb
    }
}

extension MVCC.PutResponse {
    /// etcd's response with `header`.
    package func protobuf(header: Etcdserverpb_ResponseHeader) -> Etcdserverpb_PutResponse {
        var pb = Etcdserverpb_PutResponse()
        pb.header = header
        pb.header.revision = revision
        if let prevKV { pb.prevKv = prevKV.protobuf }
        return pb
    }

    /// The store's form of etcd's response.
    package init(_ pb: Etcdserverpb_PutResponse) {
        self.init(revision: pb.header.revision, prevKV: pb.hasPrevKv ? KeyValue(pb.prevKv) : nil)
    }
}

extension MVCC.DeleteRangeRequest {
    /// The store's delete from etcd's request.
    package init(_ pb: Etcdserverpb_DeleteRangeRequest) {
        self.init(key: Array(pb.key), rangeEnd: Array(pb.rangeEnd), prevKV: pb.prevKv)
    }

    /// etcd's request.
    package var protobuf: Etcdserverpb_DeleteRangeRequest {
        var pb = Etcdserverpb_DeleteRangeRequest()
        pb.key = Data(key)
        pb.rangeEnd = Data(rangeEnd)
        pb.prevKv = prevKV
        return pb
    }
}

extension MVCC.DeleteRangeResponse {
    /// etcd's response with `header`.
    package func protobuf(header: Etcdserverpb_ResponseHeader) -> Etcdserverpb_DeleteRangeResponse {
        var pb = Etcdserverpb_DeleteRangeResponse()
        pb.header = header
        pb.header.revision = revision
        pb.deleted = deleted
        pb.prevKvs = prevKVs.map(\.protobuf)
        return pb
    }

    /// The store's form of etcd's response.
    package init(_ pb: Etcdserverpb_DeleteRangeResponse) {
        self.init(revision: pb.header.revision, deleted: pb.deleted, prevKVs: pb.prevKvs.map(KeyValue.init))
    }
}

extension MVCC.Compare {
    /// The store's compare from etcd's. The operand is read through `target` (a union of another
    /// kind reads as that kind's zero value, as etcd's generated getters return it).
    package init(_ pb: Etcdserverpb_Compare) {
        let target: Target
        switch pb.target {
        case .create: target = .createRevision(pb.createRevision)
        case .mod: target = .modRevision(pb.modRevision)
        case .value: target = .value(Array(pb.value))
        case .lease: target = .lease(pb.lease)
        default: target = .version(pb.version)
        }
        let result: Result
        switch pb.result {
        case .greater: result = .greater
        case .less: result = .less
        case .notEqual: result = .notEqual
        default: result = .equal
        }
        self.init(key: Array(pb.key), rangeEnd: Array(pb.rangeEnd), target: target, result: result)
    }

    /// etcd's compare.
    package var protobuf: Etcdserverpb_Compare {
        var pb = Etcdserverpb_Compare()
        pb.key = Data(key)
        pb.rangeEnd = Data(rangeEnd)
        switch result {
        case .equal: pb.result = .equal
        case .greater: pb.result = .greater
        case .less: pb.result = .less
        case .notEqual: pb.result = .notEqual
        }
        switch target {
        case .version(let v):
            pb.target = .version
            pb.version = v
        case .createRevision(let v):
            pb.target = .create
            pb.createRevision = v
        case .modRevision(let v):
            pb.target = .mod
            pb.modRevision = v
        case .value(let v):
            pb.target = .value
            pb.value = Data(v)
        case .lease(let v):
            pb.target = .lease
            pb.lease = v
        }
        return pb
    }
}

extension MVCC.RequestOp {
    /// The store's op from etcd's; nil for an op with no request set (etcd rejects it as
    /// "key not found" in its checks; the caller decides).
    package init?(_ pb: Etcdserverpb_RequestOp) {
        switch pb.request {
        case .requestRange(let r): self = .range(RangeRequest(r))
        case .requestPut(let r): self = .put(PutRequest(r))
        case .requestDeleteRange(let r): self = .deleteRange(DeleteRangeRequest(r))
        case .requestTxn(let r): self = .txn(TxnRequest(r))
        case nil: return nil
        }
    }

    /// etcd's op.
    package var protobuf: Etcdserverpb_RequestOp {
        var pb = Etcdserverpb_RequestOp()
        switch self {
        case .range(let r): pb.requestRange = r.protobuf
        case .put(let r): pb.requestPut = r.protobuf
        case .deleteRange(let r): pb.requestDeleteRange = r.protobuf
        case .txn(let r): pb.requestTxn = r.protobuf
        }
        return pb
    }
}

extension MVCC.TxnRequest {
    /// The store's txn from etcd's. An op with no request becomes an empty-key range, which the
    /// store rejects with etcd's "key not found"-class validation error instead of dropping it.
    package init(_ pb: Etcdserverpb_TxnRequest) {
        func op(_ o: Etcdserverpb_RequestOp) -> RequestOp { RequestOp(o) ?? .range(RangeRequest(key: [])) }
        self.init(compare: pb.compare.map(Compare.init), success: pb.success.map(op), failure: pb.failure.map(op))
    }

    /// etcd's txn.
    package var protobuf: Etcdserverpb_TxnRequest {
        var pb = Etcdserverpb_TxnRequest()
        pb.compare = compare.map(\.protobuf)
        pb.success = success.map(\.protobuf)
        pb.failure = failure.map(\.protobuf)
        return pb
    }
}

extension MVCC.ResponseOp {
    /// etcd's op response. Nested responses carry an empty header except the revision, as etcd's
    /// txn responses do.
    package func protobuf(header: Etcdserverpb_ResponseHeader) -> Etcdserverpb_ResponseOp {
        var pb = Etcdserverpb_ResponseOp()
        switch self {
        case .range(let r): pb.responseRange = r.protobuf(header: header)
        case .put(let r): pb.responsePut = r.protobuf(header: header)
        case .deleteRange(let r): pb.responseDeleteRange = r.protobuf(header: header)
        case .txn(let r): pb.responseTxn = r.protobuf(header: header)
        }
        return pb
    }

    /// The store's form of etcd's op response; nil when no response is set.
    package init?(_ pb: Etcdserverpb_ResponseOp) {
        switch pb.response {
        case .responseRange(let r): self = .range(RangeResponse(r))
        case .responsePut(let r): self = .put(PutResponse(r))
        case .responseDeleteRange(let r): self = .deleteRange(DeleteRangeResponse(r))
        case .responseTxn(let r): self = .txn(TxnResponse(r))
        case nil: return nil
        }
    }
}

extension MVCC.TxnResponse {
    /// etcd's response with `header`.
    package func protobuf(header: Etcdserverpb_ResponseHeader) -> Etcdserverpb_TxnResponse {
        var pb = Etcdserverpb_TxnResponse()
        pb.header = header
        pb.header.revision = revision
        pb.succeeded = succeeded
        pb.responses = responses.map { $0.protobuf(header: Etcdserverpb_ResponseHeader()) }
        return pb
    }

    /// The store's form of etcd's response.
    package init(_ pb: Etcdserverpb_TxnResponse) {
        self.init(
            revision: pb.header.revision, succeeded: pb.succeeded, responses: pb.responses.compactMap(ResponseOp.init))
    }
}

extension MVCC.CompactionRequest {
    /// The store's compaction from etcd's request.
    package init(_ pb: Etcdserverpb_CompactionRequest) {
        self.init(revision: pb.revision, physical: pb.physical)
    }

    /// etcd's request.
    package var protobuf: Etcdserverpb_CompactionRequest {
        var pb = Etcdserverpb_CompactionRequest()
        pb.revision = revision
        pb.physical = physical
        return pb
    }
}

extension MVCC.CompactionResponse {
    /// etcd's response with `header`.
    package func protobuf(header: Etcdserverpb_ResponseHeader) -> Etcdserverpb_CompactionResponse {
        var pb = Etcdserverpb_CompactionResponse()
        pb.header = header
        pb.header.revision = revision
        return pb
    }

    /// The store's form of etcd's response.
    package init(_ pb: Etcdserverpb_CompactionResponse) {
        self.init(revision: pb.header.revision)
    }
}

extension MVCC.LeaseGrantRequest {
    /// The store's grant from etcd's request (the server has already chosen the ID).
    package init(_ pb: Etcdserverpb_LeaseGrantRequest) {
        self.init(id: pb.id, ttl: pb.ttl)
    }

    /// etcd's request.
    package var protobuf: Etcdserverpb_LeaseGrantRequest {
        var pb = Etcdserverpb_LeaseGrantRequest()
        pb.id = id
        pb.ttl = ttl
        return pb
    }
}

extension MVCC.LeaseRevokeRequest {
    /// The store's revoke from etcd's request.
    package init(_ pb: Etcdserverpb_LeaseRevokeRequest) {
        self.init(id: pb.id)
    }

    /// etcd's request.
    package var protobuf: Etcdserverpb_LeaseRevokeRequest {
        var pb = Etcdserverpb_LeaseRevokeRequest()
        pb.id = id
        return pb
    }
}
