/// A key's state at one revision (etcd's `mvccpb.KeyValue`).
public struct KeyValue: Hashable, Sendable {
    /// The key (arbitrary bytes, compared byte-wise).
    public var key: [UInt8]
    /// The revision of the put that created this incarnation of the key (0 in a delete event).
    public var createRevision: Int64
    /// The revision of the last put (or, in a delete event, of the delete).
    public var modRevision: Int64
    /// Number of puts since creation (1 for a new key; 0 in a delete event).
    public var version: Int64
    /// The value (empty with `keysOnly`).
    public var value: [UInt8]
    /// The attached lease ID, 0 for none.
    public var lease: Int64

    /// Creates a key-value.
    public init(
        key: [UInt8], createRevision: Int64 = 0, modRevision: Int64 = 0, version: Int64 = 0,
        value: [UInt8] = [], lease: Int64 = 0
    ) {
        self.key = key
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.value = value
        self.lease = lease
    }
}

/// A change produced by a write, for watchers (etcd's `mvccpb.Event`).
public struct Event: Hashable, Sendable {
    /// The kind of change.
    public enum Kind: Hashable, Sendable {
        /// A put: `kv` is the new state.
        case put
        /// A delete: `kv` carries only `key` and `modRevision` (the delete's revision), as in etcd.
        case delete
    }

    /// The kind of change.
    public var kind: Kind
    /// The key after the change.
    public var kv: KeyValue
    /// The key before the change; nil if it did not exist (a create).
    public var prevKV: KeyValue?

    /// Creates an event.
    public init(kind: Kind, kv: KeyValue, prevKV: KeyValue? = nil) {
        self.kind = kind
        self.kv = kv
        self.prevKV = prevKV
    }
}
