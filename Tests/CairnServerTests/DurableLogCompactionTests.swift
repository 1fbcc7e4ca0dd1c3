import Raft
import Testing

@testable import CairnServer

/// Compaction edge cases: which segments may go, and reading back entries that left the cache.
@Suite struct DurableLogCompactionTests {
    @Test func truncationIntoAnEarlierSegmentKeepsThatSegmentUntilALaterOneCanTakeOver() throws {
        try withTemporaryDirectory { dir in
            let options = DurableLogOptions(segmentSize: 4 << 10, cacheBytes: 1 << 10)
            var expected: [Entry] = []
            do {
                let log = try DurableLog(directory: dir, options: options)
                var next: UInt64 = 1
                while log.segmentCount < 2 {
                    try log.save(entries: makeEntries(next...next + 4, term: 1, size: 100))
                    next += 5
                }
                let second = log.segments[1]
                #expect(second.previousIndex > 3)
                // A new leader replaces everything after index 3: the truncation, written into
                // segment 2, reaches back into segment 1.
                try log.save(entries: makeEntries(4...6, term: 2, size: 100))
                #expect(!second.canStartReplay)
                expected = makeEntries(1...3, term: 1, size: 100) + makeEntries(4...6, term: 2, size: 100)
                try log.compact(5)
                // Entry 6 lives in segment 2, but replaying from segment 2 alone would start after
                // its header's index: segment 1 must stay.
                #expect(log.segmentCount == 2)
                log.close()
            }
            let log = try DurableLog(directory: dir, options: options)
            #expect(try log.firstIndex() == 6)
            #expect(try allEntries(log) == Array(expected[5...]))
            // Once later segments hold everything live, both old ones go.
            var next: UInt64 = 7
            while log.segmentCount < 4 {
                try log.save(entries: makeEntries(next...next + 4, term: 2, size: 100))
                next += 5
            }
            try log.compact(LogIndex(next - 2))
            #expect(log.segmentCount == 1)
            log.close()
            let reopened = try DurableLog(directory: dir, options: options)
            #expect(try allEntries(reopened) == makeEntries(next - 1...next - 1, term: 2, size: 100))
        }
    }

    @Test func damageFoundWhenReadingBackIsATypedError() throws {
        try withTemporaryDirectory { dir in
            let log = try DurableLog(directory: dir, options: DurableLogOptions(segmentSize: 1 << 20, cacheBytes: 256))
            try log.save(entries: makeEntries(1...3, term: 1, size: 100))
            try log.save(entries: makeEntries(4...20, term: 1, size: 100))
            #expect(log.cacheFloor > 0)
            #expect(try log.readEntries(1, 21, maxSize: .max) == makeEntries(1...20, term: 1, size: 100))
            // The disk damages entry 2's record after it was verified at write time.
            let meta = log.metas[1]
            let path = segmentPath(dir, 1)
            var bytes = try readFile(path)
            bytes[Int(meta.offset) + 40] ^= 0xFF
            try writeFile(path, bytes)
            #expect(
                throws: LogStorageError.corruptRecord(
                    file: path, offset: meta.offset,
                    reason: "reading back entry 2: the record does not verify")
            ) { try log.readEntries(2, 3, maxSize: .max) }
            // Through Raft's LogStorage protocol the same damage is a storage failure, not a
            // crash, and the log then refuses to persist anything until it is reopened.
            #expect(throws: RaftError.self) { try log.entries(2, 3, maxSize: .max) }
            do {
                _ = try log.entries(2, 3, maxSize: .max)
            } catch {
                guard case .storageFailure(let reason) = error as? RaftError else {
                    Issue.record("expected storageFailure, got \(error)")
                    return
                }
                #expect(reason.contains("reading back entry 2"))
            }
            #expect(throws: LogStorageError.failed) { try log.save(entries: makeEntries(21...21, term: 1, size: 10)) }
        }
    }
}
