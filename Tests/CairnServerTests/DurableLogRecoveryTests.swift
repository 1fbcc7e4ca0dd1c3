import Raft
import Testing

@testable import CairnServer

/// Crashes and damage: a torn tail is a normal crash and is cut off; anything else is a typed error
/// naming the file and offset.
@Suite struct DurableLogRecoveryTests {
    static var options: DurableLogOptions { DurableLogOptions(segmentSize: 64 << 10) }

    /// Writes entries 1...5 in one save and entry 6 in a second one; returns the byte range of the
    /// last record (entry 6) in segment 1.
    func writeLogWithLastRecord(_ dir: String, lastSize: Int = 200) throws -> Range<Int> {
        let log = try DurableLog(directory: dir, options: Self.options)
        try log.save(entries: makeEntries(1...5, term: 1), hardState: HardState(term: 1, commit: 5))
        let start = Int(log.segments.last!.writeOffset)
        try log.save(entries: makeEntries(6...6, term: 1, size: lastSize))
        let end = Int(log.segments.last!.writeOffset)
        log.close()
        return start..<end
    }

    @Test func tornLastRecordAtEveryOffsetGivesTheRecordsBeforeIt() throws {
        try withTemporaryDirectory { dir in
            let record = try writeLogWithLastRecord(dir)
            let path = segmentPath(dir, 1)
            let original = try readFile(path)
            for cut in record.lowerBound + 1..<record.upperBound {
                // A file cut inside the last record: the write of the last save never completed.
                try writeFile(path, Array(original[..<cut]))
                let log = try DurableLog(directory: dir, options: Self.options)
                #expect(try log.lastIndex() == 5, "cut at \(cut)")
                #expect(try allEntries(log) == makeEntries(1...5, term: 1), "cut at \(cut)")
                #expect(log.hardState == HardState(term: 1, commit: 5))
                #expect(log.recovery.tornTail?.offset == Int64(record.lowerBound), "cut at \(cut)")
                // The repaired log accepts new records where the torn one was, and they survive.
                try log.save(entries: makeEntries(6...6, term: 2))
                log.close()
                let reopened = try DurableLog(directory: dir, options: Self.options)
                #expect(try allEntries(reopened) == makeEntries(1...5, term: 1) + makeEntries(6...6, term: 2))
                #expect(reopened.recovery.tornTail == nil)
                reopened.close()
            }
        }
    }

    @Test func unwrittenSectorInTheLastRecordIsATornTail() throws {
        try withTemporaryDirectory { dir in
            let record = try writeLogWithLastRecord(dir, lastSize: 3000)
            let path = segmentPath(dir, 1)
            var bytes = try readFile(path)
            // The page holding the record's second half never reached the disk.
            let sector = (record.lowerBound / 512 + 2) * 512
            for i in sector..<record.upperBound { bytes[i] = 0 }
            try writeFile(path, bytes)
            let log = try DurableLog(directory: dir, options: Self.options)
            #expect(try log.lastIndex() == 5)
            #expect(log.recovery.tornTail?.offset == Int64(record.lowerBound))
        }
    }

    @Test func zeroedPreallocatedTailIsNotAnError() throws {
        try withTemporaryDirectory { dir in
            _ = try writeLogWithLastRecord(dir)
            let size = try readFile(segmentPath(dir, 1)).count
            #expect(size == 64 << 10)
            let log = try DurableLog(directory: dir, options: Self.options)
            #expect(try log.lastIndex() == 6)
            #expect(log.recovery.tornTail == nil)
            // Segment header prefix (3), five entries and a hard state, one entry.
            #expect(log.recovery.records == 3 + 6 + 1)
        }
    }

    @Test(arguments: [0, 3, 4, 9, 12, 16, 40])
    func flippedByteInTheMiddleIsATypedError(byteInRecord: Int) throws {
        try withTemporaryDirectory { dir in
            var recordStart = 0
            do {
                let log = try DurableLog(directory: dir, options: Self.options)
                try log.save(entries: makeEntries(1...9, term: 1, size: 100))
                recordStart = Int(log.segments.last!.writeOffset)
                try log.save(entries: makeEntries(10...20, term: 1, size: 100))
                log.close()
            }
            let path = segmentPath(dir, 1)
            var bytes = try readFile(path)
            bytes[recordStart + byteInRecord] ^= 0x10
            try writeFile(path, bytes)
            do throws(LogStorageError) {
                _ = try DurableLog(directory: dir, options: Self.options)
                Issue.record("a damaged log opened")
            } catch {
                guard case let .corruptRecord(file, offset, reason) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(file == path)
                #expect(offset == Int64(recordStart))
                #expect(!reason.isEmpty)
                #expect(error.description.contains(path))
            }
        }
    }

