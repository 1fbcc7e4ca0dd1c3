/// What a sync made durable.
public enum SyncKind: Sendable, Hashable {
    /// fdatasync of a segment after writing records: exactly one per persisting call.
    case data
    /// fsync of a newly created (preallocated) segment file: once per segment.
    case newFile
    /// fsync of the log directory after creating or deleting segment files.
    case directory
}
