import Dispatch
import MVCC
import Testing

@testable import CairnServer

/// Persisting does not wait for applying (DESIGN.md write path, step 5).
@Suite(.timeLimit(.minutes(1))) struct NodePipelineTests {
    @Test func logKeepsCommittingWhileTheApplierIsBlocked() async throws {
        try await withNodeDirectory { dir in
            let gate = DispatchSemaphore(value: 0)
            let batches = Counter()
            let node = try CairnNode(
                configuration: testConfiguration(1, peers: [1], directory: dir), transport: InProcessTransport(),
                clock: ManualClock(),
                eventsSink: { _ in
                    batches.add()
                    // Hold the applier inside its first batch with events.
                    if batches.count == 1 { gate.wait() }
                })
            defer {
                gate.signal()
                node.shutdown()
            }
            // Completes before the sink runs: waiters are completed first.
            _ = try await node.put(PutRequest(key: b("a"), value: b("1")))
            let appliedA = node.applier.appliedIndex
            let second = Task { try await node.put(PutRequest(key: b("b"), value: b("2"))) }
            var committed = false
            for _ in 0..<10_000 where !committed {
                await node.barrier()
                let status = await node.raftStatus()
                committed = status.hardState.commit.rawValue > appliedA
            }
            #expect(committed)  // b's entry was persisted and committed ...
            #expect(node.applier.appliedIndex == appliedA)  // ... while nothing more applied
            #expect(try node.store.state().appliedIndex == appliedA)
            gate.signal()
            let b2 = try await second.value
            #expect(b2.revision == 3)
        }
    }
}
