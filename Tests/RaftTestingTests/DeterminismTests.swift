import RaftTesting
import Testing

/// The determinism self-check: a run is a pure function of its seed.
struct DeterminismTests {
    @Test("the same seed twice gives the same trace hash", arguments: [UInt64(1), 7, 42, 1234])
    func sameSeedSameHash(_ seed: UInt64) {
        let options = SimulatorOptions(faultTicks: 60)
        let first = Simulator(seed: seed, options: options).run()
        let second = Simulator(seed: seed, options: options).run()
        #expect(first.traceHash == second.traceHash)
        #expect(first.stats.events == second.stats.events)
        #expect(Simulator.traceHash(seed: seed, options: options) == first.traceHash)
    }

    @Test("keeping the readable trace does not change the hash")
    func traceDoesNotPerturb() {
        var traced = SimulatorOptions(faultTicks: 40)
        traced.keepTrace = true
        let plain = SimulatorOptions(faultTicks: 40)
        let a = Simulator(seed: 5, options: traced).run()
        let b = Simulator(seed: 5, options: plain).run()
        #expect(a.traceHash == b.traceHash)
        #expect(!a.trace.isEmpty)
        #expect(b.trace.isEmpty)
    }

    @Test("different seeds give different runs")
    func differentSeeds() {
        let options = SimulatorOptions(faultTicks: 40)
        let hashes = Set((1...8).map { Simulator.traceHash(seed: UInt64($0), options: options) })
        #expect(hashes.count == 8)
    }

    @Test("FNV-1a/64 matches the published test vectors")
    func fnvVectors() {
        var empty = TraceHash()
        #expect(empty.value == 0xcbf2_9ce4_8422_2325)
        empty.combine("a")
        #expect(empty.value == 0xaf63_dc4c_8601_ec8c)
        var foobar = TraceHash()
        foobar.combine("foobar")
        #expect(foobar.value == 0x8594_4171_f739_67e8)
    }

    @Test("the generator is a pure function of its seed")
    func randomIsSeeded() {
        var a = SimulationRandom(seed: 9)
        var b = SimulationRandom(seed: 9)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
    }
}
