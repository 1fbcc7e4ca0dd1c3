import Raft

/// Why a payload could not be decoded; turned into a `LogStorageError` naming file and offset.
struct DecodeFailure: Error {
    let reason: String
}

/// Reads little-endian fields from a record payload, failing (never trapping) on short input.
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    /// Whether every byte was consumed.
    var isAtEnd: Bool { position == bytes.endIndex }

    private mutating func take(_ count: Int) throws(DecodeFailure) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.endIndex - position >= count else {
            throw DecodeFailure(reason: "payload too short (needs \(count) more bytes)")
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    mutating func readUInt8() throws(DecodeFailure) -> UInt8 { try take(1).first! }

    mutating func readUInt32() throws(DecodeFailure) -> UInt32 {
        var value: UInt32 = 0
        for (shift, byte) in try take(4).enumerated() { value |= UInt32(byte) << (8 * shift) }
        return value
    }

    mutating func readUInt64() throws(DecodeFailure) -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in try take(8).enumerated() { value |= UInt64(byte) << (8 * shift) }
        return value
    }

    mutating func readBytes() throws(DecodeFailure) -> [UInt8] {
        let count = try readUInt32()
        return Array(try take(Int(count)))
    }

    /// The rest of the payload.
    mutating func readRemaining() -> [UInt8] {
        defer { position = bytes.endIndex }
        return Array(bytes[position...])
    }

    mutating func readNodeIDs() throws(DecodeFailure) -> [NodeID] {
        let count = Int(try readUInt32())
        guard count <= (bytes.endIndex - position) / 8 else {
            throw DecodeFailure(reason: "node id list of \(count) exceeds the payload")
        }
        var ids: [NodeID] = []
        ids.reserveCapacity(count)
        for _ in 0..<count { ids.append(NodeID(try readUInt64())) }
        return ids
    }
}
