/// Computes new configurations from configuration changes, validating them (mirrors
/// etcd-io/raft's `confchange.Changer`). Works on copies: the tracker is only updated by the
/// caller once a change is valid.
struct Changer {
    /// The current (applied) configuration and progress.
    var config: TrackerConfig
    var progress: [NodeID: Progress]
    /// Inflights for new members.
    let newInflights: Inflights
    /// The leader's last index: new members are probed from there.
    let lastIndex: LogIndex

    typealias Result = (config: TrackerConfig, progress: [NodeID: Progress])

    /// Enters a joint configuration: the current voters become the outgoing half and the changes
    /// are applied to the incoming half (thesis §4.3).
    func enterJoint(autoLeave: Bool, _ changes: [ConfChangeSingle]) throws(RaftError) -> Result {
        var (cfg, prs) = try checkAndCopy()
        if cfg.voters.isJoint { throw .invalidConfChange("config is already joint") }
        if cfg.voters.incoming.ids.isEmpty {
            // Adding members to an empty configuration is allowed (bootstrap), entering a joint
            // configuration from one is not.
            throw .invalidConfChange("can't make a zero-voter config joint")
        }
        cfg.voters.outgoing = cfg.voters.incoming
        try apply(&cfg, &prs, changes)
        cfg.autoLeave = autoLeave
        return try checkAndReturn(cfg, prs)
    }

    /// Leaves a joint configuration: the outgoing half is dropped, staged learners become learners
    /// and members in neither half are forgotten.
    func leaveJoint() throws(RaftError) -> Result {
        var (cfg, prs) = try checkAndCopy()
        if !cfg.voters.isJoint { throw .invalidConfChange("can't leave a non-joint config") }
        for id in cfg.learnersNext.sorted() {
            cfg.learners.insert(id)
            prs[id]?.isLearner = true
        }
        cfg.learnersNext = []
        for id in cfg.voters.outgoing.sorted {
            if !cfg.voters.incoming.ids.contains(id) && !cfg.learners.contains(id) {
                prs[id] = nil
            }
        }
        cfg.voters.outgoing = MajorityConfig()
        cfg.autoLeave = false
        return try checkAndReturn(cfg, prs)
    }

    /// Applies changes in one step; at most one voter may change (thesis §4.1: a single-server
    /// change keeps every majority of the old configuration overlapping every one of the new).
    func simple(_ changes: [ConfChangeSingle]) throws(RaftError) -> Result {
        var (cfg, prs) = try checkAndCopy()
        if cfg.voters.isJoint { throw .invalidConfChange("can't apply simple config change in joint config") }
        try apply(&cfg, &prs, changes)
        let before = config.voters.incoming.ids
        let after = cfg.voters.incoming.ids
        if before.symmetricDifference(after).count > 1 {
            throw .invalidConfChange("more than one voter changed without entering joint config")
        }
        return try checkAndReturn(cfg, prs)
    }

    /// Builds the configuration described by a `ConfState` from the empty one (restoring a
    /// snapshot or starting up), by replaying equivalent changes.
    func restore(_ cs: ConfState) throws(RaftError) -> Result {
        var outgoing: [ConfChangeSingle] = []
        var incoming: [ConfChangeSingle] = []
        for id in cs.votersOutgoing { outgoing.append(.init(type: .addNode, nodeID: id)) }
        // Joint: first build the outgoing config, then enter the joint one by removing the
        // outgoing voters and adding the incoming members.
        for id in cs.votersOutgoing { incoming.append(.init(type: .removeNode, nodeID: id)) }
        for id in cs.voters { incoming.append(.init(type: .addNode, nodeID: id)) }
        for id in cs.learners { incoming.append(.init(type: .addLearnerNode, nodeID: id)) }
        // Learners of the next config are voters of the outgoing one: adding them as learners
        // now puts them into learnersNext.
        for id in cs.learnersNext { incoming.append(.init(type: .addLearnerNode, nodeID: id)) }

        var changer = self
        if outgoing.isEmpty {
            for change in incoming {
                (changer.config, changer.progress) = try changer.simple([change])
            }
        } else {
            for change in outgoing {
                (changer.config, changer.progress) = try changer.simple([change])
            }
            (changer.config, changer.progress) = try changer.enterJoint(autoLeave: cs.autoLeave, incoming)
        }
        return (changer.config, changer.progress)
    }

    // MARK: Internals

