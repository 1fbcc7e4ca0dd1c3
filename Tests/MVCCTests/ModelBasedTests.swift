import Foundation
import Testing

@testable import MVCC

/// Random operation sequences against the LMDB store and against `StoreModel`; every response,
/// event, error and the bookkeeping must be equal. Each sequence is seeded and repeatable: a
/// failure names its seed and step.
@Suite struct ModelBasedTests {
    static let sequencesPerChunk = 150
    static let chunks = Array(0..<20)

    @Test(arguments: chunks) func randomSequencesMatchTheModel(chunk: Int) throws {
        for i in 0..<Self.sequencesPerChunk {
            let seed = UInt64(chunk * Self.sequencesPerChunk + i) &* 0x9E37_79B9 &+ 12345
            try runSequence(seed: seed, steps: 40)
        }
    }

    /// Reruns the one sequence named by `MVCC_SEED` (printed by a failure):
    /// `MVCC_SEED=<seed> swift test --filter replayOneSeed`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MVCC_SEED"] != nil))
    func replayOneSeed() throws {
        let seed = try #require(ProcessInfo.processInfo.environment["MVCC_SEED"].flatMap { UInt64($0) })
        try runSequence(seed: seed, steps: 40)
    }

    /// Replays one sequence; call with a seed printed by a failure to reproduce it.
    func runSequence(seed: UInt64, steps: Int) throws {
        var rng = SplitMix64(seed: seed)
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let maxOps = 4
        // Four ways to compact, by seed: in the batch through the keys written since the last
        // compaction, or by a pass over the whole index; or in slices of 1 or 3 revisions per batch.
        var configuration = testConfiguration(maxTxnOps: maxOps)
        switch seed % 4 {
        case 0: configuration.fullScanFactor = 0
        case 1: configuration.fullScanFactor = 1 << 20
        case 2: configuration.compactionSliceRevisions = 1
        default: configuration.compactionSliceRevisions = 3
        }
        var store: MVCCStore? = try MVCCStore(path: dir.path, configuration: configuration)
        var model = StoreModel(maxTxnOps: maxOps)
        // The twin gets the same operations one per batch: equal history, so equal HashKV.
        let twinDir = TemporaryDirectory()
        defer { twinDir.remove() }
        let twin = try MVCCStore(path: twinDir.path, configuration: testConfiguration(maxTxnOps: maxOps))
        var twinIndex: UInt64 = 0
        var log: [Event] = []
        var generator = OperationGenerator()
        var index: UInt64 = 0

        for step in 0..<steps {
            let where_ = "seed \(seed) step \(step) (rerun: MVCC_SEED=\(seed) swift test --filter replayOneSeed)"
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<55:
                // A batch of 1-4 writes.
                let ops = (0..<Int.random(in: 1...4, using: &rng)).map { _ in generator.operation(&rng, model) }
                index += 1
                let got = try store!.apply(ops, index: index)
                let want = ops.map { model.apply($0) }
                model.applied = index
                log += want.flatMap(\.events)
                for op in ops {
                    twinIndex += 1
                    _ = try twin.apply([op], index: twinIndex)
                }
                if !expectEqual(got?.results, want, "\(where_): \(brief(ops))") { return }
                #expect(got?.revision == model.current, "\(where_)")
            case 55..<85:
                let request = generator.range(&rng, model)
                let got = Result { () throws(MVCCError) in try store!.range(request) }
                let want: Result<RangeResponse, MVCCError> =
                    request.key.isEmpty ? .failure(.emptyKey) : model.range(request, current: model.current)
                if !expectEqual(got, want, "\(where_): \(brief(request))") { return }
            case 85..<88:
                // A read-only txn served from a read transaction, as etcd serves it without Raft.
                let request = generator.readOnlyTxn(&rng, model, depth: 0)
                let got = Result { () throws(MVCCError) in try store!.readOnlyTxn(request) }
                var scratch = model
                let want = scratch.apply(.txn(request)).response.map { response -> TxnResponse in
                    guard case .txn(let txn) = response else { fatalError("not a txn response") }
                    return txn
                }
                if !expectEqual(got, want, "\(where_): \(brief(request))") { return }
            case 88..<90:
                // Replaying an applied batch is a no-op.
                let replay = UInt64.random(in: 0...index, using: &rng)
                let got = try store!.apply([generator.operation(&rng, model)], index: replay)
                #expect(got == nil, "\(where_)")
            case 90..<95:
                store = nil  // close before reopening: LMDB forbids two handles in one process
                store = try MVCCStore(path: dir.path, configuration: configuration)
            default:
                // Some background compaction work, and lease bookkeeping.
                try store!.compactPending(limit: 2)
                let leases = try store!.leases()
                #expect(
                    leases
                        == model.leases.keys.sorted { UInt64(bitPattern: $0) < UInt64(bitPattern: $1) }
                        .map { Lease(id: $0, ttl: model.leases[$0]!) }, "\(where_)")
                for id in model.leases.keys {
                    #expect(try store!.keys(attachedTo: id) == model.attached(id), "\(where_) lease \(id)")
                }
            }
            let state = try store!.state()
            #expect(
                state
                    == MVCCStore.State(
                        appliedIndex: model.applied, currentRevision: model.current, compactRevision: model.compact),
                "\(where_)")
        }
        // A final full scan at every readable revision, and equal hashes with the twin.
        let state = try store!.state()
        try checkHistory(store!, model, log, seed: seed)
        #expect(try twin.state().currentRevision == state.currentRevision, "seed \(seed) twin")
        let hashBeforeDrain = try store!.hashKV()
        try store!.compactPending(limit: .max)
        #expect(try !store!.compactionIsPending())
        #expect(try store!.hashKV() == hashBeforeDrain, "seed \(seed) drain changed the hash")
        // Drained, both hold exactly the same records.
        for db in [store!.dbs.rev, store!.dbs.index, store!.dbs.leaseKeys] {
            let mine = try store!.environment.read { txn in try txn.statistics(db).entries }
            let theirs = try twin.environment.read { txn in try txn.statistics(db).entries }
            #expect(mine == theirs, "seed \(seed) physical entries differ after drain")
        }
        for revision in stride(from: max(state.compactRevision + 1, 1), through: state.currentRevision, by: 1) {
            #expect(
                try store!.hashKV(revision: revision) == twin.hashKV(revision: revision),
                "seed \(seed) hash at \(revision)")
        }
        for revision in max(state.compactRevision, 1)...state.currentRevision {
            let request = RangeRequest(key: [0], rangeEnd: [0], revision: revision)
            #expect(
                try store!.range(request) == model.range(request, current: model.current).get(),
                "seed \(seed) final rev \(revision)")
        }
    }
}

