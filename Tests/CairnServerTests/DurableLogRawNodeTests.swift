import Raft
import Testing

@testable import CairnServer

/// A single-member cluster whose RawNode runs directly on a DurableLog.
@Suite struct DurableLogRawNodeTests {
    /// Drives `node` until it has nothing more to do: persists each Ready into `log` (one save),
    /// collects its committed entries, advances.
    func drive(_ node: RawNode, _ log: DurableLog, applied: inout [Entry]) throws {
        while node.hasReady {
            let ready = node.ready()
            try log.save(
                entries: ready.entries, hardState: ready.hardState, snapshot: ready.snapshot, sync: ready.mustSync)
            applied += ready.committedEntries
            node.advance(ready)
        }
    }

    @Test func committedEntriesSurviveAReopen() throws {
        try withTemporaryDirectory { dir in
            let proposals: [[UInt8]] = [Array("alpha".utf8), Array("beta".utf8), Array("gamma".utf8)]
            var applied: [Entry] = []
            var lastProposalIndex: LogIndex = 0
            do {
                let log = try DurableLog(directory: dir, options: smallSegments)
                try log.bootstrap(confState: ConfState(voters: [1]))
                let node = try RawNode(config: Config(id: 1, randomSeed: 7), storage: log)
                try node.campaign()
                try drive(node, log, applied: &applied)
                #expect(node.basicStatus.softState.role == .leader)
                for data in proposals {
                    try node.propose(data)
                    try drive(node, log, applied: &applied)
                }
                #expect(applied.filter { !$0.data.isEmpty }.map(\.data) == proposals)
                lastProposalIndex = applied.last!.index
                #expect(log.hardState.commit == lastProposalIndex)
                log.close()
            }

            let log = try DurableLog(directory: dir, options: smallSegments)
            #expect(log.hardState.commit == lastProposalIndex)
            #expect(log.hardState.term == 1)
            #expect(log.hardState.vote == 1)
            let stored = try allEntries(log)
            #expect(stored.map(\.index) == Array(1...lastProposalIndex.rawValue).map { LogIndex($0) })
            #expect(stored.filter { !$0.data.isEmpty }.map(\.data) == proposals)

            // The restarted member (applied up to its commit) wins a new election and keeps going.
            var config = Config(id: 1, randomSeed: 8)
            config.applied = log.hardState.commit
            let node = try RawNode(config: config, storage: log)
            try node.campaign()
            var appliedAfterRestart: [Entry] = []
            try drive(node, log, applied: &appliedAfterRestart)
            try node.propose(Array("delta".utf8))
            try drive(node, log, applied: &appliedAfterRestart)
            #expect(appliedAfterRestart.last?.data == Array("delta".utf8))
            #expect(node.basicStatus.hardState.term == 2)
            log.close()
            let reopened = try DurableLog(directory: dir, options: smallSegments)
            #expect(try allEntries(reopened).last?.data == Array("delta".utf8))
        }
    }
}
