/// The answer to a `readIndex` request: once the state machine has applied `index`, a read that
/// began before the request may be served locally and is linearizable (thesis §6.4).
public struct ReadState: Equatable, Sendable, CustomStringConvertible {
    /// The commit index at the time the leader received the request.
    public var index: LogIndex
    /// The caller's context passed to `readIndex`.
    public var requestContext: [UInt8]

    /// Creates a read state.
    public init(index: LogIndex, requestContext: [UInt8]) {
        self.index = index
        self.requestContext = requestContext
    }

    /// `Index:5 Context:"abc"`.
    public var description: String { "Index:\(index) Context:\(quoted(requestContext))" }
}
