import Raft

/// Why the durable log refused an operation or refused to open.
///
/// Recovery never crashes on bad input: a damaged or inconsistent log is reported with the file and
/// byte offset at fault, so that an operator can restore the member from a peer or a snapshot.
/// A torn tail (the last, unacknowledged write of a crash) is not an error: it is repaired on open.
public enum LogStorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// A record's checksum or framing is wrong somewhere other than at the tail of the log.
    case corruptRecord(file: String, offset: Int64, reason: String)
    /// The records are well formed but do not describe a valid log (an index gap, an entry at or
    /// below the snapshot, a missing segment, ...).
    case inconsistent(file: String, offset: Int64, reason: String)
    /// A save would break the log's invariants (a gap, or overwriting entries a snapshot covers).
    case invalidAppend(String)
    /// `compact` was given an index at or below the first index's predecessor (already compacted).
    case alreadyCompacted(LogIndex)
    /// `compact` or `createSnapshot` was given an index past the last entry.
    case beyondLastIndex(LogIndex, last: LogIndex)
    /// The snapshot is not newer than the one the log already holds.
    case snapshotOutOfDate(LogIndex, current: LogIndex)
    /// A previous write or sync failed; after a failed fdatasync the page cache can no longer be
    /// trusted (the "fsyncgate" lesson), so the log refuses every further operation until reopened.
    case failed
    /// The log was closed.
    case closed
    /// Another process (or another `DurableLog` in this one) has the log open; the path is the
    /// lock file.
    case locked(String)

    public var description: String {
        switch self {
        case let .io(operation, path, errno):
            return "log storage: \(operation) failed on \(path): errno \(errno)"
        case let .corruptRecord(file, offset, reason):
            return "log storage: corrupt record in \(file) at offset \(offset): \(reason)"
        case let .inconsistent(file, offset, reason):
            return "log storage: inconsistent log in \(file) at offset \(offset): \(reason)"
        case let .invalidAppend(reason):
            return "log storage: invalid append: \(reason)"
        case let .alreadyCompacted(index):
            return "log storage: index \(index) is already compacted"
        case let .beyondLastIndex(index, last):
            return "log storage: index \(index) is beyond the last index \(last)"
        case let .snapshotOutOfDate(index, current):
            return "log storage: snapshot at \(index) is not newer than the current one at \(current)"
        case .failed:
            return "log storage: an earlier write or sync failed; reopen the log"
        case .closed:
            return "log storage: the log is closed"
        case let .locked(path):
            return "log storage: the log is in use by another process (lock \(path) is held)"
        }
    }
}
