import Synchronization

/// The lessor's only source of time: a monotonic clock, injected so that tests control it.
///
/// Lease deadlines are instants of this clock, never wall-clock times: a wall clock stepping
/// backwards or forwards (NTP) must not expire or prolong leases. etcd uses Go's monotonic
/// reading of `time.Now()` for the same reason.
public protocol LeaseClock: Sendable {
    /// The current instant.
    func now() -> ContinuousClock.Instant
}

/// The real monotonic clock (`ContinuousClock`, which keeps counting while the machine sleeps,
/// as Go's monotonic clock does on Linux).
public struct SystemLeaseClock: LeaseClock {
    /// Creates the clock.
    public init() {}
    /// `ContinuousClock.now`.
    public func now() -> ContinuousClock.Instant { ContinuousClock.now }
}

/// A clock that moves only when told to (tests).
public final class ManualLeaseClock: LeaseClock {
    private let current: Mutex<ContinuousClock.Instant>

    /// Starts at an arbitrary fixed instant; only differences between instants matter.
    public init() {
        current = Mutex(ContinuousClock.now)
    }

    /// The current instant.
    public func now() -> ContinuousClock.Instant { current.withLock { $0 } }

    /// Moves the clock forward by `duration` (which must not be negative: the clock is monotonic).
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "a monotonic clock cannot go back")
        current.withLock { $0 = $0.advanced(by: duration) }
    }
}
