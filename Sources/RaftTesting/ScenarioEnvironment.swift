import Raft

/// The interpreter behind golden scenario files: a cluster of RawNodes driven one explicit step at
/// a time, every Ready printed with the Raft module's descriptions.
///
/// Messages wait in per-recipient mailboxes until a `deliver-msgs` or `stabilize` command delivers
/// them, which is what lets a scenario drop, duplicate or delay exactly the message it is about.
/// Persistence is synchronous: `process-ready` stores the Ready, then queues `messages` and
/// `messagesAfterPersist`, applies committed entries and advances.
final class ScenarioEnvironment {
    final class Node {
        let id: NodeID
        var raw: RawNode
        var storage: MemoryStorage
        var config: Config
        var configuration: ConfState
        var applied: [Entry] = []
        var appliedIndex: LogIndex = 0
        var lastRole: Role = .follower
        var lastTerm: Term = 0

        init(id: NodeID, raw: RawNode, storage: MemoryStorage, config: Config, configuration: ConfState) {
            self.id = id
            self.raw = raw
            self.storage = storage
            self.config = config
            self.configuration = configuration
        }
    }

    var nodes: [Node] = []
    var mailboxes: [NodeID: [Message]] = [:]
    var stashed: [NodeID: [Message]] = [:]
    var isolated: Set<NodeID> = []
    var verbose = true
    private var output: [String] = []

    /// Runs one command and returns its output lines.
    func run(_ command: ScenarioFile.Command) -> [String] {
        output = []
        let arguments = ScenarioArguments(line: command.line)
        do {
            try dispatch(arguments, input: command.input)
        } catch {
            emit("error: \(error.message)")
        }
        reportStateChanges()
        if output.isEmpty { output = ["ok"] }
        return output
    }

    private func emit(_ line: String) {
        output.append(line)
    }

    private func node(_ id: NodeID) throws(ScenarioError) -> Node {
        guard id.rawValue >= 1, Int(id.rawValue) <= nodes.count else { throw ScenarioError("no node \(id)") }
        return nodes[Int(id.rawValue) - 1]
    }

    private func nodeArgument(_ arguments: ScenarioArguments) throws(ScenarioError) -> Node {
        guard let first = arguments.positional.first, let raw = UInt64(first) else {
            throw ScenarioError("\(arguments.name): expected a node id")
        }
        return try node(NodeID(rawValue: raw))
    }

    private func targets(_ arguments: ScenarioArguments) throws(ScenarioError) -> [Node] {
        let ids = try arguments.positionalIDs()
        if ids.isEmpty { return nodes }
        var result: [Node] = []
        for id in ids { result.append(try node(id)) }
        return result
    }

    // MARK: Dispatch

    private func dispatch(_ arguments: ScenarioArguments, input: [String]) throws(ScenarioError) {
        switch arguments.name {
        case "add-nodes": try addNodes(arguments)
        case "campaign":
            let node = try nodeArgument(arguments)
            try raftCall { () throws(RaftError) in try node.raw.campaign() }
        case "propose":
            let node = try nodeArgument(arguments)
            let value = arguments.positional.dropFirst().joined(separator: " ")
            try raftCall { () throws(RaftError) in try node.raw.propose(Array(value.utf8)) }
        case "propose-conf-change": try proposeConfChange(arguments, input: input)
        case "tick-election":
            for node in try targets(arguments) { for _ in 0..<node.config.electionTick { node.raw.tick() } }
        case "tick-heartbeat":
            for node in try targets(arguments) { for _ in 0..<node.config.heartbeatTick { node.raw.tick() } }
        case "tick":
            let node = try nodeArgument(arguments)
            let count = arguments.positional.count > 1 ? Int(arguments.positional[1]) ?? 1 : 1
            for _ in 0..<count { node.raw.tick() }
        case "process-ready":
            let chosen = try targets(arguments)
            for node in chosen {
                if chosen.count > 1 { emit("> \(node.id) handling Ready") }
                try processReady(node, indent: chosen.count > 1 ? "  " : "")
            }
        case "deliver-msgs": try deliverMessages(arguments)
        case "duplicate-msgs": try duplicateMessages(arguments)
        case "stash-msgs":
            let type = arguments.value("type")
            for id in try arguments.positionalIDs() {
                let (matching, rest) = split(mailboxes[id] ?? [], type: type)
                mailboxes[id] = rest
                stashed[id, default: []].append(contentsOf: matching)
                for message in matching { emit("stashed: \(message)") }
            }
        case "release-msgs":
            for id in try arguments.positionalIDs() {
                let held = stashed.removeValue(forKey: id) ?? []
                mailboxes[id, default: []].append(contentsOf: held)
                for message in held { emit("released: \(message)") }
            }
        case "stabilize": try stabilize(try targets(arguments))
        case "read-index":
            let node = try nodeArgument(arguments)
            node.raw.readIndex(Array(arguments.positional.dropFirst().joined(separator: " ").utf8))
        case "compact": try compact(arguments)
        case "transfer-leadership":
            guard let from = arguments.value("from").flatMap(UInt64.init),
                let to = arguments.value("to").flatMap(UInt64.init)
            else { throw ScenarioError("transfer-leadership from=N to=M") }
            try node(NodeID(rawValue: from)).raw.transferLeadership(to: NodeID(rawValue: to))
        case "report-unreachable":
            let ids = try arguments.positionalIDs()
            guard ids.count == 2 else { throw ScenarioError("report-unreachable LEADER PEER") }
            try node(ids[0]).raw.reportUnreachable(ids[1])
        case "status": try printStatus(try nodeArgument(arguments))
        case "raft-log": try printLog(try nodeArgument(arguments))
        case "raft-state": printStates()
        case "isolate":
            for id in try arguments.positionalIDs() { isolated.insert(id) }
        case "heal": isolated.removeAll()
        case "log-level":
            switch arguments.positional.first {
            case "none": verbose = false
            case "info", "debug": verbose = true
            default: throw ScenarioError("log-level none|info|debug")
            }
        default:
            throw ScenarioError("unknown command \(arguments.name)")
        }
    }