    private func apply(
        _ cfg: inout TrackerConfig, _ prs: inout [NodeID: Progress], _ changes: [ConfChangeSingle]
    )
        throws(RaftError)
    {
        for change in changes {
            // A zero id is a change the application decided not to apply.
            if change.nodeID == .none { continue }
            switch change.type {
            case .addNode: makeVoter(&cfg, &prs, change.nodeID)
            case .addLearnerNode: makeLearner(&cfg, &prs, change.nodeID)
            case .removeNode: remove(&cfg, &prs, change.nodeID)
            case .updateNode: break
            }
        }
        if cfg.voters.incoming.ids.isEmpty { throw .invalidConfChange("removed all voters") }
    }

    private func makeVoter(_ cfg: inout TrackerConfig, _ prs: inout [NodeID: Progress], _ id: NodeID) {
        guard prs[id] != nil else {
            initProgress(&cfg, &prs, id, isLearner: false)
            return
        }
        prs[id]!.isLearner = false
        cfg.learners.remove(id)
        cfg.learnersNext.remove(id)
        cfg.voters.incoming.ids.insert(id)
    }

    private func makeLearner(_ cfg: inout TrackerConfig, _ prs: inout [NodeID: Progress], _ id: NodeID) {
        guard let pr = prs[id] else {
            initProgress(&cfg, &prs, id, isLearner: true)
            return
        }
        if pr.isLearner { return }
        // Remove the voter from the incoming config, but keep its progress.
        remove(&cfg, &prs, id)
        prs[id] = pr
        if cfg.voters.outgoing.ids.contains(id) {
            // Still a voter of the outgoing config: it becomes a learner when that is left.
            cfg.learnersNext.insert(id)
        } else {
            prs[id]!.isLearner = true
            cfg.learners.insert(id)
        }
    }

    private func remove(_ cfg: inout TrackerConfig, _ prs: inout [NodeID: Progress], _ id: NodeID) {
        guard prs[id] != nil else { return }
        cfg.voters.incoming.ids.remove(id)
        cfg.learners.remove(id)
        cfg.learnersNext.remove(id)
        // A voter of the outgoing config keeps its progress until the joint config is left.
        if !cfg.voters.outgoing.ids.contains(id) { prs[id] = nil }
    }

    private func initProgress(
        _ cfg: inout TrackerConfig, _ prs: inout [NodeID: Progress], _ id: NodeID, isLearner: Bool
    ) {
        if isLearner { cfg.learners.insert(id) } else { cfg.voters.incoming.ids.insert(id) }
        // Probing from the last index; a new member counts as recently active so that check
        // quorum does not step the leader down before it had a chance to answer.
        prs[id] = Progress(
            match: 0, next: max(lastIndex, 1), inflights: newInflights, isLearner: isLearner, recentActive: true)
    }

    private func checkAndCopy() throws(RaftError) -> Result {
        try checkInvariants(config, progress)
        return (config, progress)
    }

    private func checkAndReturn(_ cfg: TrackerConfig, _ prs: [NodeID: Progress]) throws(RaftError) -> Result {
        try checkInvariants(cfg, prs)
        return (cfg, prs)
    }

    private func checkInvariants(_ cfg: TrackerConfig, _ prs: [NodeID: Progress]) throws(RaftError) {
        for id in cfg.voters.ids.union(cfg.learners).union(cfg.learnersNext).sorted() where prs[id] == nil {
            throw .invalidConfChange("no progress for \(id)")
        }
        for id in cfg.learnersNext.sorted() {
            if !cfg.voters.outgoing.ids.contains(id) {
                throw .invalidConfChange("\(id) is in LearnersNext, but not Voters[1]")
            }
            if prs[id]!.isLearner {
                throw .invalidConfChange("\(id) is in LearnersNext, but is already marked as learner")
            }
        }
        for id in cfg.learners.sorted() {
            if cfg.voters.outgoing.ids.contains(id) { throw .invalidConfChange("\(id) is in Learners and Voters[1]") }
            if cfg.voters.incoming.ids.contains(id) { throw .invalidConfChange("\(id) is in Learners and Voters[0]") }
            if !prs[id]!.isLearner { throw .invalidConfChange("\(id) is in Learners, but is not marked as learner") }
        }
        if !cfg.voters.isJoint {
            if !cfg.learnersNext.isEmpty { throw .invalidConfChange("LearnersNext must be empty when not joint") }
            if cfg.autoLeave { throw .invalidConfChange("AutoLeave must be false when not joint") }
        }
    }
}
