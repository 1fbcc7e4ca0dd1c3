/// The identity of a Raft member. `NodeID.none` (0) means "no node" (no leader, no vote).
public struct NodeID: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// The raw identifier.
    public var rawValue: UInt64
    /// Wraps a raw identifier.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// Wraps a raw identifier.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    /// Creates an identifier from an integer literal.
    public init(integerLiteral value: UInt64) { self.rawValue = value }
    /// "No node": used for an unknown leader and for "not voted".
    public static let none = NodeID(0)
    /// The bare number.
    public var description: String { String(rawValue) }
    /// Orders by the raw value.
    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.rawValue < rhs.rawValue }
}
