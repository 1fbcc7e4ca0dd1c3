/// A seeded, splittable pseudo-random generator (SplitMix64) for simulations.
///
/// The simulator never uses the system generator: a run must be a pure function of its seed so a
/// failing seed replays bit for bit (TigerBeetle's VOPR and FoundationDB's simulation rely on the
/// same property). SplitMix64 is tiny, fast and passes BigCrush, which is plenty for fault choice.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose whole output is determined by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `true` with probability `probability` (0 never, 1 always).
    public mutating func chance(_ probability: Double) -> Bool {
        if probability <= 0 { return false }
        if probability >= 1 { return true }
        // 53 bits give a uniform double in [0, 1) without depending on the standard library's
        // floating-point sampling, whose algorithm is not promised to stay the same.
        let unit = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return unit < probability
    }

    /// A uniform integer in `range` (the modulo bias is negligible for the small ranges used here).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// A uniformly chosen element, or `nil` for an empty collection.
    public mutating func pick<C: RandomAccessCollection>(_ collection: C) -> C.Element? {
        if collection.isEmpty { return nil }
        let offset = int(in: 0...(collection.count - 1))
        return collection[collection.index(collection.startIndex, offsetBy: offset)]
    }

    /// A generator for a sub-stream, so adding draws in one place does not shift every other one.
    public mutating func split() -> SimulationRandom {
        SimulationRandom(seed: next())
    }
}
