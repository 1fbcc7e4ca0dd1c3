import Raft

/// What the payload of a record holds. The raw values are on disk: never renumber them.
enum LogRecordType: UInt8 {
    /// The first record of every segment: its sequence number and the log position before it.
    case segmentHeader = 1
    /// One Raft entry.
    case entry = 2
    /// The hard state (term, vote, commit).
    case hardState = 3
    /// A snapshot's metadata and data; see `SnapshotRecordKind`.
    case snapshot = 4
    /// Discards the entries after an index: the next entry replaces a conflicting suffix.
    case truncate = 5
    /// Discards the entries up to an index (they are covered by a snapshot).
    case compact = 6
}

/// How a snapshot record changes the log.
enum SnapshotRecordKind: UInt8 {
    /// A copy of the current snapshot written at the start of a segment, so that a segment can be
    /// replayed without the (possibly deleted) segments before it.
    case state = 0
    /// The application made a snapshot of its own state: the entries stay (`createSnapshot`).
    case created = 1
    /// A snapshot received from the leader replaces the whole log (`Ready.snapshot`).
    case applied = 2
}

/// The first record of a segment file.
struct SegmentHeader: Equatable {
    /// The on-disk format version this code writes.
    static let currentVersion: UInt32 = 1
    /// Identifies a Cairn log segment ("CAIRNLOG" in ASCII, little-endian).
    static let magic: UInt64 = 0x474F_4C4E_5249_4143

    var version: UInt32 = currentVersion
    /// The segment's sequence number (also its file name).
    var sequence: UInt64
    /// The last index of the log when the segment was started; its first entry follows it.
    var previousIndex: LogIndex
    /// The term of `previousIndex`.
    var previousTerm: Term
}

/// One record of the log, decoded.
enum LogRecord: Equatable {
    case segmentHeader(SegmentHeader)
    case entry(Entry)
    case hardState(HardState)
    case snapshot(Snapshot, SnapshotRecordKind)
    /// Entries after the index are discarded.
    case truncate(after: LogIndex)
    /// Entries up to and including the index are discarded.
    case compact(through: LogIndex)

    var type: LogRecordType {
        switch self {
        case .segmentHeader: .segmentHeader
        case .entry: .entry
        case .hardState: .hardState
        case .snapshot: .snapshot
        case .truncate: .truncate
        case .compact: .compact
        }
    }

    /// Appends the payload to `w` (straight into a save's buffer: no intermediate array per entry).
    func encodePayload(into w: inout ByteWriter) {
        switch self {
        case let .segmentHeader(header):
            w.write(SegmentHeader.magic)
            w.write(header.version)
            w.write(header.sequence)
            w.write(header.previousIndex.rawValue)
            w.write(header.previousTerm.rawValue)
        case let .entry(entry):
            w.write(entry.term.rawValue)
            w.write(entry.index.rawValue)
            w.write(entry.type.rawValue)
            w.bytes.append(contentsOf: entry.data)
        case let .hardState(state):
            w.write(state.term.rawValue)
            w.write(state.vote.rawValue)
            w.write(state.commit.rawValue)
        case let .snapshot(snapshot, kind):
            let meta = snapshot.metadata
            w.write(kind.rawValue)
            w.write(meta.index.rawValue)
            w.write(meta.term.rawValue)
            w.write(meta.confState.voters)
            w.write(meta.confState.learners)
            w.write(meta.confState.votersOutgoing)
            w.write(meta.confState.learnersNext)
            w.write(meta.confState.autoLeave ? 1 as UInt8 : 0)
            w.writeBytes(snapshot.data)
        case let .truncate(index), let .compact(index):
            w.write(index.rawValue)
        }
    }

    /// Decodes a payload of the given type; a failure names what is wrong.
    static func decode(type rawType: UInt8, payload: ArraySlice<UInt8>) throws(DecodeFailure) -> LogRecord {
        guard let type = LogRecordType(rawValue: rawType) else {
            throw DecodeFailure(reason: "unknown record type \(rawType)")
        }
        var r = ByteReader(payload)
        let record: LogRecord
        switch type {
        case .segmentHeader:
            guard try r.readUInt64() == SegmentHeader.magic else {
                throw DecodeFailure(reason: "not a Cairn log segment (bad magic)")
            }
            let version = try r.readUInt32()
            guard version == SegmentHeader.currentVersion else {
                throw DecodeFailure(reason: "unsupported segment format version \(version)")
            }
            record = .segmentHeader(
                SegmentHeader(
                    version: version, sequence: try r.readUInt64(), previousIndex: LogIndex(try r.readUInt64()),
                    previousTerm: Term(try r.readUInt64())))
        case .entry:
            let term = Term(try r.readUInt64())
            let index = LogIndex(try r.readUInt64())
            let rawEntryType = try r.readUInt8()
            guard let entryType = EntryType(rawValue: rawEntryType) else {
                throw DecodeFailure(reason: "unknown entry type \(rawEntryType)")
            }
            record = .entry(Entry(term: term, index: index, type: entryType, data: r.readRemaining()))
        case .hardState:
            record = .hardState(
                HardState(
                    term: Term(try r.readUInt64()), vote: NodeID(try r.readUInt64()),
                    commit: LogIndex(try r.readUInt64())))
        case .snapshot:
            let rawKind = try r.readUInt8()
            guard let kind = SnapshotRecordKind(rawValue: rawKind) else {
                throw DecodeFailure(reason: "unknown snapshot record kind \(rawKind)")
            }
            let index = LogIndex(try r.readUInt64())
            let term = Term(try r.readUInt64())
            let confState = ConfState(
                voters: try r.readNodeIDs(), learners: try r.readNodeIDs(), votersOutgoing: try r.readNodeIDs(),
                learnersNext: try r.readNodeIDs(), autoLeave: try r.readUInt8() != 0)
            let data = try r.readBytes()
            record = .snapshot(
                Snapshot(data: data, metadata: SnapshotMetadata(confState: confState, index: index, term: term)), kind)
        case .truncate:
            record = .truncate(after: LogIndex(try r.readUInt64()))
        case .compact:
            record = .compact(through: LogIndex(try r.readUInt64()))
        }
        guard r.isAtEnd else { throw DecodeFailure(reason: "\(type) record has trailing bytes") }
        return record
    }
}
