import LMDB

/// Why the store rejected a request; `etcdMessage` is etcd's exact error text.
public enum MVCCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Empty key in a request, txn op or compare.
    case emptyKey
    /// `ignoreValue` with a non-empty value.
    case valueProvided
    /// `ignoreLease` with a lease.
    case leaseProvided
    /// `ignoreValue`/`ignoreLease` on a missing key (etcd also uses this text for an empty txn op).
    case keyNotFound
    /// A txn list (compare, success or failure) longer than `maxTxnOps`.
    case tooManyOperations
    /// Two puts of one key, or a put inside a deleted range, in one txn.
    case duplicateKey
    /// The request exceeds `maxRequestBytes`.
    case requestTooLarge
    /// Read or compaction below the compact revision.
    case compacted
    /// Read or compaction above the current revision.
    case futureRevision
    /// Put or revoke naming a lease that does not exist.
    case leaseNotFound
    /// Grant of an existing lease ID.
    case leaseExists
    /// Grant with a TTL above 9,000,000,000 s.
    case leaseTTLTooLarge
    /// The storage engine failed (not an input error; the batch was not applied).
    case storage(LMDBError)
    /// Stored data could not be decoded.
    case corrupt(String)

    /// etcd's error message, byte for byte (section 4.1 of the API spec).
    public var etcdMessage: String {
        switch self {
        case .emptyKey: return "etcdserver: key is not provided"
        case .valueProvided: return "etcdserver: value is provided"
        case .leaseProvided: return "etcdserver: lease is provided"
        case .keyNotFound: return "etcdserver: key not found"
        case .tooManyOperations: return "etcdserver: too many operations in txn request"
        case .duplicateKey: return "etcdserver: duplicate key given in txn request"
        case .requestTooLarge: return "etcdserver: request is too large"
        case .compacted: return "etcdserver: mvcc: required revision has been compacted"
        case .futureRevision: return "etcdserver: mvcc: required revision is a future revision"
        case .leaseNotFound: return "etcdserver: requested lease not found"
        case .leaseExists: return "etcdserver: lease already exists"
        case .leaseTTLTooLarge: return "etcdserver: too large lease TTL"
        case .storage(let error): return "etcdserver: storage error: \(error)"
        case .corrupt(let what): return "etcdserver: corrupt store: \(what)"
        }
    }

    /// The same as `etcdMessage`.
    public var description: String { etcdMessage }
}
