/// The position of an entry in the Raft log; the first real entry has index 1.
public struct LogIndex: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// The raw index.
    public var rawValue: UInt64
    /// Wraps a raw index.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// Wraps a raw index.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    /// Creates an index from an integer literal.
    public init(integerLiteral value: UInt64) { self.rawValue = value }
    /// The bare number.
    public var description: String { String(rawValue) }
    /// Orders by the raw value.
    public static func < (lhs: LogIndex, rhs: LogIndex) -> Bool { lhs.rawValue < rhs.rawValue }
    /// The index `rhs` positions later.
    public static func + (lhs: LogIndex, rhs: UInt64) -> LogIndex { LogIndex(lhs.rawValue + rhs) }
    /// The index `rhs` positions earlier.
    public static func - (lhs: LogIndex, rhs: UInt64) -> LogIndex { LogIndex(lhs.rawValue - rhs) }
    /// Advances by `rhs` positions.
    public static func += (lhs: inout LogIndex, rhs: UInt64) { lhs.rawValue += rhs }
    /// Moves back by `rhs` positions.
    public static func -= (lhs: inout LogIndex, rhs: UInt64) { lhs.rawValue -= rhs }
    /// The largest index; used as "no limit" by quorum computations over empty configurations.
    public static let max = LogIndex(UInt64.max)
}

extension LogIndex {
    /// The number of positions from `other` up to `self` (`self - other`), as an `Int`.
    @inlinable
    func distance(from other: LogIndex) -> Int { Int(rawValue - other.rawValue) }
}