    private func raftCall(_ body: () throws(RaftError) -> Void) throws(ScenarioError) {
        do {
            try body()
        } catch {
            emit("raft: \(error)")
        }
    }

    // MARK: Nodes

    private func addNodes(_ arguments: ScenarioArguments) throws(ScenarioError) {
        guard let first = arguments.positional.first, let count = Int(first), count > 0 else {
            throw ScenarioError("add-nodes N [voters=(..)] [learners=(..)] [index=I] [options]")
        }
        let voters = try arguments.ids("voters") ?? []
        let learners = try arguments.ids("learners") ?? []
        let index = try arguments.int("index") ?? (voters.isEmpty ? 0 : 1)
        for _ in 0..<count {
            let id = NodeID(rawValue: UInt64(nodes.count + 1))
            let storage = MemoryStorage()
            let configuration = ConfState(voters: voters, learners: learners)
            if index > 0 {
                let snapshot = Snapshot(
                    data: [],
                    metadata: SnapshotMetadata(
                        confState: configuration, index: LogIndex(rawValue: UInt64(index)), term: 1))
                do {
                    try storage.applySnapshot(snapshot)
                } catch {
                    throw ScenarioError("bootstrap snapshot: \(error)")
                }
            }
            var config = Config(id: id, randomSeed: id.rawValue)
            config.applied = LogIndex(rawValue: UInt64(index))
            config.preVote = try arguments.bool("prevote", default: false)
            config.checkQuorum = try arguments.bool("checkquorum", default: false)
            config.stepDownOnRemoval = try arguments.bool("step-down-on-removal", default: true)
            config.disableProposalForwarding = try arguments.bool("disable-proposal-forwarding", default: false)
            if let value = try arguments.int("max-inflight") { config.maxInflightMsgs = value }
            if let value = try arguments.int("max-size-per-msg") { config.maxSizePerMsg = UInt64(value) }
            if let value = try arguments.int("max-uncommitted-size") {
                config.maxUncommittedEntriesSize = UInt64(value)
            }
            if let value = try arguments.int("election") { config.electionTick = value }
            if let value = try arguments.int("heartbeat") { config.heartbeatTick = value }
            switch arguments.value("read-only") {
            case nil, "safe": config.readOnlyOption = .safe
            case "lease": config.readOnlyOption = .leaseBased
            default: throw ScenarioError("read-only=safe|lease")
            }
            let raw: RawNode
            let wrapped = ScenarioStorage(memory: storage)
            do {
                raw = try RawNode(config: config, storage: wrapped)
            } catch {
                throw ScenarioError("RawNode: \(error)")
            }
            let node = Node(id: id, raw: raw, storage: storage, config: config, configuration: configuration)
            node.appliedIndex = LogIndex(rawValue: UInt64(index))
            wrapped.appliedState = { [unowned node] in (node.appliedIndex, node.configuration) }
            let status = raw.basicStatus
            node.lastRole = status.softState.role
            node.lastTerm = status.hardState.term
            nodes.append(node)
            let last = (try? storage.lastIndex()) ?? 0
            emit(
                "INFO \(id) started: term=\(status.hardState.term) commit=\(status.hardState.commit) "
                    + "applied=\(status.applied) lastindex=\(last) \(InvariantChecker.describe(configuration))")
        }
    }

