/// What a snapshot covers: the last index and term it includes and the configuration at that index.
public struct SnapshotMetadata: Equatable, Sendable {
    /// The configuration as of `index`.
    public var confState: ConfState
    /// The last log index the snapshot includes.
    public var index: LogIndex
    /// The term of the entry at `index`.
    public var term: Term

    /// Creates snapshot metadata.
    public init(confState: ConfState = ConfState(), index: LogIndex = 0, term: Term = 0) {
        self.confState = confState
        self.index = index
        self.term = term
    }
}

/// A point-in-time image of the state machine plus its metadata.
public struct Snapshot: Equatable, Sendable {
    /// The application's state machine image.
    public var data: [UInt8]
    /// The log position and configuration it covers.
    public var metadata: SnapshotMetadata

    /// Creates a snapshot.
    public init(data: [UInt8] = [], metadata: SnapshotMetadata = SnapshotMetadata()) {
        self.data = data
        self.metadata = metadata
    }

    /// Whether this is the empty snapshot (index 0).
    public var isEmpty: Bool { metadata.index == 0 }
}
