import Raft
import Testing

@testable import CairnServer

/// Random sequences of saves (with conflicting suffixes and received snapshots), local snapshots,
/// compactions and reopens, checked after every step against Raft's `MemoryStorage` as the model.
/// Small segments and a small cache make rollover, segment deletion and read-back frequent.
@Suite struct DurableLogModelTests {
    static let options = (segmentSize: Int64(4 << 10), cacheBytes: 2 << 10)

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func matchesMemoryStorage(seed: UInt64) throws {
        // Odd seeds fallocate their segments, even seeds zero-fill them.
        try withTemporaryDirectory { dir in
            var rng = SeededGenerator(seed: seed)
            let options = DurableLogOptions(
                segmentSize: Self.options.segmentSize, cacheBytes: Self.options.cacheBytes,
                zeroFillSegments: seed % 2 == 0)
            let model = MemoryStorage()
            var log = try DurableLog(directory: dir, options: options)
            var term: UInt64 = 1
            // What the sequence exercised, so that a change of generator cannot quietly test less.
            var conflicts = 0
            var droppedSegments = 0
            var readBacks = 0
            var reopens = 0
            for step in 0..<300 {
                let context = "seed \(seed) step \(step)"
                let first = try model.firstIndex()
                let last = try model.lastIndex()
                let snapshotIndex = try model.snapshot().metadata.index
                switch Int.random(in: 0..<100, using: &rng) {
                case 0..<60:
                    // Entries from anywhere after the snapshot and the compacted prefix up to the end:
                    // below the end it replaces a conflicting suffix.
                    let lowest = max(first, snapshotIndex + 1)
                    let start =
                        Bool.random(using: &rng) || lowest > last
                        ? last + 1 : LogIndex(UInt64.random(in: lowest.rawValue...last.rawValue + 1, using: &rng))
                    let previousTerm = try model.term(start - 1).rawValue
                    if Int.random(in: 0..<4, using: &rng) == 0 { term += 1 }
                    term = max(term, previousTerm)
                    let count = UInt64.random(in: 0...12, using: &rng)
                    let entries = (0..<count).map { offset in
                        Entry(
                            term: Term(term), index: start + offset,
                            type: offset % 7 == 3 ? .confChangeV2 : .normal,
                            data: (0..<Int.random(in: 0...300, using: &rng)).map { _ in
                                UInt8.random(in: 0...255, using: &rng)
                            })
                    }
                    let hardState =
                        Bool.random(using: &rng)
                        ? HardState(
                            term: Term(term), vote: NodeID(UInt64.random(in: 0...3, using: &rng)), commit: start - 1)
                        : nil
                    if start <= last && !entries.isEmpty { conflicts += 1 }
                    try log.save(entries: entries, hardState: hardState)
                    try model.append(entries)
                    if let hardState { model.setHardState(hardState) }
                case 60..<65:
                    // A snapshot from the leader, past the end of the log or inside it.
                    term += 1
                    let index = last + UInt64.random(in: 0...30, using: &rng)
                    guard index > snapshotIndex else { continue }
                    let snapshot = Snapshot(
                        data: [UInt8(step & 0xFF)],
                        metadata: SnapshotMetadata(
                            confState: ConfState(voters: [1, NodeID(UInt64(step % 5 + 2))]), index: index,
                            term: Term(term)))
                    let next = Entry(term: Term(term), index: index + 1, data: [1, 2, 3])
                    let hardState = HardState(term: Term(term), commit: index)
                    try log.save(entries: [next], hardState: hardState, snapshot: snapshot)
                    try model.applySnapshot(snapshot)
                    try model.append([next])
                    model.setHardState(hardState)
                case 65..<75:
                    guard last > snapshotIndex, last >= first - 1, max(snapshotIndex + 1, first - 1) <= last else {
                        continue
                    }
                    let index = LogIndex(
                        UInt64.random(in: max(snapshotIndex + 1, first - 1).rawValue...last.rawValue, using: &rng))
                    let data = [UInt8(step & 0xFF), 7]
                    let confState: ConfState? = Bool.random(using: &rng) ? ConfState(voters: [1, 2, 3]) : nil
                    let created = try log.createSnapshot(index, confState: confState, data: data)
                    let expected = try model.createSnapshot(index, confState: confState, data: data)
                    #expect(created == expected, "\(context)")
                case 75..<90:
                    guard last >= first else { continue }
                    let index = LogIndex(UInt64.random(in: first.rawValue...last.rawValue, using: &rng))
                    let segmentsBefore = log.segmentCount
                    try log.compact(index)
                    try model.compact(index)
                    if log.segmentCount < segmentsBefore { droppedSegments += 1 }
                default:
                    log.close()
                    log = try DurableLog(directory: dir, options: options)
                    #expect(log.recovery.tornTail == nil, "\(context)")
                    reopens += 1
                }
                if log.cacheFloor > 0 { readBacks += 1 }
                try expectEqual(log, model, context)
            }
            #expect(conflicts > 10 && droppedSegments > 3 && readBacks > 10 && reopens > 5)
            log.close()
            log = try DurableLog(directory: dir, options: options)
            try expectEqual(log, model, "seed \(seed) final reopen")
        }
    }

    func expectEqual(_ log: DurableLog, _ model: MemoryStorage, _ context: String) throws {
        let first = try model.firstIndex()
        let last = try model.lastIndex()
        #expect(try log.firstIndex() == first, "\(context)")
        #expect(try log.lastIndex() == last, "\(context)")
        #expect(try log.initialState() == model.initialState(), "\(context)")
        #expect(try log.snapshot() == model.snapshot(), "\(context)")
        for index in (first - 1).rawValue...last.rawValue {
            #expect(try log.term(LogIndex(index)) == model.term(LogIndex(index)), "\(context) term(\(index))")
        }
        if first.rawValue > 1 {
            #expect(throws: RaftError.compacted) { try log.term(first - 2) }
        }
        #expect(throws: RaftError.unavailable) { try log.term(last + 1) }
        if last >= first {
            #expect(
                try log.entries(first, last + 1, maxSize: .max) == model.entries(first, last + 1, maxSize: .max),
                "\(context)")
            let low = LogIndex((first.rawValue + last.rawValue) / 2)
            for maxSize: UInt64 in [0, 200, 1000] {
                #expect(
                    try log.entries(low, last + 1, maxSize: maxSize) == model.entries(low, last + 1, maxSize: maxSize),
                    "\(context) maxSize \(maxSize)")
            }
        }
    }
}
