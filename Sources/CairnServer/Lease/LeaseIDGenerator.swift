import Synchronization

/// Generates the IDs of leases granted with ID 0, as etcd's `idutil.Generator` does.
///
/// An ID is `member (16 bits) | start time in ms (40 bits) | counter (8 bits)`; each ID adds one to
/// the low 48 bits (the counter overflows into the time part, on purpose: at < 256 IDs per ms the
/// IDs of a restarted member, which starts from a later time, never repeat). etcd then clears the
/// sign bit (`LeaseGrant` keeps only positive IDs) and skips 0.
///
/// The ID is chosen by the member that receives the request, before it is proposed, so the
/// generator is the only lease state that is not replicated.
public final class LeaseIDGenerator: Sendable {
    private let prefix: UInt64
    private let suffix: Atomic<UInt64>

    private static let suffixBits: UInt64 = 48
    private static let counterBits: UInt64 = 8
    private static let timestampBits: UInt64 = 40

    /// A generator for member `memberID` (its low 16 bits are used) started at
    /// `startMilliseconds`, the wall-clock time in ms since 1970. The time only seeds the IDs so
    /// that they differ across restarts; no lease logic reads it.
    public init(memberID: UInt64, startMilliseconds: UInt64) {
        prefix = (memberID & 0xFFFF) << Self.suffixBits
        let timestamp = startMilliseconds & ((1 << Self.timestampBits) - 1)
        suffix = Atomic(timestamp << Self.counterBits)
    }

    /// The next ID: positive, never 0, unique for this generator.
    public func next() -> LeaseID {
        while true {
            let suffix = suffix.add(1, ordering: .relaxed).newValue
            let raw = (prefix | (suffix & ((1 << Self.suffixBits) - 1))) & UInt64(Int64.max)
            if raw != 0 { return LeaseID(Int64(raw)) }
        }
    }
}
