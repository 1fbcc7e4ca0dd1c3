// KeyValue is stored in LMDB as etcd stores it in bbolt: the protobuf encoding of mvccpb.KeyValue
// (fields 1 key, 2 create_revision, 3 mod_revision, 4 version, 5 value, 6 lease; zero values
// omitted, fields in number order, as gogoproto marshals them). Using the same bytes lets HashKV
// produce etcd's checksum for the same history.

extension KeyValue {
    /// Appends the protobuf encoding of `self` to `out`.
    func appendProtobuf(to out: inout [UInt8]) {
        if !key.isEmpty {
            out.append(0x0A)
            appendVarint(UInt64(key.count), to: &out)
            out.append(contentsOf: key)
        }
        if createRevision != 0 {
            out.append(0x10)
            appendVarint(UInt64(bitPattern: createRevision), to: &out)
        }
        if modRevision != 0 {
            out.append(0x18)
            appendVarint(UInt64(bitPattern: modRevision), to: &out)
        }
        if version != 0 {
            out.append(0x20)
            appendVarint(UInt64(bitPattern: version), to: &out)
        }
        if !value.isEmpty {
            out.append(0x2A)
            appendVarint(UInt64(value.count), to: &out)
            out.append(contentsOf: value)
        }
        if lease != 0 {
            out.append(0x30)
            appendVarint(UInt64(bitPattern: lease), to: &out)
        }
    }

    /// Size of the protobuf encoding.
    var protobufSize: Int {
        var n = 0
        if !key.isEmpty { n += 1 + varintSize(UInt64(key.count)) + key.count }
        if createRevision != 0 { n += 1 + varintSize(UInt64(bitPattern: createRevision)) }
        if modRevision != 0 { n += 1 + varintSize(UInt64(bitPattern: modRevision)) }
        if version != 0 { n += 1 + varintSize(UInt64(bitPattern: version)) }
        if !value.isEmpty { n += 1 + varintSize(UInt64(value.count)) + value.count }
        if lease != 0 { n += 1 + varintSize(UInt64(bitPattern: lease)) }
        return n
    }

    /// Decodes the protobuf encoding; nil if malformed. `skipValue` leaves `value` empty
    /// (keys-only and count reads need not copy values).
    init?(protobuf buffer: UnsafeRawBufferPointer, skipValue: Bool = false) {
        self.init(key: [])
        var reader = ProtobufReader(buffer: buffer)
        while !reader.isAtEnd {
            guard let tag = reader.varint() else { return nil }
            switch tag {
            case 0x0A:
                guard let bytes = reader.lengthDelimited() else { return nil }
                key = Array(bytes)
            case 0x10:
                guard let v = reader.varint() else { return nil }
                createRevision = Int64(bitPattern: v)
            case 0x18:
                guard let v = reader.varint() else { return nil }
                modRevision = Int64(bitPattern: v)
            case 0x20:
                guard let v = reader.varint() else { return nil }
                version = Int64(bitPattern: v)
            case 0x2A:
                guard let bytes = reader.lengthDelimited() else { return nil }
                if !skipValue { value = Array(bytes) }
            case 0x30:
                guard let v = reader.varint() else { return nil }
                lease = Int64(bitPattern: v)
            default:
                return nil
            }
        }
    }
}

/// Appends a protobuf base-128 varint.
@inline(__always)
func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
        out.append(UInt8(truncatingIfNeeded: v) | 0x80)
        v >>= 7
    }
    out.append(UInt8(v))
}

/// Bytes of a protobuf varint.
@inline(__always)
func varintSize(_ value: UInt64) -> Int {
    var v = value
    var n = 1
    while v >= 0x80 {
        v >>= 7
        n += 1
    }
    return n
}

/// A cursor over protobuf bytes.
struct ProtobufReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0

    var isAtEnd: Bool { offset >= buffer.count }

    mutating func varint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < buffer.count, shift < 64 {
            let byte = buffer[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }

    mutating func lengthDelimited() -> UnsafeRawBufferPointer? {
        guard let length = varint(), length <= UInt64(buffer.count - offset) else { return nil }
        let start = offset
        offset += Int(length)
        return UnsafeRawBufferPointer(rebasing: buffer[start..<offset])
    }
}
