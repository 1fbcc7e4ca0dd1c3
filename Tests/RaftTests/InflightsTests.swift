import Testing

@testable import Raft

@Suite("Inflights") struct InflightsTests {
    @Test func addAndFreeByCount() {
        var inf = Inflights(capacity: 10)
        for i in 0..<5 { inf.add(LogIndex(UInt64(i)), bytes: 0) }
        #expect(inf.count == 5 && !inf.isFull)
        for i in 5..<10 { inf.add(LogIndex(UInt64(i)), bytes: 0) }
        #expect(inf.isFull)
        inf.freeLE(4)
        #expect(inf.count == 5 && !inf.isFull)
        inf.freeLE(8)
        #expect(inf.count == 1)
        // Freeing below the oldest is a no-op.
        inf.freeLE(3)
        #expect(inf.count == 1)
        inf.freeFirstOne()
        #expect(inf.count == 0)
        inf.freeFirstOne()
        #expect(inf.count == 0)
    }

    @Test func fullByBytes() {
        var inf = Inflights(capacity: 100, maxBytes: 100)
        inf.add(1, bytes: 40)
        inf.add(2, bytes: 40)
        #expect(!inf.isFull)
        #expect(inf.bytes == 80)
        inf.add(3, bytes: 30)  // may exceed: the window is full once the budget is spent
        #expect(inf.isFull)
        inf.freeLE(1)
        #expect(inf.bytes == 70 && !inf.isFull)
        inf.freeLE(3)
        #expect(inf.bytes == 0 && inf.count == 0)
    }

    @Test func reset() {
        var inf = Inflights(capacity: 2, maxBytes: 10)
        inf.add(1, bytes: 5)
        inf.add(2, bytes: 5)
        #expect(inf.isFull)
        inf.reset()
        #expect(inf.count == 0 && inf.bytes == 0 && !inf.isFull)
    }
}