extension ModelBasedTests {
    /// History read back in pages of 3 revisions equals the events the model produced after the
    /// compact revision, with prevKV present only where its revision survived compaction.
    func checkHistory(_ store: MVCCStore, _ model: StoreModel, _ log: [Event], seed: UInt64) throws {
        let from = max(model.compact, 1)
        func survives(_ kv: KeyValue, tombstone: Bool) -> Bool {
            kv.modRevision > model.compact
                || (!tombstone && model.kv(kv.key, at: model.compact)?.modRevision == kv.modRevision)
        }
        let expected = log.filter { $0.kv.modRevision >= from && survives($0.kv, tombstone: $0.kind == .delete) }
            .map { event -> Event in
                var event = event
                if let prev = event.prevKV, !survives(prev, tombstone: false) { event.prevKV = nil }
                return event
            }
        var got: [Event] = []
        var next = from
        while next <= model.current {
            let batch = try store.history(from: next, maxRevisions: 3)
            got += batch.events
            #expect(batch.throughRevision >= next || batch.events.isEmpty, "seed \(seed)")
            next = batch.throughRevision + 1
        }
        #expect(got == expected, "seed \(seed) history from \(from)")
        if model.compact > 1 {
            #expect(throws: MVCCError.compacted) { try store.history(from: model.compact - 1) }
        }
    }
}

