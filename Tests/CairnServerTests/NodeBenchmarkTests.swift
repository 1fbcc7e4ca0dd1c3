import Foundation
import MVCC
import Testing

@testable import CairnServer

/// Single-member put throughput with 1, 16 and 256 concurrent writers, on the real clock and a
/// real disk. Run by hand only (it measures, it checks nothing):
/// `CAIRN_MEMBER_BENCH=1 swift test --skip-build --filter NodeBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CAIRN_MEMBER_BENCH"] == "1"))
struct NodeBenchmarkTests {
    @Test func singleMemberPutsPerSecond() async throws {
        for writers in [1, 16, 256] {
            try await withNodeDirectory { dir in
                let syncs = Counter()
                var config = testConfiguration(1, peers: [1], directory: dir)
                config.logSegmentSize = 64 << 20
                config.logZeroFill = true
                config.storeMapSize = 1 << 30
                config.logSyncObserver = { if $0 == .data { syncs.add() } }
                let node = try CairnNode(configuration: config, transport: InProcessTransport())
                defer { node.shutdown() }
                let perWriter = max(200, 4000 / writers)
                let value = [UInt8](repeating: 0x61, count: 256)
                let start = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for w in 0..<writers {
                        group.addTask {
                            for i in 0..<perWriter {
                                _ = try await node.put(PutRequest(key: b("w\(w)/\(i % 100)"), value: value))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let puts = writers * perWriter
                print(
                    "writers=\(writers) puts=\(puts) seconds=\(String(format: "%.2f", seconds)) "
                        + "puts/s=\(Int(Double(puts) / seconds)) fsyncs=\(syncs.count) "
                        + "storeTxns=\(node.applier.transactionCount)")
            }
        }
    }
}
