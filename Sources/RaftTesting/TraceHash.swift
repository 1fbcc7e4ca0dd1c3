/// FNV-1a/64 over a simulation's event trace: the determinism fingerprint of a run.
///
/// Two runs of the same seed must produce the same value; a difference means something outside
/// the seed (wall clock, global random, Dictionary or Set iteration order) leaked into behaviour.
public struct TraceHash: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The current 64-bit digest.
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    /// An empty digest (the FNV-1a offset basis).
    public init() {}

    /// Mixes one byte into the digest.
    public mutating func combine(byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01B3
    }

    /// Mixes bytes into the digest.
    public mutating func combine<S: Sequence>(bytes: S) where S.Element == UInt8 {
        for byte in bytes { combine(byte: byte) }
    }

    /// Mixes a 64-bit integer (little-endian bytes) into the digest.
    public mutating func combine(_ word: UInt64) {
        var rest = word
        for _ in 0..<8 {
            combine(byte: UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
    }

    /// Mixes a string's UTF-8 bytes into the digest.
    public mutating func combine(_ text: String) {
        combine(bytes: text.utf8)
    }

    /// The digest as 16 hex digits.
    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
