import Foundation
import Synchronization

/// The monotonic time the Raft loop ticks by and request deadlines are measured in. Injected so
/// that tests drive time by hand (`ManualClock`) instead of sleeping (STYLE: no wall clock in
/// logic).
public protocol NodeClock: Sendable {
    /// Time elapsed since an arbitrary, fixed origin; never decreases.
    func now() -> Duration
    /// Registers `wake`, called whenever time jumps (a manual clock); a real clock never calls it,
    /// the loop then wakes by its own timed wait.
    func onAdvance(_ wake: @escaping @Sendable () -> Void)
    /// Whether time passes by itself (the loop waits with a timeout then).
    var advancesByItself: Bool { get }
}

/// The production clock: `ContinuousClock` (monotonic, counts suspended time as etcd's ticker does
/// not; either is fine for timeouts of seconds).
public struct SystemNodeClock: NodeClock {
    private let origin = ContinuousClock.now

    /// Creates a clock whose origin is now.
    public init() {}

    /// Time since the clock was created.
    public func now() -> Duration { ContinuousClock.now - origin }
    /// Never called: real time needs no wake-up.
    public func onAdvance(_ wake: @escaping @Sendable () -> Void) {}
    /// True.
    public var advancesByItself: Bool { true }
}

/// A clock that moves only when told to (tests).
public final class ManualClock: NodeClock {
    private struct State {
        var now: Duration = .zero
        var observers: [@Sendable () -> Void] = []
    }
    private let state = Mutex(State())

    /// Creates a clock at time zero.
    public init() {}

    /// The current manual time.
    public func now() -> Duration { state.withLock { $0.now } }

    /// Registers a wake-up called after every `advance`.
    public func onAdvance(_ wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.observers.append(wake) }
    }

    /// False: only `advance` moves it.
    public var advancesByItself: Bool { false }

    /// Moves time forward by `duration` and wakes every loop using the clock.
    public func advance(by duration: Duration) {
        let observers = state.withLock {
            $0.now += duration
            return $0.observers
        }
        for wake in observers { wake() }
    }
}
