/// The identity of a lease (etcd's `lease.LeaseID`, an int64 on the wire).
///
/// Any non-zero value is a valid ID: clients may choose negative IDs (etcd 3.4 accepts them, spec
/// 8.16); IDs the member generates are always positive. `LeaseID.none` (0) means "no lease", as
/// in a `KeyValue.lease` of 0.
public struct LeaseID: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// The raw identifier, as carried by `LeaseGrantRequest.ID` and `KeyValue.lease`.
    public var rawValue: Int64
    /// Wraps a raw identifier.
    public init(rawValue: Int64) { self.rawValue = rawValue }
    /// Wraps a raw identifier.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    /// Creates an identifier from an integer literal.
    public init(integerLiteral value: Int64) { self.rawValue = value }
    /// "No lease" (etcd's `lease.NoLease`).
    public static let none = LeaseID(0)
    /// The ID as etcd prints it (`%016x` of the two's-complement bits, e.g. `694d7d6c2c0f1a05`).
    public var description: String {
        let hex = String(UInt64(bitPattern: rawValue), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
    /// Orders by the signed raw value.
    public static func < (lhs: LeaseID, rhs: LeaseID) -> Bool { lhs.rawValue < rhs.rawValue }
}
