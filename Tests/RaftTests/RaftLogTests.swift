import Testing

@testable import Raft

/// A log over a storage holding `stored` (terms of entries 1...) plus unstable `appended`.
private func makeLog(stored: [UInt64] = [], snapshot: (index: UInt64, term: UInt64)? = nil) -> (RaftLog, MemoryStorage)
{
    let storage = MemoryStorage(voters: [1])
    if let snapshot {
        try! storage.applySnapshot(
            Snapshot(
                metadata: SnapshotMetadata(
                    confState: ConfState(voters: [1]), index: LogIndex(snapshot.index), term: Term(snapshot.term))))
    }
    let start = (snapshot?.index ?? 0) + 1
    try! storage.append(entries(terms: stored, from: start))
    return (RaftLog(storage: storage), storage)
}

@Suite("RaftLog") struct RaftLogTests {
    @Test func findConflict() {
        var log = makeLog().0
        log.append(entries(terms: [1, 2, 3]))
        let cases: [(ents: [Entry], want: LogIndex)] = [
            ([], 0),
            (entries(terms: [1, 2, 3]), 0),
            (entries(terms: [2, 3], from: 2), 0),
            (entries(terms: [3], from: 3), 0),
            (entries(terms: [1, 2, 3, 4, 4]), 4),
            (entries(terms: [3, 4, 4], from: 3), 4),
            (entries(terms: [4, 4]), 1),
            (entries(terms: [1, 4, 4]), 2),
            (entries(terms: [4, 4], from: 3), 3),
        ]
        for c in cases {
            #expect(log.findConflict(c.ents) == c.want, "\(c.ents)")
        }
    }

    @Test func findConflictByTerm() {
        var log = makeLog().0
        log.append(entries(terms: [1, 1, 3, 3, 5]))
        #expect(log.findConflictByTerm(5, term: 4) == 4)
        #expect(log.findConflictByTerm(5, term: 2) == 2)
        #expect(log.findConflictByTerm(5, term: 5) == 5)
        #expect(log.findConflictByTerm(3, term: 0) == 0)
        #expect(log.findConflictByTerm(9, term: 1) == 9)
    }

    @Test func isUpToDate() {
        var log = makeLog().0
        log.append(entries(terms: [1, 2, 3]))
        #expect(log.isUpToDate(lastIndex: 2, term: 4))
        #expect(log.isUpToDate(lastIndex: 3, term: 3))
        #expect(log.isUpToDate(lastIndex: 4, term: 3))
        #expect(!log.isUpToDate(lastIndex: 2, term: 3))
        #expect(!log.isUpToDate(lastIndex: 9, term: 2))
    }

    @Test func appendTruncatesConflicts() {
        let cases: [(ents: [Entry], wantLast: LogIndex, wantTerms: [UInt64], unstableOffset: LogIndex)] = [
            ([], 2, [1, 2], 3),
            (entries(terms: [2], from: 3), 3, [1, 2, 2], 3),
            // Conflict at 1: replaces everything.
            (entries(terms: [2], from: 1), 1, [2], 1),
            // Conflict at 2.
            (entries(terms: [3, 3], from: 2), 3, [1, 3, 3], 2),
        ]
        for c in cases {
            var log = makeLog(stored: [1, 2]).0
            let gotLast = log.append(c.ents)
            #expect(gotLast == c.wantLast)
            #expect(log.allEntries().map(\.term.rawValue) == c.wantTerms)
            #expect(log.unstable.offset == c.unstableOffset)
        }
    }

    @Test func maybeAppend() {
        let last: LogIndex = 3
        let lastTerm: Term = 3
        let commit: LogIndex = 1
        struct Case {
            var logTerm: Term
            var index: LogIndex
            var committed: LogIndex
            var ents: [Entry]
            var wantLast: LogIndex?
            var wantCommit: LogIndex
        }
        let cases: [Case] = [
            // Not matching: rejected, nothing changes.
            Case(logTerm: 2, index: last, committed: last, ents: [entry(4, 4)], wantLast: nil, wantCommit: commit),
            Case(
                logTerm: lastTerm, index: last + 1, committed: last, ents: [entry(4, 5)], wantLast: nil,
                wantCommit: commit),
            // Matching with the last entry.
            Case(logTerm: lastTerm, index: last, committed: last, ents: [], wantLast: last, wantCommit: last),
            Case(logTerm: lastTerm, index: last, committed: last + 1, ents: [], wantLast: last, wantCommit: last),
            Case(logTerm: lastTerm, index: last, committed: last - 1, ents: [], wantLast: last, wantCommit: last - 1),
            Case(logTerm: lastTerm, index: last, committed: 0, ents: [], wantLast: last, wantCommit: commit),
            Case(
                logTerm: lastTerm, index: last, committed: last, ents: [entry(4, 4)], wantLast: last + 1,
                wantCommit: last),
            Case(
                logTerm: lastTerm, index: last, committed: last + 1, ents: [entry(4, 4)], wantLast: last + 1,
                wantCommit: last + 1),
            // The commit index never passes the last new entry.
            Case(
                logTerm: lastTerm, index: last, committed: last + 2, ents: [entry(4, 4)], wantLast: last + 1,
                wantCommit: last + 1),
            // Matching with an earlier entry, conflicting after it.
            Case(logTerm: 2, index: 2, committed: last, ents: [entry(4, 3)], wantLast: 3, wantCommit: 3),
            Case(logTerm: 2, index: 2, committed: last, ents: [entry(4, 3), entry(4, 4)], wantLast: 4, wantCommit: 3),
        ]
        for c in cases {
            var log = makeLog().0
            log.append(entries(terms: [1, 2, 3]))
            log.committed = commit
            let got = log.maybeAppend(index: c.index, logTerm: c.logTerm, committed: c.committed, entries: c.ents)
            #expect(got == c.wantLast, "\(c.logTerm)/\(c.index) \(c.ents)")
            #expect(log.committed == c.wantCommit, "\(c.logTerm)/\(c.index) \(c.ents)")
            if got != nil, !c.ents.isEmpty {
                #expect(Array(log.allEntries().suffix(c.ents.count)) == c.ents)
            }
        }
    }

