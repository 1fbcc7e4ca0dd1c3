// Stable one-line descriptions, following etcd-io/raft's DescribeMessage / DescribeEntry wording
// (node ids print in decimal). Golden scenario files depend on these: change them only with the
// golden files.

extension Entry: CustomStringConvertible {
    /// `1/11 EntryNormal "foo"`, `1/12 EntryConfChangeV2 v2 l3 r4`, `1/13 EntryConfChangeV2`.
    public var description: String {
        var formatted: String
        switch type {
        case .normal:
            formatted = quoted(data)
        case .confChange, .confChangeV2:
            if let cc = try? ConfChange(decoding: data) {
                formatted = cc.changesDescription
            } else {
                formatted = "undecodable " + hex(data)
            }
        }
        if !formatted.isEmpty { formatted = " " + formatted }
        return "\(term)/\(index) \(type)\(formatted)"
    }
}

extension EntryType: CustomStringConvertible {
    /// EntryNormal, EntryConfChange, EntryConfChangeV2.
    public var description: String {
        switch self {
        case .normal: return "EntryNormal"
        case .confChange: return "EntryConfChange"
        case .confChangeV2: return "EntryConfChangeV2"
        }
    }
}

extension ConfChange: CustomStringConvertible {
    /// etcd-io/raft's `ConfChangesToString`: `v2` add voter, `l3` add learner, `r4` remove, `u5`
    /// update; followed by the transition when not auto (`transition=explicit`).
    var changesDescription: String {
        var parts = changes.map { change -> String in
            let prefix: String
            switch change.type {
            case .addNode: prefix = "v"
            case .addLearnerNode: prefix = "l"
            case .removeNode: prefix = "r"
            case .updateNode: prefix = "u"
            }
            return prefix + change.nodeID.description
        }
        switch transition {
        case .auto: break
        case .implicit: parts.append("transition=implicit")
        case .explicit: parts.append("transition=explicit")
        }
        return parts.joined(separator: " ")
    }

    /// `v2 l3 r4`, with the transition and context when present.
    public var description: String {
        var s = changesDescription
        if !context.isEmpty { s += (s.isEmpty ? "" : " ") + "Context:" + hex(context) }
        return s
    }
}

extension Message: CustomStringConvertible {
    /// `1->2 MsgApp Term:1 Log:1/10 Commit:10 Entries:[1/11 EntryNormal "foo"]`.
    public var description: String {
        var s = "\(from)->\(to) \(type.name) Term:\(term) Log:\(logTerm)/\(index)"
        if reject { s += " Rejected (Hint: \(rejectHint))" }
        if commit != 0 { s += " Commit:\(commit)" }
        if !entries.isEmpty {
            s += " Entries:[" + entries.map(\.description).joined(separator: ", ") + "]"
        }
        if let snapshot, !snapshot.isEmpty { s += " Snapshot: \(snapshot)" }
        if !context.isEmpty { s += " Context:" + hex(context) }
        return s
    }
}

extension HardState: CustomStringConvertible {
    /// `Term:1 Vote:1 Commit:10` (no Vote when none).
    public var description: String {
        var s = "Term:\(term)"
        if vote != .none { s += " Vote:\(vote)" }
        s += " Commit:\(commit)"
        return s
    }
}

extension ConfState: CustomStringConvertible {
    /// `Voters:[1 2 3] VotersOutgoing:[] Learners:[] LearnersNext:[] AutoLeave:false`.
    public var description: String {
        func list(_ ids: [NodeID]) -> String { "[" + ids.map(\.description).joined(separator: " ") + "]" }
        return
            "Voters:\(list(voters)) VotersOutgoing:\(list(votersOutgoing)) Learners:\(list(learners)) LearnersNext:\(list(learnersNext)) AutoLeave:\(autoLeave)"
    }
}

extension Snapshot: CustomStringConvertible {
    /// `Index:10 Term:2 ConfState:Voters:[1 2 3] ...` (data is not shown, only its size when present).
    public var description: String {
        var s = "Index:\(metadata.index) Term:\(metadata.term) ConfState:\(metadata.confState)"
        if !data.isEmpty { s += " Data:\(data.count)B" }
        return s
    }
}

extension Ready: CustomStringConvertible {
    /// One line; sections in a fixed order and only when non-empty.
    public var description: String {
        var parts: [String] = []
        if let softState { parts.append(softState.description) }
        if let hardState { parts.append("HardState \(hardState)") }
        if !readStates.isEmpty {
            parts.append("ReadStates:[" + readStates.map(\.description).joined(separator: ", ") + "]")
        }
        if !entries.isEmpty { parts.append("Entries:[" + entries.map(\.description).joined(separator: ", ") + "]") }
        if let snapshot { parts.append("Snapshot \(snapshot)") }
        if !committedEntries.isEmpty {
            parts.append("CommittedEntries:[" + committedEntries.map(\.description).joined(separator: ", ") + "]")
        }
        if !messages.isEmpty { parts.append("Messages:[" + messages.map(\.description).joined(separator: ", ") + "]") }
        if !messagesAfterPersist.isEmpty {
            parts.append(
                "MessagesAfterPersist:[" + messagesAfterPersist.map(\.description).joined(separator: ", ") + "]")
        }
        if mustSync { parts.append("MustSync") }
        return parts.isEmpty ? "<empty Ready>" : parts.joined(separator: " ")
    }

    /// Several lines, as etcd-io/raft's `DescribeReady`; handy for golden files.
    public var multilineDescription: String {
        var lines: [String] = []
        if let softState { lines.append(softState.description) }
        if let hardState { lines.append("HardState \(hardState)") }
        if !readStates.isEmpty { lines.append("ReadStates " + readStates.map(\.description).joined(separator: ", ")) }
        if !entries.isEmpty {
            lines.append("Entries:")
            lines.append(contentsOf: entries.map(\.description))
        }
        if let snapshot { lines.append("Snapshot \(snapshot)") }
        if !committedEntries.isEmpty {
            lines.append("CommittedEntries:")
            lines.append(contentsOf: committedEntries.map(\.description))
        }
        if !messages.isEmpty {
            lines.append("Messages:")
            lines.append(contentsOf: messages.map(\.description))
        }
        if !messagesAfterPersist.isEmpty {
            lines.append("MessagesAfterPersist:")
            lines.append(contentsOf: messagesAfterPersist.map(\.description))
        }
        return lines.isEmpty ? "<empty Ready>" : lines.joined(separator: "\n")
    }
}

/// Go's `%q` of a byte string: printable ASCII as is, `\"` and `\\` escaped, other bytes as `\xNN`
/// (or `\n`, `\t`, `\r`).
func quoted(_ bytes: [UInt8]) -> String {
    var s = "\""
    for b in bytes {
        switch b {
        case 0x22: s += "\\\""
        case 0x5C: s += "\\\\"
        case 0x0A: s += "\\n"
        case 0x09: s += "\\t"
        case 0x0D: s += "\\r"
        case 0x20..<0x7F: s.unicodeScalars.append(Unicode.Scalar(b))
        default: s += "\\x" + hexByte(b)
        }
    }
    return s + "\""
}

/// Lower-case hex of the bytes.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map(hexByte).joined()
}

private func hexByte(_ b: UInt8) -> String {
    let digits: [Character] = Array("0123456789abcdef")
    return String([digits[Int(b >> 4)], digits[Int(b & 0x0f)]])
}
