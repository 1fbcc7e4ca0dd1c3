/// A watcher's ID within its stream (etcd's `watch_id`): chosen by the client (non-zero) or
/// assigned by the server per stream, from 0 upwards.
public struct WatchID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int64

    /// Wraps a wire value.
    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// The ID etcd puts on stream-wide messages: rejected creates and `progress_request` replies.
    public static let none = WatchID(-1)

    /// Orders by value.
    public static func < (a: WatchID, b: WatchID) -> Bool { a.rawValue < b.rawValue }

    /// The decimal value.
    public var description: String { "\(rawValue)" }
}
