import Raft
import RaftTesting
import Testing

struct SimulatedDiskTests {
    func entries(_ range: ClosedRange<UInt64>, term: Term = 1) -> [Entry] {
        range.map { Entry(term: term, index: LogIndex($0), data: [UInt8($0)]) }
    }

    @Test("synced writes survive a crash")
    func syncedSurvive() throws {
        let disk = SimulatedDisk()
        disk.write(.entries(entries(1...3)))
        disk.write(.hardState(HardState(term: 1, vote: 1, commit: 2)))
        try disk.sync()
        var random = SimulationRandom(seed: 1)
        #expect(disk.crash(using: &random) == 0)
        let storage = try disk.recover()
        #expect(try storage.lastIndex() == 3)
        #expect(disk.durableHardState == HardState(term: 1, vote: 1, commit: 2))
    }

    @Test("a crash keeps a prefix of the unsynced writes and can tear an entries write")
    func crashTears() throws {
        var sawLoss = false
        var sawTear = false
        for seed in 1...200 {
            let disk = SimulatedDisk()
            disk.write(.entries(entries(1...2)))
            try disk.sync()
            disk.write(.entries(entries(3...10)))
            disk.write(.hardState(HardState(term: 1, vote: 0, commit: 10)))
            var random = SimulationRandom(seed: UInt64(seed))
            disk.crash(using: &random)
            let storage = try disk.recover()
            let last = try storage.lastIndex()
            #expect(last >= 2 && last <= 10)
            // The hard state is written after the entries, so it never survives without them.
            if disk.durableHardState.commit == 10 { #expect(last == 10) }
            if last == 2 { sawLoss = true }
            if last > 2 && last < 10 { sawTear = true }
        }
        #expect(sawLoss)
        #expect(sawTear)
    }

    @Test("a one-way partition blocks one direction only")
    func oneWayPartition() {
        let network = SimulatedNetwork()
        network.setBlocked(true, from: 1, to: 2)
        var random = SimulationRandom(seed: 3)
        network.send(Message(type: .heartbeat, to: 2, from: 1, term: 1), now: 0, random: &random)
        network.send(Message(type: .heartbeatResponse, to: 1, from: 2, term: 1), now: 0, random: &random)
        let delivered = network.deliverable(now: 10)
        #expect(delivered.map(\.type) == [.heartbeatResponse])
        #expect(network.dropped == 1)
    }

    @Test("duplication and delays reorder and repeat messages")
    func duplicationAndReordering() {
        let network = SimulatedNetwork()
        network.faults.duplication = 1
        network.faults.delay = 1...20
        var random = SimulationRandom(seed: 11)
        for index in 1...20 {
            network.send(
                Message(type: .append, to: 2, from: 1, term: 1, index: LogIndex(UInt64(index))), now: 0, random: &random
            )
        }
        let delivered = network.deliverable(now: 100).map(\.index.rawValue)
        #expect(delivered.count == 40)
        #expect(delivered != delivered.sorted())
    }
}
