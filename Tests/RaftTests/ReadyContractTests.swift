import Testing

@testable import Raft

@Suite("Ready contract") struct ReadyContractTests {
    @Test("the leader's appends may leave before persisting; acknowledgements wait")
    func messagesVersusAfterPersist() {
        let net = cluster()
        try! net.node(1).propose(Array("p".utf8))
        let rd = net.node(1).ready()
        #expect(rd.entries.count == 1)
        #expect(rd.messages.map(\.type) == [.append, .append])
        #expect(rd.messagesAfterPersist.isEmpty)
        // The leader does not count its own entry until it is durable.
        #expect(net.raft(1).tracker.progress[1]!.match < rd.entries[0].index)
        try! net.storages[1]!.append(rd.entries)
        net.node(1).advance(rd)
        #expect(net.raft(1).tracker.progress[1]!.match == rd.entries[0].index)
        // The follower's acknowledgement waits for its persistence.
        try! net.node(2).step(rd.messages[0])
        let frd = net.node(2).ready()
        #expect(frd.entries.count == 1)
        #expect(frd.messages.isEmpty)
        #expect(frd.messagesAfterPersist.map(\.type) == [.appendResponse])
        #expect(frd.mustSync)
    }

    @Test("vote requests of a new term and vote grants wait for the hard state")
    func votesWaitForHardState() {
        let (n1, _) = makeNode(1, voters: [1, 2, 3]) { $0.preVote = false }
        let (n2, _) = makeNode(2, voters: [1, 2, 3]) { $0.preVote = false }
        try! n1.campaign()
        let rd = n1.ready()
        #expect(rd.hardState == HardState(term: 1, vote: 1, commit: 0))
        #expect(rd.messages.isEmpty)
        #expect(rd.messagesAfterPersist.map(\.type) == [.vote, .vote])
        try! n2.step(rd.messagesAfterPersist[0])
        let rd2 = n2.ready()
        #expect(rd2.hardState?.vote == 1)
        #expect(rd2.messagesAfterPersist.map(\.type) == [.voteResponse])
        #expect(rd2.messages.isEmpty)
    }

    @Test("a single member commits only after its Ready was persisted")
    func singleMemberCommitsAfterPersist() {
        let (node, storage) = makeNode(1, voters: [1])
        try! node.campaign()
        var applied: [Entry] = []
        node.persistAndApply(storage, applied: &applied)
        try! node.propose(Array("a".utf8))
        let rd = node.ready()
        #expect(rd.entries.map(\.data) == [Array("a".utf8)])
        #expect(!rd.committedEntries.contains { $0.data == Array("a".utf8) })
        try! storage.append(rd.entries)
        node.advance(rd)
        #expect(node.ready().committedEntries.map(\.data) == [Array("a".utf8)])
    }

    @Test("step refuses local messages and responses from unknown members")
    func stepValidation() {
        let (node, _) = makeNode(1, voters: [1, 2, 3])
        #expect(throws: RaftError.stepLocalMessage) { try node.step(Message(type: .hup, from: 1)) }
        #expect(throws: RaftError.stepPeerNotFound) {
            try node.step(Message(type: .appendResponse, to: 1, from: 9, term: 1))
        }
    }

    @Test("status lists progress sorted by id on the leader")
    func status() {
        let net = cluster()
        let s = net.node(1).status
        #expect(s.progress.map(\.0) == [1, 2, 3])
        #expect(s.softState.role == .leader)
        #expect(net.node(2).status.progress.isEmpty)
    }
}
