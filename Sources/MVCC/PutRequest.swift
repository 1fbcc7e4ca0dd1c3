/// A write of one key (etcd's `PutRequest`).
public struct PutRequest: Hashable, Sendable {
    /// The key (must not be empty).
    public var key: [UInt8]
    /// The new value (must be empty with `ignoreValue`).
    public var value: [UInt8]
    /// Lease to attach, 0 for none (detaches any previous lease). Must be 0 with `ignoreLease`.
    public var lease: Int64
    /// Return the previous kv in the response.
    public var prevKV: Bool
    /// Keep the current value (the key must exist).
    public var ignoreValue: Bool
    /// Keep the current lease (the key must exist).
    public var ignoreLease: Bool

    /// Creates a put request.
    public init(
        key: [UInt8], value: [UInt8] = [], lease: Int64 = 0, prevKV: Bool = false, ignoreValue: Bool = false,
        ignoreLease: Bool = false
    ) {
        self.key = key
        self.value = value
        self.lease = lease
        self.prevKV = prevKV
        self.ignoreValue = ignoreValue
        self.ignoreLease = ignoreLease
    }
}

/// The result of a put (etcd's `PutResponse`).
public struct PutResponse: Hashable, Sendable {
    /// The revision the put created (`header.revision`).
    public var revision: Int64
    /// The kv before the put, if requested and the key existed.
    public var prevKV: KeyValue?

    /// Creates a put response.
    public init(revision: Int64, prevKV: KeyValue? = nil) {
        self.revision = revision
        self.prevKV = prevKV
    }
}
