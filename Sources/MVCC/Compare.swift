/// One condition of a txn (etcd's `Compare`), checked against every key in [key, rangeEnd).
public struct Compare: Hashable, Sendable {
    /// The comparison operator.
    public enum Result: Hashable, Sendable {
        /// Stored == operand.
        case equal
        /// Stored > operand.
        case greater
        /// Stored < operand.
        case less
        /// Stored != operand.
        case notEqual
    }

    /// The field compared and the operand. (etcd's separate `target` enum and `target_union`
    /// oneof collapse into one enum here; the API layer maps a mismatched union to the zero operand,
    /// as etcd compares it.)
    public enum Target: Hashable, Sendable {
        /// `version`.
        case version(Int64)
        /// `createRevision`.
        case createRevision(Int64)
        /// `modRevision`.
        case modRevision(Int64)
        /// The value bytes (lexicographic).
        case value([UInt8])
        /// The lease ID.
        case lease(Int64)
    }

    /// The operator.
    public var result: Result
    /// Field and operand.
    public var target: Target
    /// First key (must not be empty).
    public var key: [UInt8]
    /// End of the range, as in `RangeRequest.rangeEnd`; empty for the single key.
    public var rangeEnd: [UInt8]

    /// Creates a compare.
    public init(key: [UInt8], rangeEnd: [UInt8] = [], target: Target, result: Result) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.target = target
        self.result = result
    }
}
