/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast generator with a 64-bit state. Each member
/// owns one seeded from `Config.randomSeed`, so election timeouts are reproducible under a
/// simulator; a process-global generator makes every member's draws depend on the others' and on
/// scheduling, and identical seeds produce identical timeouts and endless split votes.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in [0, bound).
    mutating func next(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next() % UInt64(bound))
    }
}
