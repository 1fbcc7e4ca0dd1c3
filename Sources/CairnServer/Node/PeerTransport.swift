import Raft

/// Carries Raft messages between members. Sending never blocks the Raft loop; delivery is best
/// effort (Raft retransmits), in order per pair of members.
public protocol PeerTransport: Sendable {
    /// Registers the member `id`: messages addressed to it are handed to `deliver` (on any thread).
    func register(_ id: NodeID, deliver: @escaping @Sendable ([Message]) -> Void)
    /// Removes the member `id`; messages to it are dropped from now on.
    func unregister(_ id: NodeID)
    /// Sends messages (each names its destination in `to`).
    func send(_ messages: [Message])
}