    @Test func commitToNeverDecreases() {
        var log = makeLog().0
        log.append(entries(terms: [1, 2, 3]))
        log.committed = 2
        log.commitTo(3)
        #expect(log.committed == 3)
        log.commitTo(1)
        #expect(log.committed == 3)
    }

    @Test func maybeCommitOnlyOfTerm() {
        var log = makeLog().0
        log.append(entries(terms: [1, 2, 2]))
        let wrongTerm = log.maybeCommit(2, term: 1)
        #expect(!wrongTerm)
        let rightTerm = log.maybeCommit(2, term: 2)
        #expect(rightTerm)
        #expect(log.committed == 2)
        let backwards = log.maybeCommit(1, term: 1)
        #expect(!backwards)
    }

    @Test func termAcrossStorageAndUnstable() throws {
        var (log, _) = makeLog(stored: [1, 2], snapshot: (3, 1))
        log.append(entries(terms: [3, 3], from: 6))
        #expect(throws: RaftError.compacted) { try log.term(2) }
        #expect(try log.term(3) == 1)  // the dummy entry of the snapshot
        #expect(try log.term(4) == 1)
        #expect(try log.term(5) == 2)
        #expect(try log.term(7) == 3)
        #expect(try log.term(8) == 0)  // beyond the log
        #expect(log.firstIndex == 4)
        #expect(log.lastIndex == 7)
        #expect(log.lastStableIndex == 5)
    }

    @Test func sliceAcrossStorageAndUnstable() throws {
        var (log, _) = makeLog(stored: [1, 1, 1], snapshot: (2, 1))
        log.append(entries(terms: [2, 2, 2], from: 6))
        #expect(throws: RaftError.compacted) { try log.slice(2, 4, maxSize: .max) }
        #expect(try log.slice(3, 9, maxSize: .max).map(\.index) == [3, 4, 5, 6, 7, 8])
        #expect(try log.slice(4, 7, maxSize: .max).map(\.index) == [4, 5, 6])
        #expect(try log.slice(6, 6, maxSize: .max).isEmpty)
        // A size limit returns at least one entry.
        #expect(try log.slice(3, 9, maxSize: 0).map(\.index) == [3])
    }

    @Test func sliceLimitsBySize() throws {
        var log = makeLog().0
        log.append((1...5).map { Entry(term: 1, index: LogIndex(UInt64($0)), data: [UInt8](repeating: 0, count: 10)) })
        #expect(try log.slice(1, 6, maxSize: 25).count == 2)
        #expect(try log.slice(1, 6, maxSize: 30).count == 3)
        #expect(try log.slice(1, 6, maxSize: .max).count == 5)
    }

    @Test func stableToAndNextEntries() {
        var (log, storage) = makeLog()
        log.append(entries(terms: [1, 1, 2]))
        #expect(log.unstableEntries.count == 3)
        try! storage.append(log.unstableEntries)
        log.stableTo(3, term: 2)
        #expect(log.unstableEntries.isEmpty)
        #expect(log.unstable.offset == 4)
        // A stale stabilization (term mismatch) is ignored.
        log.append(entries(terms: [3], from: 4))
        log.stableTo(4, term: 2)
        #expect(log.unstableEntries.count == 1)
        log.commitTo(2)
        #expect(log.nextEntries().map(\.index) == [1, 2])
        log.appliedTo(2)
        #expect(log.nextEntries().isEmpty)
        #expect(!log.hasNextEntries)
    }

    @Test func restoreFromSnapshot() throws {
        var (log, _) = makeLog(stored: [1, 1, 1])
        log.restore(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1]), index: 10, term: 3)))
        #expect(log.committed == 10)
        #expect(log.firstIndex == 11)
        #expect(log.lastIndex == 10)
        #expect(try log.term(10) == 3)
        #expect(log.unstable.offset == 11)
        #expect(log.hasPendingSnapshot)
        #expect(log.lastStableIndex == 0)
    }
}
