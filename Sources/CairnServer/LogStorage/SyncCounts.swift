/// How many syncs of each kind a log has done since it was opened (recovery included).
public struct SyncCounts: Equatable, Sendable {
    /// fdatasyncs after writing records.
    public var data = 0
    /// fsyncs of new segment files.
    public var newFile = 0
    /// fsyncs of the directory.
    public var directory = 0

    /// All syncs together.
    public var total: Int { data + newFile + directory }
}
