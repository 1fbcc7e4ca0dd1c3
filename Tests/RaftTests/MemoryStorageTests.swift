import Testing

@testable import Raft

@Suite("MemoryStorage") struct MemoryStorageTests {
    /// Storage with a dummy at 3/3 and entries 4/4, 5/5.
    private func storage() -> MemoryStorage {
        let s = MemoryStorage(voters: [1, 2, 3])
        try! s.applySnapshot(
            Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: 3, term: 3)))
        try! s.append([entry(4, 4), entry(5, 5)])
        return s
    }

    @Test func term() throws {
        let s = storage()
        #expect(throws: RaftError.compacted) { try s.term(2) }
        #expect(try s.term(3) == 3)
        #expect(try s.term(5) == 5)
        #expect(throws: RaftError.unavailable) { try s.term(6) }
    }

    @Test func entries() throws {
        let s = storage()
        try s.append([entry(6, 6)])
        #expect(throws: RaftError.compacted) { try s.entries(2, 6, maxSize: .max) }
        #expect(throws: RaftError.compacted) { try s.entries(3, 4, maxSize: .max) }
        #expect(try s.entries(4, 5, maxSize: .max) == [entry(4, 4)])
        #expect(try s.entries(4, 7, maxSize: .max).count == 3)
        #expect(throws: RaftError.unavailable) { try s.entries(4, 8, maxSize: .max) }
        #expect(try s.entries(4, 7, maxSize: 0).count == 1)
    }

    @Test func firstAndLastIndex() throws {
        let s = storage()
        #expect(try s.firstIndex() == 4)
        #expect(try s.lastIndex() == 5)
        try s.append([entry(5, 6)])
        #expect(try s.lastIndex() == 6)
    }

    @Test func compact() throws {
        let s = storage()
        #expect(throws: RaftError.compacted) { try s.compact(2) }
        #expect(throws: RaftError.compacted) { try s.compact(3) }
        try s.compact(4)
        #expect(try s.firstIndex() == 5)
        #expect(try s.term(4) == 4)
        try s.compact(5)
        #expect(try s.firstIndex() == 6)
        #expect(try s.lastIndex() == 5)
    }

    @Test func createSnapshot() throws {
        let s = storage()
        let cs = ConfState(voters: [1, 2])
        let snap = try s.createSnapshot(4, confState: cs, data: [7])
        #expect(snap.metadata == SnapshotMetadata(confState: cs, index: 4, term: 4))
        #expect(try s.snapshot() == snap)
        #expect(throws: RaftError.snapshotOutOfDate) { try s.createSnapshot(3, confState: nil, data: []) }
        s.snapshotTemporarilyUnavailable = true
        #expect(throws: RaftError.snapshotTemporarilyUnavailable) { try s.snapshot() }
    }

    @Test func appendTruncatesConflictsAndIgnoresCompacted() throws {
        let cases: [(append: [Entry], want: [Entry])] = [
            ([entry(4, 4), entry(5, 5)], [entry(4, 4), entry(5, 5)]),
            ([entry(4, 4), entry(6, 5), entry(6, 6)], [entry(4, 4), entry(6, 5), entry(6, 6)]),
            ([entry(4, 4), entry(5, 5), entry(5, 6)], [entry(4, 4), entry(5, 5), entry(5, 6)]),
            // Overlapping the compacted part: that part is ignored.
            ([entry(3, 2), entry(3, 3), entry(5, 4)], [entry(5, 4)]),
            ([entry(5, 4)], [entry(5, 4)]),
            ([entry(5, 6)], [entry(4, 4), entry(5, 5), entry(5, 6)]),
        ]
        for c in cases {
            let s = storage()
            try s.append(c.append)
            #expect(try s.entries(4, try s.lastIndex() + 1, maxSize: .max) == c.want)
        }
    }

    @Test func applySnapshotRejectsOlder() throws {
        let s = storage()
        #expect(throws: RaftError.snapshotOutOfDate) {
            try s.applySnapshot(Snapshot(metadata: SnapshotMetadata(index: 2, term: 2)))
        }
        try s.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1]), index: 9, term: 6)))
        #expect(try s.firstIndex() == 10)
        #expect(try s.lastIndex() == 9)
        #expect(try s.initialState().1 == ConfState(voters: [1]))
    }
}
