import Raft
import RaftTesting
import Testing

/// The simulator drives an application's own state machine through `SimulatorOptions`.
struct StateMachineTests {
    /// A tiny application: counts applied client writes and sums their bytes.
    struct Counter: SimulatedStateMachine {
        var writes: UInt64 = 0
        var bytes: UInt64 = 0

        mutating func apply(_ entry: Entry) {
            guard entry.type == .normal, !entry.data.isEmpty else { return }
            writes += 1
            bytes += entry.data.reduce(0) { $0 + UInt64($1) }
        }

        func snapshot() -> [UInt8] {
            (0..<8).map { UInt8(truncatingIfNeeded: writes >> (8 * UInt64($0))) }
                + (0..<8).map { UInt8(truncatingIfNeeded: bytes >> (8 * UInt64($0))) }
        }

        mutating func restore(from snapshot: [UInt8]) {
            guard snapshot.count == 16 else {
                self = Counter()
                return
            }
            func word(_ offset: Int) -> UInt64 {
                (0..<8).reduce(0) { $0 | (UInt64(snapshot[offset + $1]) << (8 * UInt64($1))) }
            }
            writes = word(0)
            bytes = word(8)
        }

        var fingerprint: UInt64 { writes &* 0x9E37_79B9_7F4A_7C15 ^ bytes }
    }

    /// An application bug: its state depends on which replica applies the entry.
    struct Divergent: SimulatedStateMachine {
        var value: UInt64 = 0
        let salt: UInt64

        mutating func apply(_ entry: Entry) { value = value &+ entry.index.rawValue &* salt }
        func snapshot() -> [UInt8] { [] }
        mutating func restore(from snapshot: [UInt8]) { value = 0 }
        var fingerprint: UInt64 { value }
    }

    /// Hands each new replica a different salt. Unsynchronized: one simulator creates its machines
    /// on one thread, and each test owns its own source.
    final class SaltSource: @unchecked Sendable {
        private var count: UInt64 = 1
        func next() -> UInt64 {
            count += 1
            return count
        }
    }

    @Test("a deterministic application state machine passes the simulator", arguments: [UInt64(3), 11, 42])
    func counterPasses(_ seed: UInt64) {
        var options = SimulatorOptions(faultTicks: 100)
        options.makeStateMachine = { Counter() }
        let result = Simulator(seed: seed, options: options).run()
        #expect(result.violation == nil, "\(String(describing: result.violation))")
        #expect(result.stats.acknowledgedWrites > 0)
    }

    @Test("a state machine that diverges between replicas is caught")
    func divergenceIsCaught() {
        var options = SimulatorOptions(faultTicks: 100)
        let salts = SaltSource()
        options.makeStateMachine = { Divergent(salt: salts.next()) }
        // Seed 2 draws a multi-member cluster.
        let result = Simulator(seed: 2, options: options).run()
        #expect(result.violation?.invariant == .appliedPrefixAgreement, "\(String(describing: result.violation))")
    }
}
