extension Raft {
    /// The leader's side of leadership transfer (thesis §3.10): catch the transferee up, then
    /// tell it to campaign at once with `timeoutNow`.
    func handleTransferLeader(_ m: Message) {
        let transferee = m.from
        // Only voters can lead.
        guard let pr = tracker.progress[transferee], !pr.isLearner else { return }
        if leadTransferee != .none {
            if leadTransferee == transferee { return }  // Already transferring to it.
            abortLeaderTransfer()
        }
        if transferee == id { return }  // Already the leader.
        // The transfer must finish within an election timeout (checked in tickHeartbeat).
        electionElapsed = 0
        leadTransferee = transferee
        if pr.match == raftLog.lastIndex {
            sendTimeoutNow(to: transferee)
        } else {
            // Catch the lagging transferee up first; `handleAppendResponse` sends timeoutNow
            // once it matches.
            sendAppend(to: transferee)
        }
    }

    func sendTimeoutNow(to: NodeID) {
        send(Message(type: .timeoutNow, to: to))
    }
}
