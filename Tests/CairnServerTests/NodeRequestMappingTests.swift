import EtcdAPI
import Foundation
import MVCC
import Testing

@testable import CairnServer

/// etcd wire messages <-> store types, and the Raft entry encoding of requests.
@Suite struct NodeRequestMappingTests {
    static let kv = KeyValue(key: b("k"), createRevision: 2, modRevision: 5, version: 3, value: b("v"), lease: 7)

    @Test func putRoundTrips() throws {
        let put = PutRequest(key: b("a"), value: b("1"), lease: 9, prevKV: true, ignoreValue: false, ignoreLease: false)
        #expect(PutRequest(put.protobuf) == put)
        let wire = try put.protobuf.serializedData()
        #expect(PutRequest(try Etcdserverpb_PutRequest(serializedBytes: wire)) == put)
        let response = PutResponse(revision: 12, prevKV: Self.kv)
        var header = Etcdserverpb_ResponseHeader()
        header.memberID = 3
        let pb = response.protobuf(header: header)
        #expect(pb.header.revision == 12 && pb.header.memberID == 3)
        #expect(PutResponse(pb) == response)
        #expect(PutResponse(PutResponse(revision: 4).protobuf(header: header)) == PutResponse(revision: 4))
    }

    @Test func rangeRoundTrips() {
        let range = RangeRequest(
            key: b("a"), rangeEnd: b("z"), limit: 10, revision: 4, sortOrder: .descend, sortTarget: .mod,
            serializable: true, keysOnly: true, countOnly: false, minModRevision: 1, maxModRevision: 9,
            minCreateRevision: 2, maxCreateRevision: 8)
        #expect(RangeRequest(range.protobuf) == range)
        for order in [RangeRequest.SortOrder.none, .ascend, .descend] {
            for target in [RangeRequest.SortTarget.key, .version, .create, .mod, .value] {
                let r = RangeRequest(key: b("k"), sortOrder: order, sortTarget: target)
                #expect(RangeRequest(r.protobuf) == r)
            }
        }
        let response = RangeResponse(revision: 7, kvs: [Self.kv], more: true, count: 3)
        #expect(RangeResponse(response.protobuf(header: Etcdserverpb_ResponseHeader())) == response)
    }

    @Test func deleteRoundTrips() {
        let delete = DeleteRangeRequest(key: b("a"), rangeEnd: [0], prevKV: true)
        #expect(DeleteRangeRequest(delete.protobuf) == delete)
        let response = DeleteRangeResponse(revision: 8, deleted: 1, prevKVs: [Self.kv])
        #expect(DeleteRangeResponse(response.protobuf(header: Etcdserverpb_ResponseHeader())) == response)
    }

    @Test func txnRoundTrips() {
        let compares: [Compare] = [
            Compare(key: b("a"), target: .version(1), result: .equal),
            Compare(key: b("b"), rangeEnd: b("c"), target: .createRevision(2), result: .greater),
            Compare(key: b("c"), target: .modRevision(3), result: .less),
            Compare(key: b("d"), target: .value(b("x")), result: .notEqual),
            Compare(key: b("e"), target: .lease(5), result: .equal),
        ]
        let nested = TxnRequest(success: [.put(PutRequest(key: b("n"), value: b("1")))])
        let txn = TxnRequest(
            compare: compares,
            success: [.put(PutRequest(key: b("a"), value: b("2"))), .range(RangeRequest(key: b("a"))), .txn(nested)],
            failure: [.deleteRange(DeleteRangeRequest(key: b("a")))])
        #expect(TxnRequest(txn.protobuf) == txn)
        let response = TxnResponse(
            revision: 9, succeeded: true,
            responses: [
                .put(PutResponse(revision: 9)), .range(RangeResponse(revision: 9, kvs: [Self.kv], count: 1)),
                .deleteRange(DeleteRangeResponse(revision: 9, deleted: 1)),
                .txn(TxnResponse(revision: 0, succeeded: false)),
            ])
        let pb = response.protobuf(header: Etcdserverpb_ResponseHeader())
        // Nested responses carry the ops' own revisions in their headers.
        #expect(TxnResponse(pb) == response)
    }

    @Test func compareWithMismatchedUnionReadsZero() {
        var pb = Etcdserverpb_Compare()
        pb.key = Data(b("k"))
        pb.target = .mod
        pb.version = 5  // the union holds a version, the target says mod
        #expect(Compare(pb) == Compare(key: b("k"), target: .modRevision(0), result: .equal))
    }

    @Test func compactionRoundTrips() {
        let c = CompactionRequest(revision: 42, physical: true)
        #expect(CompactionRequest(c.protobuf) == c)
        #expect(
            CompactionResponse(CompactionResponse(revision: 50).protobuf(header: .init()))
                == CompactionResponse(revision: 50))
    }

    @Test(arguments: [
        WriteOperation.put(PutRequest(key: b("k"), value: b("v"), lease: 3, prevKV: true)),
        .deleteRange(DeleteRangeRequest(key: b("a"), rangeEnd: b("b"))),
        .txn(
            TxnRequest(
                compare: [Compare(key: b("a"), target: .value(b("1")), result: .equal)],
                success: [.put(PutRequest(key: b("a")))])),
        .compact(CompactionRequest(revision: 3)),
        .leaseGrant(LeaseGrantRequest(id: 77, ttl: 60)),
        .leaseRevoke(LeaseRevokeRequest(id: 77)),
    ])
    func internalRequestRoundTrips(_ operation: WriteOperation) throws {
        let request = InternalRequest(id: 0xABCD_0000_1234_5678, operation: operation)
        let decoded = try InternalRequest(decoding: request.encoded())
        #expect(decoded == request)
    }

    @Test func internalRequestRejectsGarbage() {
        #expect(throws: InternalRequest.DecodingError.truncated) { try InternalRequest(decoding: [1, 2]) }
        #expect(throws: InternalRequest.DecodingError.unknownKind(99)) {
            try InternalRequest(decoding: [99] + [UInt8](repeating: 0, count: 8))
        }
    }

    @Test func requestIDsAreMemberPrefixedAndDistinct() {
        let g1 = RequestIDGenerator(memberID: 1, seedMilliseconds: 5)
        let g2 = RequestIDGenerator(memberID: 2, seedMilliseconds: 5)
        let a = (0..<100).map { _ in g1.next() }
        let c = (0..<100).map { _ in g2.next() }
        #expect(Set(a + c).count == 200)
        #expect(a.allSatisfy { $0 >> 48 == 1 })
    }
}
