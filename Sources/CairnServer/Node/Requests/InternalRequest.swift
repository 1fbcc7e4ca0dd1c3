import EtcdAPI
import Foundation
import MVCC
import SwiftProtobuf

/// What a normal Raft entry of Cairn carries: a request id and one write (etcd's
/// `etcdserverpb.InternalRaftRequest`, reduced to what the applier needs).
///
/// The id is unique per member (`RequestIDGenerator`): only the member that proposed the entry
/// has a waiter registered under it, so only it completes a promise when the entry applies.
///
/// Encoding (compact, versioned by the kind byte so that kinds can be added):
/// `kind (1 byte) | id (8 bytes, big-endian) | the etcd protobuf message of that kind`.
/// Carrying etcd's own wire messages keeps the log readable with etcd's schema and lets the gRPC
/// layer pass a decoded request through without another representation.
package struct InternalRequest: Hashable, Sendable {
    /// The kinds an entry may carry; the raw value is the first byte of the encoding.
    enum Kind: UInt8 {
        case put = 1
        case deleteRange = 2
        case txn = 3
        case compaction = 4
        case leaseGrant = 5
        case leaseRevoke = 6
    }

    /// Why an entry's data could not be decoded.
    package enum DecodingError: Error, Equatable {
        /// Shorter than the 9-byte prefix.
        case truncated
        /// A kind byte this version does not know.
        case unknownKind(UInt8)
        /// The protobuf body did not parse.
        case malformedBody(String)
    }

    /// The proposer's request id.
    package var id: UInt64
    /// The write to apply.
    package var operation: WriteOperation

    /// Creates a request.
    package init(id: UInt64, operation: WriteOperation) {
        self.id = id
        self.operation = operation
    }

    /// The entry data.
    package func encoded() -> [UInt8] {
        let kind: Kind
        let body: Data
        do {
            switch operation {
            case .put(let r):
                kind = .put
                body = try r.protobuf.serializedData()
            case .deleteRange(let r):
                kind = .deleteRange
                body = try r.protobuf.serializedData()
            case .txn(let r):
                kind = .txn
                body = try r.protobuf.serializedData()
            case .compact(let r):
                kind = .compaction
                body = try r.protobuf.serializedData()
            case .leaseGrant(let r):
                kind = .leaseGrant
                body = try r.protobuf.serializedData()
            case .leaseRevoke(let r):
                kind = .leaseRevoke
                body = try r.protobuf.serializedData()
            }
        } catch {
            // Serializing a message with every required field set cannot fail (proto3 has none).
            preconditionFailure("protobuf serialization failed: \(error)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(9 + body.count)
        out.append(kind.rawValue)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: id >> UInt64(shift))) }
        out.append(contentsOf: body)
        return out
    }

    /// Decodes entry data written by `encoded()`.
    package init(decoding bytes: [UInt8]) throws(DecodingError) {
        guard bytes.count >= 9 else { throw .truncated }
        guard let kind = Kind(rawValue: bytes[0]) else { throw .unknownKind(bytes[0]) }
        var id: UInt64 = 0
        for i in 1..<9 { id = id << 8 | UInt64(bytes[i]) }
        let body = Data(bytes[9...])
        do {
            switch kind {
            case .put:
                operation = .put(PutRequest(try Etcdserverpb_PutRequest(serializedBytes: body)))
            case .deleteRange:
                operation = .deleteRange(DeleteRangeRequest(try Etcdserverpb_DeleteRangeRequest(serializedBytes: body)))
            case .txn:
                operation = .txn(TxnRequest(try Etcdserverpb_TxnRequest(serializedBytes: body)))
            case .compaction:
                operation = .compact(CompactionRequest(try Etcdserverpb_CompactionRequest(serializedBytes: body)))
            case .leaseGrant:
                operation = .leaseGrant(LeaseGrantRequest(try Etcdserverpb_LeaseGrantRequest(serializedBytes: body)))
            case .leaseRevoke:
                operation = .leaseRevoke(
                    LeaseRevokeRequest(try Etcdserverpb_LeaseRevokeRequest(serializedBytes: body)))
            }
        } catch {
            throw .malformedBody(String(describing: error))
        }
        self.id = id
    }
}
