import Testing

@testable import Raft

@Suite("Asynchronous Readys") struct AsyncReadyTests {
    @Test("several Readys may be in flight; each hands out only what the previous ones did not")
    func readysInFlight() {
        let net = cluster()
        let leader = net.node(1)
        let storage = net.storages[1]!
        try! leader.propose(Array("a".utf8))
        let rd1 = leader.ready()
        #expect(rd1.entries.map(\.data) == [Array("a".utf8)])
        try! leader.propose(Array("b".utf8))
        let rd2 = leader.ready()
        // Only the new entry, not "a" again.
        #expect(rd2.entries.map(\.data) == [Array("b".utf8)])
        #expect(!leader.hasReady)
        // Followers acknowledge both; the leader persists in order.
        for m in rd1.messages + rd2.messages { try! net.node(m.to).step(m) }
        for id: NodeID in [2, 3] { net.process(id) }
        for m in net.queue where m.to == 1 { try! leader.step(m) }
        net.queue.removeAll { $0.to == 1 }
        try! storage.append(rd1.entries)
        leader.advance(rd1)
        try! storage.append(rd2.entries)
        leader.advance(rd2)
        // Committed entries are handed out once, even with another Ready in flight.
        let rd3 = leader.ready()
        #expect(rd3.committedEntries.map(\.data) == [Array("a".utf8), Array("b".utf8)])
        let rd4 = leader.ready()
        #expect(rd4.committedEntries.isEmpty)
        leader.advance(rd3)
        leader.advance(rd4)
        #expect(net.raft(1).raftLog.applied == rd3.committedEntries.last!.index)
    }

    @Test("a later Ready holds its messages while an earlier term change is not yet persisted")
    func laterReadyWaitsForEarlierTermChange() {
        let (n1, _) = makeNode(1, voters: [1, 2, 3]) { $0.preVote = false }
        try! n1.campaign()
        let rd1 = n1.ready()
        #expect(rd1.messagesAfterPersist.map(\.type) == [.vote, .vote])
        // Elected before rd1 is persisted: the leader's appends must still wait.
        try! n1.step(Message(type: .voteResponse, to: 1, from: 2, term: 1))
        let rd2 = n1.ready()
        #expect(rd2.hardState == nil)
        #expect(rd2.messages.isEmpty)
        #expect(rd2.messagesAfterPersist.map(\.type) == [.append, .append])
    }
}
