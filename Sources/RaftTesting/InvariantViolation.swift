/// One broken invariant with the evidence that broke it.
public struct InvariantViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which property failed.
    public var invariant: Invariant
    /// What was observed, in terms of nodes, terms and indexes.
    public var detail: String

    /// Creates a violation record.
    public init(_ invariant: Invariant, _ detail: String) {
        self.invariant = invariant
        self.detail = detail
    }

    /// `invariant: detail`.
    public var description: String { "\(invariant): \(detail)" }
}