    @Test func damageInAnEarlierSegmentIsAnErrorEvenIfItLooksTorn() throws {
        try withTemporaryDirectory { dir in
            let options = DurableLogOptions(segmentSize: 4 << 10)
            do {
                let log = try DurableLog(directory: dir, options: options)
                for batch in 0..<20 {
                    let first = UInt64(batch * 5 + 1)
                    try log.save(entries: makeEntries(first...first + 4, term: 1, size: 100))
                }
                #expect(log.segmentCount > 2)
                log.close()
            }
            let path = segmentPath(dir, 1)
            let bytes = try readFile(path)
            // Cut the first segment in the middle of a record: harmless at the tail, fatal here.
            try writeFile(path, Array(bytes[..<1000]))
            #expect(throws: LogStorageError.self) { try DurableLog(directory: dir, options: options) }
        }
    }

    @Test func missingSegmentIsAnError() throws {
        try withTemporaryDirectory { dir in
            let options = DurableLogOptions(segmentSize: 4 << 10)
            do {
                let log = try DurableLog(directory: dir, options: options)
                for batch in 0..<20 {
                    let first = UInt64(batch * 5 + 1)
                    try log.save(entries: makeEntries(first...first + 4, term: 1, size: 100))
                }
                log.close()
            }
            try Directory.remove(segmentPath(dir, 2))
            do throws(LogStorageError) {
                _ = try DurableLog(directory: dir, options: options)
                Issue.record("a log with a missing segment opened")
            } catch {
                guard case let .inconsistent(file, _, _) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(file == segmentPath(dir, 3))
            }
        }
    }

    /// Writes a hand-made segment 1 holding `records` after a header.
    func writeRawSegment(_ dir: String, _ records: [LogRecord]) throws -> [Int] {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        let all: [LogRecord] =
            [.segmentHeader(SegmentHeader(sequence: 1, previousIndex: 0, previousTerm: 0))] + records
        for record in all {
            offsets.append(bytes.count)
            RecordFrame.append(record, to: &bytes)
        }
        bytes += [UInt8](repeating: 0, count: 4096)
        try writeFile(segmentPath(dir, 1), bytes)
        return Array(offsets.dropFirst())
    }

    @Test func indexGapIsAnInconsistency() throws {
        try withTemporaryDirectory { dir in
            let entries = makeEntries(1...4, term: 1)
            let offsets = try writeRawSegment(dir, [.entry(entries[0]), .entry(entries[1]), .entry(entries[3])])
            #expect(
                throws: LogStorageError.inconsistent(
                    file: segmentPath(dir, 1), offset: Int64(offsets[2]),
                    reason:
                        "entry 4 does not follow the last index 2 (a gap, or an overwrite without a truncation record)")
            ) { try DurableLog(directory: dir, options: smallSegments) }
        }
    }

    @Test func entryBelowTheSnapshotIsAnInconsistency() throws {
        try withTemporaryDirectory { dir in
            let snapshot = Snapshot(metadata: SnapshotMetadata(index: 10, term: 2))
            let offsets = try writeRawSegment(
                dir, [.snapshot(snapshot, .applied), .truncate(after: 4), .entry(Entry(term: 2, index: 5))])
            do throws(LogStorageError) {
                _ = try DurableLog(directory: dir, options: smallSegments)
                Issue.record("opened")
            } catch {
                guard case let .inconsistent(_, offset, _) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(offset == Int64(offsets[1]))
            }
        }
    }

    @Test func segmentWhoseCreationCrashedIsRemoved() throws {
        try withTemporaryDirectory { dir in
            _ = try writeLogWithLastRecord(dir)
            try writeFile(segmentPath(dir, 2), [UInt8](repeating: 0, count: 8192))
            let log = try DurableLog(directory: dir, options: Self.options)
            #expect(try log.lastIndex() == 6)
            #expect(log.recovery.removedEmptySegment == segmentPath(dir, 2))
            #expect(log.segmentCount == 1)
        }
    }
}
