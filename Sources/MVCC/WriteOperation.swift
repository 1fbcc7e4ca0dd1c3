/// One mutating request of an apply batch.
public enum WriteOperation: Hashable, Sendable {
    /// A put.
    case put(PutRequest)
    /// A delete.
    case deleteRange(DeleteRangeRequest)
    /// A txn (possibly read-only).
    case txn(TxnRequest)
    /// A compaction.
    case compact(CompactionRequest)
    /// A lease grant.
    case leaseGrant(LeaseGrantRequest)
    /// A lease revoke.
    case leaseRevoke(LeaseRevokeRequest)
}

/// The successful response to one `WriteOperation`, of the same kind.
public enum OperationResponse: Hashable, Sendable {
    /// Response to a put.
    case put(PutResponse)
    /// Response to a delete.
    case deleteRange(DeleteRangeResponse)
    /// Response to a txn.
    case txn(TxnResponse)
    /// Response to a compaction.
    case compact(CompactionResponse)
    /// Response to a lease grant: the current revision.
    case leaseGrant(revision: Int64)
    /// Response to a lease revoke: the revision after deleting the attached keys.
    case leaseRevoke(revision: Int64)
}

/// What one operation of a batch did.
public struct OperationResult: Hashable, Sendable {
    /// The response, or the error that rejected the operation (which then wrote nothing).
    public var response: Result<OperationResponse, MVCCError>
    /// The changes it made, in order, for watchers (empty on error).
    public var events: [Event]

    /// Creates a result.
    public init(response: Result<OperationResponse, MVCCError>, events: [Event] = []) {
        self.response = response
        self.events = events
    }
}

/// What an applied batch did.
public struct BatchResult: Hashable, Sendable {
    /// One result per operation, in order.
    public var results: [OperationResult]
    /// The store revision after the batch.
    public var revision: Int64
    /// The applied index recorded with the batch.
    public var appliedIndex: UInt64

    /// Creates a batch result.
    public init(results: [OperationResult], revision: Int64, appliedIndex: UInt64) {
        self.results = results
        self.revision = revision
        self.appliedIndex = appliedIndex
    }
}
