import RaftTesting
import Testing

/// A fixed set of simulator seeds, run on every `swift test`. The per-seed work is smaller than
/// `raft-sim`'s default (shorter fault phase) so 200 seeds fit the suite's time budget; the
/// release-build `raft-sim --seeds 10000` covers long runs.
struct SimulatorSeedTests {
    static let options = SimulatorOptions(faultTicks: 60)
    static let seeds: [UInt64] = Array(1...200)

    @Test("seeded simulation keeps every invariant", arguments: seeds)
    func seed(_ seed: UInt64) {
        let result = Simulator(seed: seed, options: Self.options).run()
        #expect(
            result.violation == nil,
            "seed \(seed) [\(result.profile)]: \(result.violation!); reproduce: \(result.reproduction) --fault-ticks 60")
    }
}
