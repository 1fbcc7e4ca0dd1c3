/// A point in the store's history: `main` is the store revision a write created, `sub` orders the
/// changes within it (the ops of one txn, the keys of one delete range).
///
/// Stored as 16 big-endian bytes (main, then sub) so that LMDB's byte order is revision order.
public struct Revision: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The store revision.
    public var main: Int64
    /// The position of the change within its store revision.
    public var sub: Int64

    /// Creates a revision.
    public init(main: Int64, sub: Int64 = 0) {
        self.main = main
        self.sub = sub
    }

    /// Orders by `main`, then `sub`.
    public static func < (a: Revision, b: Revision) -> Bool {
        (a.main, a.sub) < (b.main, b.sub)
    }

    /// `main_sub`, as etcd prints revisions.
    public var description: String { "\(main)_\(sub)" }

    /// The 16-byte big-endian encoding (main, then sub).
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        out.withUnsafeMutableBytes { buffer in
            buffer.storeBytes(of: UInt64(bitPattern: main).bigEndian, toByteOffset: 0, as: UInt64.self)
            buffer.storeBytes(of: UInt64(bitPattern: sub).bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return out
    }

    /// Decodes the 16-byte encoding; nil if `bytes` is not 16 bytes long.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 16 else { return nil }
        main = Int64(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
        sub = Int64(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// Decodes the 16-byte encoding; nil if `bytes` is not 16 bytes long.
    public init?(bytes: [UInt8]) {
        guard let decoded = bytes.withUnsafeBytes({ Revision(bytes: $0) }) else { return nil }
        self = decoded
    }

    /// etcd's on-disk form (`revToBytes`: main, '_', sub; plus 't' for a tombstone), which etcd
    /// feeds to its HashKV checksum; we hash the same bytes so hashes compare with etcd's.
    func etcdBytes(tombstone: Bool) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: tombstone ? 18 : 17)
        out.withUnsafeMutableBytes { buffer in
            buffer.storeBytes(of: UInt64(bitPattern: main).bigEndian, toByteOffset: 0, as: UInt64.self)
            buffer[8] = UInt8(ascii: "_")
            buffer.storeBytes(of: UInt64(bitPattern: sub).bigEndian, toByteOffset: 9, as: UInt64.self)
            if tombstone { buffer[17] = UInt8(ascii: "t") }
        }
        return out
    }
}
