/// One membership change of a `ConfChange`.
public enum ConfChangeType: UInt8, Sendable {
    /// Add a voter, or promote a learner to voter.
    case addNode
    /// Remove a voter or learner.
    case removeNode
    /// No membership effect (the application updates the member's address, say).
    case updateNode
    /// Add a learner, or demote a voter to learner.
    case addLearnerNode
}

/// How a multi-change (or explicitly joint) `ConfChange` uses joint consensus (thesis §4.3).
public enum ConfChangeTransition: UInt8, Sendable {
    /// Single-step if possible (one voter changes), else joint with automatic leave.
    case auto
    /// Always joint; the leader leaves the joint configuration automatically.
    case implicit
    /// Always joint; the application leaves it by proposing an empty `ConfChange`.
    case explicit
}

/// A single change of node `nodeID`.
public struct ConfChangeSingle: Equatable, Sendable {
    /// What happens to the node.
    public var type: ConfChangeType
    /// The node changed.
    public var nodeID: NodeID

    /// Creates a change.
    public init(type: ConfChangeType, nodeID: NodeID) {
        self.type = type
        self.nodeID = nodeID
    }
}

/// A membership change: a list of single changes applied together. One change (or only learner
/// changes) can be applied in one step; more voter changes go through a joint configuration.
/// The empty change leaves a joint configuration.
public struct ConfChange: Equatable, Sendable {
    /// How joint consensus is used.
    public var transition: ConfChangeTransition
    /// The changes, applied in order.
    public var changes: [ConfChangeSingle]
    /// Opaque application bytes (e.g. the new member's addresses).
    public var context: [UInt8]

    /// Creates a change.
    public init(transition: ConfChangeTransition = .auto, changes: [ConfChangeSingle] = [], context: [UInt8] = []) {
        self.transition = transition
        self.changes = changes
        self.context = context
    }

    /// Whether this is the empty change that leaves a joint configuration.
    public var leavesJoint: Bool { changes.isEmpty }

    /// Whether applying this change enters a joint configuration, and if so whether it is left
    /// automatically. Mirrors etcd-io/raft's `ConfChangeV2.EnterJoint`.
    public var entersJoint: (autoLeave: Bool, joint: Bool) {
        if transition != .auto || changes.count > 1 {
            return (transition != .explicit, true)
        }
        return (false, false)
    }

    // MARK: Encoding

    /// The format version written first by `encoded()`.
    static let encodingVersion: UInt8 = 1

    /// A compact binary encoding, used as the data of `.confChangeV2` entries:
    /// `version(1) transition(1) count(varint) {type(1) nodeID(varint)}* contextLength(varint) context`.
    /// The empty change with no context encodes as no bytes at all (the leader's auto-leave entry).
    public func encoded() -> [UInt8] {
        if changes.isEmpty && context.isEmpty && transition == .auto { return [] }
        var out: [UInt8] = [Self.encodingVersion, transition.rawValue]
        appendVarint(UInt64(changes.count), to: &out)
        for change in changes {
            out.append(change.type.rawValue)
            appendVarint(change.nodeID.rawValue, to: &out)
        }
        appendVarint(UInt64(context.count), to: &out)
        out.append(contentsOf: context)
        return out
    }

    /// Decodes `encoded()` output; throws `RaftError.invalidConfChange` for malformed bytes.
    public init(decoding bytes: [UInt8]) throws(RaftError) {
        self.init()
        if bytes.isEmpty { return }
        var reader = ByteReader(bytes: bytes)
        guard try reader.byte() == Self.encodingVersion else {
            throw .invalidConfChange("unknown conf change encoding version")
        }
        guard let transition = ConfChangeTransition(rawValue: try reader.byte()) else {
            throw .invalidConfChange("unknown conf change transition")
        }
        self.transition = transition
        let count = try reader.varint()
        guard count <= UInt64(bytes.count) else { throw .invalidConfChange("conf change count too large") }
        for _ in 0..<count {
            guard let type = ConfChangeType(rawValue: try reader.byte()) else {
                throw .invalidConfChange("unknown conf change type")
            }
            changes.append(ConfChangeSingle(type: type, nodeID: NodeID(try reader.varint())))
        }
        let length = try reader.varint()
        context = try reader.bytes(length)
        guard reader.isAtEnd else { throw .invalidConfChange("trailing bytes after conf change") }
    }
}

private func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
        out.append(UInt8(truncatingIfNeeded: v) | 0x80)
        v >>= 7
    }
    out.append(UInt8(v))
}

private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() throws(RaftError) -> UInt8 {
        guard offset < bytes.count else { throw .invalidConfChange("truncated conf change") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws(RaftError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw .invalidConfChange("varint overflow") }
            result |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    mutating func bytes(_ count: UInt64) throws(RaftError) -> [UInt8] {
        guard count <= UInt64(bytes.count - offset) else { throw .invalidConfChange("truncated conf change") }
        defer { offset += Int(count) }
        return Array(bytes[offset..<offset + Int(count)])
    }
}
