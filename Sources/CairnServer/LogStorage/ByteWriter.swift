import Raft

/// Little-endian encoding of the fixed-width fields of log records.
struct ByteWriter {
    /// The bytes written so far.
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func write(_ value: UInt8) { bytes.append(value) }

    mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A length-prefixed (u32) byte string.
    mutating func writeBytes(_ value: [UInt8]) {
        write(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    /// A count-prefixed (u32) list of node ids.
    mutating func write(_ ids: [NodeID]) {
        write(UInt32(ids.count))
        for id in ids { write(id.rawValue) }
    }
}
