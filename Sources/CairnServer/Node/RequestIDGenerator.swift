import Synchronization

/// Request ids unique per member, as etcd's `pkg/idutil`: the low 16 bits of the member id in the
/// top 16 bits, then a 48-bit counter seeded from a time in milliseconds (shifted left 8 bits).
///
/// The seed matters across restarts: entries committed but not yet applied before a crash are
/// applied after the restart, and their ids must not collide with the new incarnation's waiters.
/// etcd seeds from the wall clock for the same reason; the seed is injected here.
package final class RequestIDGenerator: Sendable {
    private let prefix: UInt64
    private let counter: Atomic<UInt64>

    /// Creates a generator for `memberID`, starting after `seedMilliseconds`.
    package init(memberID: UInt64, seedMilliseconds: UInt64) {
        prefix = (memberID & 0xFFFF) << 48
        counter = Atomic((seedMilliseconds << 8) & 0xFFFF_FFFF_FFFF)
    }

    /// The next id.
    package func next() -> UInt64 {
        let n = counter.add(1, ordering: .relaxed).newValue
        return prefix | (n & 0xFFFF_FFFF_FFFF)
    }
}