    /// Prints, like etcd's INFO logs, every role or term change since the previous command.
    private func reportStateChanges() {
        for node in nodes {
            let status = node.raw.basicStatus
            if status.softState.role != node.lastRole || status.hardState.term != node.lastTerm {
                let role = "\(status.softState.role)".replacingPrefix("State", with: "")
                output.append("INFO \(node.id) became \(role.lowercased()) at term \(status.hardState.term)")
                node.lastRole = status.softState.role
                node.lastTerm = status.hardState.term
            }
        }
    }

    private func proposeConfChange(_ arguments: ScenarioArguments, input: [String]) throws(ScenarioError) {
        let node = try nodeArgument(arguments)
        var changes: [ConfChangeSingle] = []
        for token in input.joined(separator: " ").split(separator: " ") {
            guard let kind = token.first, let raw = UInt64(token.dropFirst()) else {
                throw ScenarioError("conf change \(token): expected v|l|r|u followed by a node id")
            }
            let id = NodeID(rawValue: raw)
            switch kind {
            case "v": changes.append(ConfChangeSingle(type: .addNode, nodeID: id))
            case "l": changes.append(ConfChangeSingle(type: .addLearnerNode, nodeID: id))
            case "r": changes.append(ConfChangeSingle(type: .removeNode, nodeID: id))
            case "u": changes.append(ConfChangeSingle(type: .updateNode, nodeID: id))
            default: throw ScenarioError("conf change \(token): expected v|l|r|u")
            }
        }
        let transition: ConfChangeTransition
        switch arguments.value("transition") {
        case nil, "auto": transition = .auto
        case "implicit": transition = .implicit
        case "explicit": transition = .explicit
        default: throw ScenarioError("transition=auto|implicit|explicit")
        }
        let change = ConfChange(transition: transition, changes: changes, context: [])
        try raftCall { () throws(RaftError) in try node.raw.proposeConfChange(change) }
    }

    // MARK: Ready

    private func processReady(_ node: Node, indent: String) throws(ScenarioError) {
        guard node.raw.hasReady else {
            emit(indent + "<empty Ready>")
            return
        }
        let ready = node.raw.ready()
        if verbose { for line in Self.describe(ready) { emit(indent + line) } }
        do {
            if let snapshot = ready.snapshot { try node.storage.applySnapshot(snapshot) }
            if !ready.entries.isEmpty { try node.storage.append(ready.entries) }
        } catch {
            throw ScenarioError("storage: \(error)")
        }
        if let hardState = ready.hardState { node.storage.setHardState(hardState) }
        for message in ready.messages + ready.messagesAfterPersist { post(message) }
        if let snapshot = ready.snapshot {
            node.configuration = snapshot.metadata.confState
            node.applied = []
            node.appliedIndex = snapshot.metadata.index
        }
        for entry in ready.committedEntries {
            node.applied.append(entry)
            node.appliedIndex = entry.index
            guard entry.type != .normal else { continue }
            do {
                let change = try ConfChange(decoding: entry.data)
                node.configuration = node.raw.applyConfChange(change)
                if verbose {
                    emit(
                        indent
                            + "INFO \(node.id) switched to configuration \(InvariantChecker.describe(node.configuration))"
                    )
                }
            } catch {
                throw ScenarioError("undecodable conf change at \(entry.index)")
            }
        }
        node.raw.advance(ready)
    }

    /// A Ready in the Raft module's multi-line description (etcd-io/raft's DescribeReady layout).
    static func describe(_ ready: Ready) -> [String] {
        ["Ready MustSync=\(ready.mustSync):"] + ready.multilineDescription.split(separator: "\n").map(String.init)
    }

    private func post(_ message: Message) {
        if isolated.contains(message.from) || isolated.contains(message.to) { return }
        mailboxes[message.to, default: []].append(message)
    }

    // MARK: Messages

