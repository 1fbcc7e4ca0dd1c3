import Testing

@testable import Raft

@Suite("UnstableLog") struct UnstableLogTests {
    private static let snapshot = Snapshot(metadata: SnapshotMetadata(index: 4, term: 1))

    @Test func firstAndLastIndex() {
        var u = UnstableLog(offset: 5)
        #expect(u.maybeFirstIndex() == nil)
        #expect(u.maybeLastIndex() == nil)
        u.entries = [entry(1, 5)]
        #expect(u.maybeFirstIndex() == nil)
        #expect(u.maybeLastIndex() == 5)
        u.snapshot = Self.snapshot
        #expect(u.maybeFirstIndex() == 5)
        #expect(u.maybeLastIndex() == 5)
        u.entries = []
        #expect(u.maybeLastIndex() == 4)
    }

    @Test func term() {
        var u = UnstableLog(offset: 5)
        u.entries = [entry(1, 5)]
        #expect(u.maybeTerm(5) == 1)
        #expect(u.maybeTerm(6) == nil)
        #expect(u.maybeTerm(4) == nil)
        u.snapshot = Self.snapshot
        #expect(u.maybeTerm(4) == 1)
        #expect(u.maybeTerm(3) == nil)
    }

    @Test func restore() {
        var u = UnstableLog(offset: 5)
        u.entries = [entry(1, 5)]
        let s = Snapshot(metadata: SnapshotMetadata(index: 6, term: 2))
        u.restore(s)
        #expect(u.offset == 7)
        #expect(u.entries.isEmpty)
        #expect(u.snapshot == s)
        u.stableSnapTo(5)
        #expect(u.snapshot != nil)
        u.stableSnapTo(6)
        #expect(u.snapshot == nil)
    }

    @Test func stableTo() {
        let cases:
            [(entries: [Entry], offset: LogIndex, index: LogIndex, term: Term, wantOffset: LogIndex, wantCount: Int)] =
                [
                    ([], 0, 5, 1, 0, 0),
                    ([entry(1, 5)], 5, 5, 1, 6, 0),
                    ([entry(1, 5), entry(1, 6)], 5, 5, 1, 6, 1),
                    ([entry(2, 6)], 6, 6, 1, 6, 1),  // term mismatch: ignored
                    ([entry(1, 5)], 5, 4, 1, 5, 1),  // below offset: ignored
                    ([entry(1, 5)], 5, 6, 1, 5, 1),  // beyond the end: ignored
                ]
        for c in cases {
            var u = UnstableLog(offset: c.offset)
            u.entries = c.entries
            u.stableTo(c.index, term: c.term)
            #expect(u.offset == c.wantOffset)
            #expect(u.entries.count == c.wantCount)
        }
    }

    @Test func truncateAndAppend() {
        let cases: [(append: [Entry], wantOffset: LogIndex, want: [Entry])] = [
            // Direct continuation.
            ([entry(1, 7), entry(1, 8)], 5, [entry(1, 5), entry(1, 6), entry(1, 7), entry(1, 8)]),
            // Replaces everything (starts at the offset).
            ([entry(2, 5), entry(2, 6)], 5, [entry(2, 5), entry(2, 6)]),
            // Starts before the offset.
            ([entry(2, 4), entry(2, 5)], 4, [entry(2, 4), entry(2, 5)]),
            // Truncates in the middle.
            ([entry(2, 6)], 5, [entry(1, 5), entry(2, 6)]),
        ]
        for c in cases {
            var u = UnstableLog(offset: 5)
            u.entries = [entry(1, 5), entry(1, 6)]
            u.truncateAndAppend(c.append)
            #expect(u.offset == c.wantOffset)
            #expect(u.entries == c.want)
        }
    }
}
