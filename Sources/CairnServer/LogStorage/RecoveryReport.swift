/// What recovery found and repaired when the log was opened.
public struct RecoveryReport: Equatable, Sendable {
    /// Where a torn tail was cut off, and why it counted as torn.
    public struct TornTail: Equatable, Sendable {
        /// The segment file.
        public var file: String
        /// The offset of the first record dropped.
        public var offset: Int64
        /// What was wrong with it.
        public var reason: String
    }

    /// The segments replayed.
    public var segments = 0
    /// The records replayed (segment headers included).
    public var records = 0
    /// The torn tail (the unacknowledged write of a crash) that was cut off, if any.
    public var tornTail: TornTail?
    /// A last segment whose creation was interrupted (no header) and which was removed.
    public var removedEmptySegment: String?

    /// An empty report.
    public init() {}
}
