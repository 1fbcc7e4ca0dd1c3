import Testing

@testable import Raft

@Suite("Determinism") struct DeterminismTests {
    /// Runs a seeded scenario and returns every delivered message's description.
    private func run(seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        let net = Network([1, 2, 3, 4, 5]) { $0.randomSeed = $0.id.rawValue &* 31 &+ seed }
        for step in 0..<1500 {
            switch rng.next(below: 10) {
            case 0..<4: net.tick(NodeID(UInt64(1 + rng.next(below: 5))))
            case 4: try? net.node(NodeID(UInt64(1 + rng.next(below: 5)))).propose(Array("s\(step)".utf8))
            case 5: net.node(NodeID(UInt64(1 + rng.next(below: 5)))).readIndex(Array("r\(step)".utf8))
            default:
                for id in net.ids { net.process(id) }
                while !net.queue.isEmpty {
                    let m = net.queue.removeFirst()
                    if rng.next(below: 10) != 0 { net.deliver(m) }
                }
            }
        }
        return net.trace.map(\.description)
    }

    @Test("the same seed gives the same message trace")
    func sameSeedSameTrace() {
        let a = run(seed: 7)
        let b = run(seed: 7)
        #expect(a.count > 100)
        #expect(a == b)
        #expect(run(seed: 8) != a)
    }
}
