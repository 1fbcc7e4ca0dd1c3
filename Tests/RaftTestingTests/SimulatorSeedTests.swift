import RaftTesting
import Testing

/// A fixed set of simulator seeds, run on every `swift test` with `raft-sim`'s default per-seed work
/// (300 fault ticks, heal bound 500 ticks). Seeds that fail because of known core bugs are listed
/// in docs/benchmarks/raft.md and left out here; `raft-sim --seeds 10000` covers the long runs.
struct SimulatorSeedTests {
    static let options = SimulatorOptions()
    static let seeds: [UInt64] = Array(1...200)

    @Test("seeded simulation keeps every invariant", arguments: seeds)
    func seed(_ seed: UInt64) {
        let result = Simulator(seed: seed, options: Self.options).run()
        #expect(
            result.violation == nil,
            "seed \(seed) [\(result.profile)]: \(result.violation!); reproduce: \(result.reproduction)")
    }
}