    private func deliverMessages(_ arguments: ScenarioArguments) throws(ScenarioError) {
        let dropTo = Set(try arguments.ids("drop") ?? [])
        let type = arguments.value("type")
        for id in dropTo.sorted() {
            let (matching, rest) = split(mailboxes[id] ?? [], type: type)
            mailboxes[id] = rest
            if verbose { for message in matching { emit("dropped: \(message)") } }
        }
        var recipients = try arguments.positionalIDs()
        if recipients.isEmpty && dropTo.isEmpty { recipients = nodes.map(\.id) }
        for id in recipients {
            let node = try node(id)
            let (matching, rest) = split(mailboxes[id] ?? [], type: type)
            mailboxes[id] = rest
            for message in matching { deliver(message, to: node, indent: "") }
        }
    }

    private func duplicateMessages(_ arguments: ScenarioArguments) throws(ScenarioError) {
        let type = arguments.value("type")
        for id in try arguments.positionalIDs() {
            let (matching, _) = split(mailboxes[id] ?? [], type: type)
            // With stash=true the copies are held back, to be delivered late by release-msgs.
            if try arguments.bool("stash", default: false) {
                stashed[id, default: []].append(contentsOf: matching)
            } else {
                mailboxes[id, default: []].append(contentsOf: matching)
            }
            for message in matching { emit("duplicated: \(message)") }
        }
    }

    private func split(_ messages: [Message], type: String?) -> (matching: [Message], rest: [Message]) {
        guard let type else { return (messages, []) }
        let names = Set(type.filter { $0 != "(" && $0 != ")" }.split(separator: ",").map(String.init))
        return (messages.filter { names.contains($0.type.name) }, messages.filter { !names.contains($0.type.name) })
    }

    private func deliver(_ message: Message, to node: Node, indent: String) {
        if verbose { emit(indent + "\(message)") }
        do {
            try node.raw.step(message)
        } catch {
            emit(indent + "  raft: \(error)")
        }
    }

    private func stabilize(_ chosen: [Node]) throws(ScenarioError) {
        var rounds = 0
        while true {
            rounds += 1
            if rounds > 1000 { throw ScenarioError("stabilize did not settle in 1000 rounds") }
            var progressed = false
            for node in chosen where node.raw.hasReady {
                progressed = true
                if verbose { emit("> \(node.id) handling Ready") }
                try processReady(node, indent: "  ")
            }
            for node in chosen {
                guard let pending = mailboxes[node.id], !pending.isEmpty else { continue }
                progressed = true
                mailboxes[node.id] = []
                if verbose { emit("> \(node.id) receiving messages") }
                for message in pending { deliver(message, to: node, indent: "  ") }
            }
            if !progressed { return }
        }
    }

    // MARK: Storage and inspection

    private func compact(_ arguments: ScenarioArguments) throws(ScenarioError) {
        let node = try nodeArgument(arguments)
        guard arguments.positional.count > 1, let raw = UInt64(arguments.positional[1]) else {
            throw ScenarioError("compact ID INDEX")
        }
        let index = LogIndex(rawValue: raw)
        guard index <= node.appliedIndex else {
            throw ScenarioError("compact: index \(index) is not applied on \(node.id)")
        }
        do {
            try node.storage.createSnapshot(index, confState: node.configuration, data: [])
            try node.storage.compact(index)
        } catch {
            throw ScenarioError("compact: \(error)")
        }
        try printLog(node)
    }

    private func printLog(_ node: Node) throws(ScenarioError) {
        guard let first = try? node.storage.firstIndex(), let last = try? node.storage.lastIndex() else {
            throw ScenarioError("storage unreadable")
        }
        if last < first {
            emit("log is empty: first index=\(first), last index=\(last)")
            return
        }
        guard let entries = try? node.storage.entries(first, last + 1, maxSize: .max) else {
            throw ScenarioError("storage unreadable")
        }
        for entry in entries { emit("\(entry)") }
    }

    private func printStatus(_ node: Node) throws(ScenarioError) {
        let status = node.raw.status
        emit(
            "\(node.id): \(status.softState) Term:\(status.hardState.term) Commit:\(status.hardState.commit) "
                + "Applied:\(status.applied) \(InvariantChecker.describe(status.config))")
        if status.leadTransferee != NodeID.none { emit("leadTransferee: \(status.leadTransferee)") }
        for (id, progress) in status.progress { emit("\(id): \(progress)") }
    }

    private func printStates() {
        for node in nodes {
            let status = node.raw.basicStatus
            let member =
                node.configuration.voters.contains(node.id) || node.configuration.votersOutgoing.contains(node.id)
                ? "Voter" : node.configuration.learners.contains(node.id) ? "Learner" : "Non-member"
            emit(
                "\(node.id): \(status.softState.role) (\(member)) Term:\(status.hardState.term) "
                    + "Lead:\(status.softState.leader)")
        }
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
