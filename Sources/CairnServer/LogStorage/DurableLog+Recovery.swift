import Raft

extension DurableLog {
    /// Replays every segment in order, rebuilding the in-memory state with `apply`.
    ///
    /// What counts as a crash and is repaired: in the last segment only, a record cut by the end of
    /// the file, a record whose failed checksum is explained by an all-zero (never written) sector,
    /// or leftovers after a zeroed header; and a last segment whose header was never written. The
    /// tail is cut at the first such record and re-zeroed, since it was never acknowledged (a save
    /// returns only after its fdatasync). Everything else (a checksum failure without zeros, a bad
    /// header anywhere, damage in an earlier segment, an index gap, a missing segment) throws.
    ///
    /// Limit, shared with etcd's WAL: damage inside the last segment that looks like an unwritten
    /// sector (a whole sector of zeros inside a record, or a zeroed header) is taken for a torn
    /// write, and the records after it are dropped. Saves carry no batch boundary, so a torn save
    /// whose later pages reached the disk cannot be told from older records after a zeroed sector.
    func recover() throws(LogStorageError) {
        let found = try Directory.list(directory)
            .compactMap { name in SegmentFile.sequence(fromFileName: name).map { (sequence: $0, name: name) } }
            .sorted { $0.sequence < $1.sequence }
        for (position, candidate) in found.enumerated() {
            let path = directory + "/" + candidate.name
            let isLast = position == found.count - 1
            if position > 0 && candidate.sequence != found[position - 1].sequence + 1 {
                throw .inconsistent(
                    file: path, offset: 0,
                    reason: "segment \(candidate.sequence) follows segment \(found[position - 1].sequence): "
                        + "the segments between them are missing")
            }
            let file = try FileHandle.open(path)
            let size = try file.size()
            let bytes = try file.read(at: 0, count: Int(size))

            let header: SegmentHeader
            var offset: Int
            switch RecordFrame.parse(bytes, at: 0) {
            case let .record(type, payload, next):
                let record: LogRecord
                do {
                    record = try LogRecord.decode(type: type, payload: bytes[payload])
                } catch {
                    throw .corruptRecord(file: path, offset: 0, reason: error.reason)
                }
                guard case let .segmentHeader(decoded) = record else {
                    throw .inconsistent(
                        file: path, offset: 0, reason: "the segment does not start with a segment header")
                }
                header = decoded
                offset = next
            case .end, .torn:
                guard isLast, segments.count > 0 || candidate.sequence == 1 else {
                    // Only the newest segment can lack a header (its creation crashed), and never the
                    // only one of a log that had older segments: that log lost its records.
                    throw .corruptRecord(file: path, offset: 0, reason: "the segment has no header")
                }
                // The crash came between creating the file and the first sync of its records:
                // nothing in it was acknowledged.
                file.close()
                try Directory.remove(path)
                try Directory.sync(directory)
                noteSync(.directory)
                recovery.removedEmptySegment = path
                continue
            case let .corrupt(reason):
                throw .corruptRecord(file: path, offset: 0, reason: reason)
            }
            guard header.sequence == candidate.sequence else {
                throw .inconsistent(
                    file: path, offset: 0, reason: "the header names segment \(header.sequence)")
            }
            let firstSegment = segments.isEmpty
            if firstSegment {
                dummyIndex = header.previousIndex
                dummyTerm = header.previousTerm
            } else if header.previousIndex != lastIndexValue || header.previousTerm != lastTerm {
                throw .inconsistent(
                    file: path, offset: 0,
                    reason: "the segment continues index \(header.previousIndex) term \(header.previousTerm), "
                        + "but the log before it ends at index \(lastIndexValue) term \(lastTerm)")
            }
            let segment = SegmentFile(
                sequence: candidate.sequence, file: file, capacity: size, writeOffset: 0,
                previousIndex: header.previousIndex)
            segment.headerEnd = Int64(offset)
            segments.append(segment)
            recovery.segments += 1
            recovery.records += 1

            scan: while true {
                switch RecordFrame.parse(bytes, at: offset) {
                case let .record(type, payload, next):
                    let record: LogRecord
                    do {
                        record = try LogRecord.decode(type: type, payload: bytes[payload])
                    } catch {
                        throw .corruptRecord(file: path, offset: Int64(offset), reason: error.reason)
                    }
                    try apply(record, in: segment, at: Int64(offset), firstSegment: firstSegment)
                    if case .snapshot(_, .state) = record { segment.headerEnd = Int64(next) }
                    recovery.records += 1
                    offset = next
                case .end:
                    if offset < bytes.count && !RecordFrame.isZero(bytes[offset...]) {
                        guard isLast else {
                            throw .corruptRecord(
                                file: path, offset: Int64(offset), reason: "non-zero bytes after the last record")
                        }
                        try repairTail(segment, at: offset, reason: "non-zero bytes after a zero record header")
                    }
                    break scan
                case let .torn(reason):
                    guard isLast else {
                        throw .corruptRecord(file: path, offset: Int64(offset), reason: reason)
                    }
                    try repairTail(segment, at: offset, reason: reason)
                    break scan
                case let .corrupt(reason):
                    throw .corruptRecord(file: path, offset: Int64(offset), reason: reason)
                }
            }
            segment.writeOffset = Int64(offset)
        }
    }

    /// Cuts the last segment at `offset` and restores its zeroed preallocation, so that the next
    /// records written there are followed by zeros again, then syncs.
    private func repairTail(_ segment: SegmentFile, at offset: Int, reason: String) throws(LogStorageError) {
        recovery.tornTail = RecoveryReport.TornTail(file: segment.path, offset: Int64(offset), reason: reason)
        let capacity = max(segment.capacity, options.segmentSize)
        try segment.file.truncate(Int64(offset))
        try segment.file.preallocate(capacity, zeroFill: options.zeroFillSegments)
        try segment.file.dataSync()
        noteSync(.data)
        segment.capacity = capacity
    }
}
