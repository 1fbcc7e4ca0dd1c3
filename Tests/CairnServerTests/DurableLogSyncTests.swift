import Raft
import Testing

@testable import CairnServer

@Suite struct DurableLogSyncTests {
    /// Counts the syncs a log reports through its hook.
    final class SyncRecorder {
        var kinds: [SyncKind] = []
    }

    @Test func exactlyOneDataSyncPerSaveWhateverTheEntryCount() throws {
        try withTemporaryDirectory { dir in
            let recorder = SyncRecorder()
            let log = try DurableLog(
                directory: dir,
                options: DurableLogOptions(segmentSize: 1 << 20, syncObserver: { recorder.kinds.append($0) }))
            recorder.kinds.removeAll()
            var next: UInt64 = 1
            for count in [1, 2, 10, 100, 1000] {
                try log.save(
                    entries: makeEntries(next...next + UInt64(count - 1), term: 1, size: 256),
                    hardState: HardState(term: 1, commit: LogIndex(next)))
                next += UInt64(count)
                #expect(recorder.kinds == [.data], "\(count) entries")
                recorder.kinds.removeAll()
            }
            // Hard state alone, a snapshot alone: still one.
            try log.save(entries: [], hardState: HardState(term: 2, vote: 1, commit: 10))
            #expect(recorder.kinds == [.data])
            recorder.kinds.removeAll()
            // Nothing to persist: no sync at all.
            try log.save(entries: [])
            #expect(recorder.kinds.isEmpty)
        }
    }

    @Test func aReadyThatNeedsNoSyncIsWrittenWithoutOne() throws {
        try withTemporaryDirectory { dir in
            let recorder = SyncRecorder()
            do {
                let log = try DurableLog(
                    directory: dir,
                    options: DurableLogOptions(segmentSize: 1 << 20, syncObserver: { recorder.kinds.append($0) }))
                try log.save(entries: makeEntries(1...3, term: 1), hardState: HardState(term: 1, commit: 1))
                recorder.kinds.removeAll()
                // Only the commit index moved (Ready.mustSync is false).
                try log.save(entries: [], hardState: HardState(term: 1, commit: 3), sync: false)
                #expect(recorder.kinds.isEmpty)
                log.close()
            }
            let log = try DurableLog(directory: dir, options: smallSegments)
            #expect(log.hardState.commit == 3)
        }
    }

    @Test func segmentRolloverAddsOnlyTheNewFileAndDirectorySyncs() throws {
        try withTemporaryDirectory { dir in
            let recorder = SyncRecorder()
            let log = try DurableLog(
                directory: dir,
                options: DurableLogOptions(segmentSize: 8 << 10, syncObserver: { recorder.kinds.append($0) }))
            recorder.kinds.removeAll()
            var next: UInt64 = 1
            var rollovers = 0
            for _ in 0..<50 {
                let segmentsBefore = log.segmentCount
                try log.save(entries: makeEntries(next...next + 9, term: 1, size: 100))
                next += 10
                if log.segmentCount > segmentsBefore {
                    rollovers += 1
                    #expect(recorder.kinds == [.newFile, .directory, .data])
                } else {
                    #expect(recorder.kinds == [.data])
                }
                recorder.kinds.removeAll()
            }
            #expect(rollovers > 3)
            #expect(log.syncCounts.newFile == rollovers + 1)
        }
    }
}
