/// The on-disk framing of one record, shaped after etcd's WAL but with a checksum on the header too:
///
///     offset  size
///          0     4  payload length (little-endian)
///          4     1  record type (`LogRecordType`)
///          5     3  zero
///          8     4  CRC-32C of the payload
///         12     4  CRC-32C of bytes 0..<12
///         16     n  payload, then zero padding to a multiple of 16 bytes
///
/// Why a header checksum: a flipped bit in a length would otherwise send the reader past the end of
/// the file, which looks exactly like a torn write and would silently drop every later record.
/// Why 16-byte alignment: a header then never straddles a 512-byte sector, so after a crash it is
/// either fully written or all zeros, never half of each.
enum RecordFrame {
    /// The size of a record header.
    static let headerSize = 16
    /// Records start at multiples of this.
    static let alignment = 16
    /// The unit a disk writes atomically; a torn write leaves whole sectors of zeros.
    static let sectorSize = 512

    /// The size a record with `payloadCount` bytes of payload occupies.
    static func framedSize(payloadCount: Int) -> Int {
        (headerSize + payloadCount + alignment - 1) & ~(alignment - 1)
    }

    /// Appends `record`, framed, to `buffer`: the payload is encoded in place and the header
    /// filled in afterwards.
    static func append(_ record: LogRecord, to buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: headerSize))
        var writer = ByteWriter()
        swap(&writer.bytes, &buffer)
        record.encodePayload(into: &writer)
        swap(&writer.bytes, &buffer)
        let payloadStart = start + headerSize
        let length = buffer.count - payloadStart
        let payloadCRC = buffer.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[payloadStart...]))
        }
        var header = ByteWriter(capacity: headerSize)
        header.write(UInt32(length))
        header.write(record.type.rawValue)
        header.write(0 as UInt8)
        header.write(0 as UInt8)
        header.write(0 as UInt8)
        header.write(payloadCRC)
        header.write(CRC32C.checksum(header.bytes))
        buffer.replaceSubrange(start..<payloadStart, with: header.bytes)
        buffer.append(contentsOf: repeatElement(0, count: start + framedSize(payloadCount: length) - buffer.count))
    }

    /// What was found at an offset of a segment.
    enum Parsed: Equatable {
        /// A record whose checksums match; the next record starts at `next`.
        case record(type: UInt8, payload: Range<Int>, next: Int)
        /// Zeros: no record was ever written here.
        case end
        /// A record that is incomplete in a way only an interrupted write produces.
        case torn(String)
        /// A record that is damaged in a way a crash does not explain.
        case corrupt(String)
    }

    /// Parses the record starting at `offset` of a segment's bytes.
    static func parse(_ bytes: [UInt8], at offset: Int) -> Parsed {
        let available = bytes.count - offset
        if available <= 0 { return .end }
        if available < headerSize {
            return isZero(bytes[offset...]) ? .end : .torn("record header cut by the end of the file")
        }
        let header = bytes[offset..<offset + headerSize]
        if isZero(header) { return .end }
        let length = Int(readUInt32(bytes, offset))
        let type = bytes[offset + 4]
        let payloadCRC = readUInt32(bytes, offset + 8)
        let headerCRC = readUInt32(bytes, offset + 12)
        let computedHeaderCRC = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + 12]))
        }
        if computedHeaderCRC != headerCRC { return .corrupt("record header checksum mismatch") }
        if bytes[offset + 5] != 0 || bytes[offset + 6] != 0 || bytes[offset + 7] != 0 {
            return .corrupt("non-zero reserved header bytes")
        }
        let size = framedSize(payloadCount: length)
        if size > available {
            return .torn("record of \(size) bytes runs past the end of the file (\(available) bytes left)")
        }
        let payload = offset + headerSize..<offset + headerSize + length
        let computed = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[payload])) }
        if computed != payloadCRC {
            // As etcd's isTornEntry: a write interrupted by a crash leaves whole sectors unwritten
            // (zeros); a checksum failure without one is damage, not a crash.
            if hasZeroSector(bytes, offset..<offset + size) {
                return .torn("payload checksum mismatch with an unwritten (all-zero) sector")
            }
            return .corrupt("payload checksum mismatch")
        }
        return .record(type: type, payload: payload, next: offset + size)
    }

    /// Whether any sector-aligned chunk of `range` holds only zeros.
    static func hasZeroSector(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(range.upperBound, (start / sectorSize + 1) * sectorSize)
            if isZero(bytes[start..<end]) { return true }
            start = end
        }
        return false
    }

    static func isZero(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBytes { raw in
            var accumulated: UInt8 = 0
            for byte in raw { accumulated |= byte }
            return accumulated == 0
        }
    }

    /// Reads a 32-bit little-endian value.
    static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }
}
