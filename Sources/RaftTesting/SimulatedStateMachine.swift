import Raft

/// The replicated state machine each simulated member applies committed entries to.
///
/// Plug an application's own state machine into the simulator through
/// `SimulatorOptions.makeStateMachine`: the simulator applies every committed entry in order,
/// snapshots it when it compacts the log, restores it from snapshots, and requires every member to
/// reach the same `fingerprint` at every index.
public protocol SimulatedStateMachine {
    /// Applies one committed entry (normal or configuration change; empty entries included).
    mutating func apply(_ entry: Entry)
    /// A snapshot of the whole state.
    func snapshot() -> [UInt8]
    /// Replaces the state with the one in `snapshot`.
    mutating func restore(from snapshot: [UInt8])
    /// A digest of the state: equal states must have equal fingerprints.
    var fingerprint: UInt64 { get }
}

/// The default state machine: an FNV-1a hash chain over every applied entry. Two members agree on
/// the fingerprint exactly when they applied the same entries in the same order.
public struct HashChainStateMachine: SimulatedStateMachine {
    /// The current chain value.
    public private(set) var fingerprint: UInt64 = TraceHash().value

    /// The empty state.
    public init() {}

    /// Folds the entry's index, term, type and data into the chain.
    public mutating func apply(_ entry: Entry) {
        var hasher = TraceHash()
        hasher.combine(fingerprint)
        hasher.combine(entry.index.rawValue)
        hasher.combine(entry.term.rawValue)
        hasher.combine(UInt64(entry.type.rawValue))
        hasher.combine(bytes: entry.data)
        fingerprint = hasher.value
    }

    /// The chain value, little-endian.
    public func snapshot() -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: fingerprint >> (8 * UInt64($0))) }
    }

    /// Restores the chain value (the empty state for a payload that is not one of ours).
    public mutating func restore(from snapshot: [UInt8]) {
        guard snapshot.count == 8 else {
            fingerprint = TraceHash().value
            return
        }
        fingerprint = snapshot.enumerated().reduce(0) { $0 | (UInt64($1.element) << (8 * UInt64($1.offset))) }
    }
}
