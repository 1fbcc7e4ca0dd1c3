import Testing

@testable import Raft

@Suite("Configuration") struct ConfigTests {
    @Test func validation() {
        func invalid(_ change: (inout Config) -> Void) -> Bool {
            var c = Config(id: 1, randomSeed: 1)
            change(&c)
            do {
                try c.validate()
                return false
            } catch {
                return true
            }
        }
        #expect(!invalid { _ in })
        #expect(invalid { $0.id = .none })
        #expect(invalid { $0.heartbeatTick = 0 })
        #expect(invalid { $0.electionTick = 1 })
        #expect(invalid { $0.maxInflightMsgs = 0 })
        #expect(invalid { $0.maxInflightBytes = 10 })
    }

    @Test("restart with an applied index beyond the commit index is refused; below the snapshot is fine")
    func appliedIndex() throws {
        let storage = MemoryStorage(voters: [1])
        try storage.applySnapshot(
            Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1]), index: 10, term: 2)))
        storage.setHardState(HardState(term: 2, commit: 10))
        var config = Config(id: 1, randomSeed: 1)
        config.applied = 5
        let node = try RawNode(config: config, storage: storage)
        #expect(node.basicStatus.applied == 10)
        config.applied = 11
        #expect(throws: RaftError.self) { try RawNode(config: config, storage: storage) }
    }
}
