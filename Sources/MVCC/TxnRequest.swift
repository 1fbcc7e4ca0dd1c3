/// A transaction: compares, then the success or the failure ops (etcd's `TxnRequest`).
public struct TxnRequest: Hashable, Sendable {
    /// Conditions, ANDed; empty is true.
    public var compare: [Compare]
    /// Ops run when every compare holds.
    public var success: [RequestOp]
    /// Ops run otherwise.
    public var failure: [RequestOp]

    /// Creates a txn.
    public init(compare: [Compare] = [], success: [RequestOp] = [], failure: [RequestOp] = []) {
        self.compare = compare
        self.success = success
        self.failure = failure
    }
}

/// One op of a txn (etcd's `RequestOp` oneof).
public indirect enum RequestOp: Hashable, Sendable {
    /// A read; sees earlier writes of the same txn.
    case range(RangeRequest)
    /// A put.
    case put(PutRequest)
    /// A delete.
    case deleteRange(DeleteRangeRequest)
    /// A nested txn.
    case txn(TxnRequest)
}

/// The response to one txn op, of the op's kind (etcd's `ResponseOp`).
public indirect enum ResponseOp: Hashable, Sendable {
    /// Response to a range.
    case range(RangeResponse)
    /// Response to a put.
    case put(PutResponse)
    /// Response to a delete.
    case deleteRange(DeleteRangeResponse)
    /// Response to a nested txn.
    case txn(TxnResponse)
}

/// The result of a txn (etcd's `TxnResponse`).
public struct TxnResponse: Hashable, Sendable {
    /// `header.revision`: the txn's new revision if the executed branch changed anything, else the
    /// current revision; 0 for a nested txn (etcd sends it an empty header).
    public var revision: Int64
    /// Whether the compares held.
    public var succeeded: Bool
    /// One response per op of the executed branch.
    public var responses: [ResponseOp]

    /// Creates a txn response.
    public init(revision: Int64, succeeded: Bool, responses: [ResponseOp] = []) {
        self.revision = revision
        self.succeeded = succeeded
        self.responses = responses
    }
}
