import Raft
import Testing

@testable import CairnServer

@Suite struct DurableLogRoundTripTests {
    @Test func entriesHardStateAndSnapshotSurviveReopen() throws {
        try withTemporaryDirectory { dir in
            let written = makeEntries(1...10, term: 2)
            let hardState = HardState(term: 2, vote: 1, commit: 7)
            do {
                let log = try DurableLog(directory: dir, options: smallSegments)
                try log.bootstrap(confState: ConfState(voters: [1, 2, 3]))
                try log.save(entries: written, hardState: hardState)
                try log.createSnapshot(5, confState: ConfState(voters: [1, 2, 3], learners: [4]), data: [9, 8, 7])
                log.close()
            }
            let log = try DurableLog(directory: dir, options: smallSegments)
            #expect(try log.firstIndex() == 1)
            #expect(try log.lastIndex() == 10)
            #expect(try allEntries(log) == written)
            #expect(try log.term(0) == 0)
            #expect(try log.term(10) == 2)
            let (state, confState) = try log.initialState()
            #expect(state == hardState)
            #expect(confState == ConfState(voters: [1, 2, 3], learners: [4]))
            let snapshot = try log.snapshot()
            #expect(snapshot.metadata.index == 5)
            #expect(snapshot.metadata.term == 2)
            #expect(snapshot.data == [9, 8, 7])
            #expect(log.recovery.tornTail == nil)
        }
    }

    @Test func conflictingSuffixTruncationSurvivesReopen() throws {
        try withTemporaryDirectory { dir in
            do {
                let log = try DurableLog(directory: dir, options: smallSegments)
                try log.save(entries: makeEntries(1...10, term: 1))
                // A new leader's entries replace 6...10 (thesis 3.5).
                try log.save(entries: makeEntries(6...8, term: 2, size: 10))
                #expect(try log.lastIndex() == 8)
                log.close()
            }
            let log = try DurableLog(directory: dir, options: smallSegments)
            #expect(try log.lastIndex() == 8)
            #expect(try allEntries(log) == makeEntries(1...5, term: 1) + makeEntries(6...8, term: 2, size: 10))
            // Appending after a reopen continues from the truncated end.
            try log.save(entries: makeEntries(9...9, term: 2))
            #expect(try log.lastIndex() == 9)
        }
    }

    @Test func segmentRolloverWithManyEntries() throws {
        try withTemporaryDirectory { dir in
            // Small segments and a tiny cache: most reads after reopen come back through pread.
            let options = DurableLogOptions(segmentSize: 16 << 10, cacheBytes: 1 << 10)
            var written: [Entry] = []
            do {
                let log = try DurableLog(directory: dir, options: options)
                for batch in 0..<200 {
                    let first = UInt64(batch * 10 + 1)
                    let entries = makeEntries(first...first + 9, term: UInt64(batch / 50 + 1), size: 100)
                    try log.save(
                        entries: entries,
                        hardState: HardState(term: Term(UInt64(batch / 50 + 1)), commit: LogIndex(first)))
                    written += entries
                }
                #expect(log.segmentCount > 10)
                #expect(try allEntries(log) == written)
                log.close()
            }
            let log = try DurableLog(directory: dir, options: options)
            #expect(log.segmentCount > 10)
            #expect(try allEntries(log) == written)
            #expect(try log.entries(1234, 1240, maxSize: 250) == Array(written[1233..<1235]))
            #expect(log.hardState.commit == 1991)
        }
    }

    @Test func compactionDropsSegmentsAndReopenStillWorks() throws {
        try withTemporaryDirectory { dir in
            let options = DurableLogOptions(segmentSize: 8 << 10, cacheBytes: 4 << 10)
            let written = makeEntries(1...600, term: 3, size: 80)
            do {
                let log = try DurableLog(directory: dir, options: options)
                for chunk in stride(from: 0, to: written.count, by: 20) {
                    try log.save(entries: Array(written[chunk..<chunk + 20]))
                }
                let before = log.segmentCount
                try log.createSnapshot(500, confState: ConfState(voters: [1]), data: [1])
                try log.compact(450)
                #expect(log.segmentCount < before)
                #expect(try log.firstIndex() == 451)
                #expect(throws: RaftError.compacted) { try log.term(449) }
                #expect(try log.term(450) == 3)
                log.close()
            }
            let log = try DurableLog(directory: dir, options: options)
            #expect(try log.firstIndex() == 451)
            #expect(try log.lastIndex() == 600)
            #expect(try allEntries(log) == Array(written[450...]))
            #expect(try log.snapshot().metadata.index == 500)
            #expect(try log.initialState().1 == ConfState(voters: [1]))
            // The log keeps working after a compacted reopen.
            try log.save(entries: makeEntries(601...610, term: 4))
            try log.compact(600)
            #expect(log.segmentCount == 1)
            log.close()
            let reopened = try DurableLog(directory: dir, options: options)
            #expect(try allEntries(reopened) == makeEntries(601...610, term: 4))
        }
    }

    @Test func appliedSnapshotReplacesTheLog() throws {
        try withTemporaryDirectory { dir in
            let options = DurableLogOptions(segmentSize: 4 << 10)
            do {
                let log = try DurableLog(directory: dir, options: options)
                try log.save(entries: makeEntries(1...100, term: 1))
                let snapshot = Snapshot(
                    data: [42], metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2]), index: 200, term: 5))
                try log.save(
                    entries: makeEntries(201...202, term: 5), hardState: HardState(term: 5, commit: 200),
                    snapshot: snapshot)
                #expect(log.segmentCount == 1)
                log.close()
            }
            let log = try DurableLog(directory: dir, options: options)
            #expect(try log.firstIndex() == 201)
            #expect(try log.term(200) == 5)
            #expect(try allEntries(log) == makeEntries(201...202, term: 5))
            #expect(try log.snapshot().data == [42])
        }
    }

    @Test func invalidAppendsAreRefusedWithoutWriting() throws {
        try withTemporaryDirectory { dir in
            let log = try DurableLog(directory: dir, options: smallSegments)
            try log.save(entries: makeEntries(1...5, term: 2))
            #expect(throws: LogStorageError.self) { try log.save(entries: makeEntries(7...8, term: 2)) }
            #expect(throws: LogStorageError.self) { try log.save(entries: makeEntries(6...6, term: 1)) }
            try log.createSnapshot(4, confState: nil, data: [])
            #expect(throws: LogStorageError.self) { try log.save(entries: makeEntries(3...6, term: 3)) }
            #expect(throws: LogStorageError.alreadyCompacted(0)) { try log.compact(0) }
            #expect(throws: LogStorageError.beyondLastIndex(9, last: 5)) { try log.compact(9) }
            log.close()
            let reopened = try DurableLog(directory: dir, options: smallSegments)
            #expect(try allEntries(reopened) == makeEntries(1...5, term: 2))
        }
    }
}