/// Random requests over a small key space that mixes short keys and long (bucketed) keys.
struct OperationGenerator {
    static let longPrefix = [UInt8](repeating: 0x6B, count: 500)
    let keys: [[UInt8]] =
        ["a", "b", "ba", "c", "d"].map { Array($0.utf8) }
        + [
            [0x62, 0], Array(longPrefix[0..<480]), longPrefix + [1], longPrefix + [2], longPrefix, longPrefix + [1, 0],
        ]

    func key(_ rng: inout SplitMix64) -> [UInt8] { keys.randomElement(using: &rng)! }

    func rangeEnd(_ rng: inout SplitMix64, _ key: [UInt8]) -> [UInt8] {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<4: return []
        case 4: return [0]
        case 5: return Array(key.dropLast()) + [key.last! &+ 1]  // prefix-ish
        default: return self.key(&rng)  // may be <= key: empty range
        }
    }

    /// Small values, and now and then one that takes LMDB overflow pages (and grows the map).
    static let bigValue = [UInt8](repeating: 3, count: 9000)

    func value(_ rng: inout SplitMix64) -> [UInt8] {
        [[], [1], [2], [1, 1], [9], Self.bigValue].randomElement(using: &rng)!
    }

    func lease(_ rng: inout SplitMix64) -> Int64 {
        [0, 0, 0, 1, 2, -3, 77].randomElement(using: &rng)!
    }

    func revision(_ rng: inout SplitMix64, _ model: StoreModel) -> Int64 {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return 0
        case 1: return Int64.random(in: -1...(model.current + 1), using: &rng)
        default: return Int64.random(in: max(model.compact - 1, 0)...model.current, using: &rng)
        }
    }

    func range(_ rng: inout SplitMix64, _ model: StoreModel) -> RangeRequest {
        let k = Int.random(in: 0..<40, using: &rng) == 0 ? [] : key(&rng)
        let targets: [RangeRequest.SortTarget] = [.key, .key, .version, .create, .mod, .value]
        let orders: [RangeRequest.SortOrder] = [.none, .none, .ascend, .descend]
        func maybe(_ v: Int64) -> Int64 { Bool.random(using: &rng) && Bool.random(using: &rng) ? v : 0 }
        return RangeRequest(
            key: k, rangeEnd: k.isEmpty ? [] : rangeEnd(&rng, k),
            limit: [0, 0, 1, 2, 3, -1].randomElement(using: &rng)!,
            revision: revision(&rng, model), sortOrder: orders.randomElement(using: &rng)!,
            sortTarget: targets.randomElement(using: &rng)!, keysOnly: Int.random(in: 0..<5, using: &rng) == 0,
            countOnly: Int.random(in: 0..<8, using: &rng) == 0,
            minModRevision: maybe(Int64.random(in: 1...(model.current + 1), using: &rng)),
            maxModRevision: maybe(Int64.random(in: 1...(model.current + 1), using: &rng)),
            minCreateRevision: maybe(Int64.random(in: 1...(model.current + 1), using: &rng)),
            maxCreateRevision: maybe(Int64.random(in: 1...(model.current + 1), using: &rng)))
    }

    func put(_ rng: inout SplitMix64) -> PutRequest {
        var p = PutRequest(key: key(&rng), value: value(&rng), lease: lease(&rng), prevKV: Bool.random(using: &rng))
        switch Int.random(in: 0..<12, using: &rng) {
        case 0:
            p.ignoreValue = true
            if Bool.random(using: &rng) { p.value = [] }
        case 1:
            p.ignoreLease = true
            if Bool.random(using: &rng) { p.lease = 0 }
        case 2: p.key = []
        default: break
        }
        return p
    }

    func delete(_ rng: inout SplitMix64) -> DeleteRangeRequest {
        let k = key(&rng)
        return DeleteRangeRequest(key: k, rangeEnd: rangeEnd(&rng, k), prevKV: Bool.random(using: &rng))
    }

    func compare(_ rng: inout SplitMix64, _ model: StoreModel) -> Compare {
        let k = key(&rng)
        let targets: [Compare.Target] = [
            .version(Int64.random(in: 0...3, using: &rng)),
            .createRevision(Int64.random(in: 0...model.current, using: &rng)),
            .modRevision(Int64.random(in: 0...model.current, using: &rng)), .value(value(&rng)),
            .lease(lease(&rng)),
        ]
        let results: [Compare.Result] = [.equal, .greater, .less, .notEqual]
        return Compare(
            key: k, rangeEnd: Int.random(in: 0..<4, using: &rng) == 0 ? rangeEnd(&rng, k) : [],
            target: targets.randomElement(using: &rng)!, result: results.randomElement(using: &rng)!)
    }

    func requestOp(_ rng: inout SplitMix64, _ model: StoreModel, depth: Int) -> RequestOp {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<3: return .range(range(&rng, model))
        case 3..<6:
            var p = put(&rng)
            if p.key.isEmpty { p.key = key(&rng) }
            return .put(p)
        case 6..<8: return .deleteRange(delete(&rng))
        default:
            if depth > 1 { return .range(range(&rng, model)) }
            return .txn(txn(&rng, model, depth: depth + 1))
        }
    }

    func readOnlyTxn(_ rng: inout SplitMix64, _ model: StoreModel, depth: Int) -> TxnRequest {
        func op() -> RequestOp {
            depth < 1 && Int.random(in: 0..<4, using: &rng) == 0
                ? .txn(readOnlyTxn(&rng, model, depth: depth + 1)) : .range(range(&rng, model))
        }
        return TxnRequest(
            compare: (0..<Int.random(in: 0...2, using: &rng)).map { _ in compare(&rng, model) },
            success: (0..<Int.random(in: 0...3, using: &rng)).map { _ in op() },
            failure: (0..<Int.random(in: 0...3, using: &rng)).map { _ in op() })
    }

    func txn(_ rng: inout SplitMix64, _ model: StoreModel, depth: Int) -> TxnRequest {
        // Up to 5 per list with maxTxnOps 4, so "too many operations" comes up too.
        TxnRequest(
            compare: (0..<Int.random(in: 0...2, using: &rng)).map { _ in compare(&rng, model) },
            success: (0..<Int.random(in: 0...(depth == 0 ? 5 : 2), using: &rng)).map { _ in
                requestOp(&rng, model, depth: depth)
            },
            failure: (0..<Int.random(in: 0...(depth == 0 ? 3 : 2), using: &rng)).map { _ in
                requestOp(&rng, model, depth: depth)
            })
    }

    mutating func operation(_ rng: inout SplitMix64, _ model: StoreModel) -> WriteOperation {
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<35: return .put(put(&rng))
        case 35..<50: return .deleteRange(delete(&rng))
        case 50..<80: return .txn(txn(&rng, model, depth: 0))
        case 80..<88:
            return .compact(
                CompactionRequest(revision: Int64.random(in: (model.compact - 1)...(model.current + 1), using: &rng)))
        case 88..<95:
            return .leaseGrant(
                LeaseGrantRequest(
                    id: [1, 2, -3, 0].randomElement(using: &rng)!,
                    ttl: [10, 60, 9_000_000_001].randomElement(using: &rng)!))
        default:
            return .leaseRevoke(LeaseRevokeRequest(id: [1, 2, -3, 5].randomElement(using: &rng)!))
        }
    }
}
