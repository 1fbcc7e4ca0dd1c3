/// A Raft term: a logical clock that only moves forward (paper §5.1).
public struct Term: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// The raw term number.
    public var rawValue: UInt64
    /// Wraps a raw term number.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// Wraps a raw term number.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    /// Creates a term from an integer literal.
    public init(integerLiteral value: UInt64) { self.rawValue = value }
    /// The bare number.
    public var description: String { String(rawValue) }
    /// Orders by the raw value.
    public static func < (lhs: Term, rhs: Term) -> Bool { lhs.rawValue < rhs.rawValue }
    /// The term `rhs` terms later.
    public static func + (lhs: Term, rhs: UInt64) -> Term { Term(lhs.rawValue + rhs) }
}
