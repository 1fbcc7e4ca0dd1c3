import Raft

/// One preallocated segment file of the log, named by its sequence number (`%016x.seg`).
final class SegmentFile {
    /// The segment's sequence number; consecutive segments have consecutive numbers.
    let sequence: UInt64
    /// The open file; kept open so that old entries can be read back with pread.
    let file: FileHandle
    /// The file's preallocated size.
    var capacity: Int64
    /// Where the next record goes; 0 until the segment header is written.
    var writeOffset: Int64
    /// Where the records after the segment's header (segment header, hard state, snapshot) start.
    var headerEnd: Int64 = 0
    /// The last index of the log when the segment was started (from its header).
    let previousIndex: LogIndex
    /// Whether replaying from this segment alone (the ones before it deleted) reproduces the log.
    /// A later truncation below `previousIndex` breaks that: the entries it keeps live in an earlier
    /// segment. Such a segment stays until a later segment can take over.
    var canStartReplay = true

    init(sequence: UInt64, file: FileHandle, capacity: Int64, writeOffset: Int64, previousIndex: LogIndex) {
        self.sequence = sequence
        self.file = file
        self.capacity = capacity
        self.writeOffset = writeOffset
        self.previousIndex = previousIndex
    }

    /// The file's path.
    var path: String { file.path }

    /// The file name of a segment.
    static func fileName(sequence: UInt64) -> String {
        let hex = String(sequence, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex + ".seg"
    }

    /// The sequence number a segment file name encodes, or nil for any other file.
    static func sequence(fromFileName name: String) -> UInt64? {
        guard name.hasSuffix(".seg"), name.utf8.count == 20 else { return nil }
        return UInt64(name.dropLast(4), radix: 16)
    }
}
