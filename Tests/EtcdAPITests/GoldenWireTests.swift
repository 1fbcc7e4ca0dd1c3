import Foundation
import SwiftProtobuf
import Testing

@testable import EtcdAPI

/// Exact protobuf bytes for etcd messages, written out by hand from the field numbers and types of
/// spec section 2: tag = (field number << 3) | wire type, wire type 0 = varint, 2 = length-delimited.
/// A wrong field number, a wrong type (sint64 for int64, fixed32 for uint32) or a lost oneof
/// presence changes the bytes, so these tests fail even where etcd's sources are not installed.
///
/// Each expectation also decodes the bytes back and compares with the message (round trip).
@Suite struct GoldenWireTests {
    // MARK: KV

    @Test func rangeRequestWithEveryField() throws {
        var request = Etcdserverpb_RangeRequest()
        request.key = Data("foo".utf8)
        request.rangeEnd = Data("fop".utf8)
        request.limit = 10
        request.revision = 300
        request.sortOrder = .descend
        request.sortTarget = .mod
        request.serializable = true
        request.keysOnly = true
        request.countOnly = true
        request.minModRevision = 5
        request.maxModRevision = 6
        request.minCreateRevision = 7
        request.maxCreateRevision = 8
        try expectWire(
            request,
            hex(
                "0a 03 666f6f",  // 1 key, LEN, "foo"
                "12 03 666f70",  // 2 range_end, LEN, "fop"
                "18 0a",  // 3 limit, varint 10
                "20 ac02",  // 4 revision, varint 300
                "28 02",  // 5 sort_order DESCEND
                "30 03",  // 6 sort_target MOD
                "38 01",  // 7 serializable
                "40 01",  // 8 keys_only
                "48 01",  // 9 count_only
                "50 05",  // 10 min_mod_revision
                "58 06",  // 11 max_mod_revision
                "60 07",  // 12 min_create_revision
                "68 08"  // 13 max_create_revision
            )
        )
    }

    @Test func defaultsAreNotOnTheWire() throws {
        // proto3 implicit presence: zero values (NONE, KEY, false, 0, empty) are simply absent.
        try expectWire(Etcdserverpb_RangeRequest(), [])
        var request = Etcdserverpb_RangeRequest()
        request.key = Data("a".utf8)
        request.sortOrder = .none
        request.sortTarget = .key
        try expectWire(request, hex("0a 01 61"))
        try expectWire(Etcdserverpb_WatchResponse(), [])
    }

    @Test func putRequestWithLeaseAndPrevKV() throws {
        var put = Etcdserverpb_PutRequest()
        put.key = Data("k".utf8)
        put.value = Data("v".utf8)
        put.lease = 0x1234
        put.prevKv = true
        try expectWire(
            put,
            hex(
                "0a 01 6b",  // 1 key
                "12 01 76",  // 2 value
                "18 b424",  // 3 lease, varint 4660
                "20 01"  // 4 prev_kv
            )
        )

        var ignoring = Etcdserverpb_PutRequest()
        ignoring.key = Data("k".utf8)
        ignoring.ignoreValue = true
        ignoring.ignoreLease = true
        try expectWire(ignoring, hex("0a 01 6b", "28 01", "30 01"))  // 5 ignore_value, 6 ignore_lease
    }

    @Test func keyValueWithLease() throws {
        var kv = Mvccpb_KeyValue()
        kv.key = Data("k".utf8)
        kv.createRevision = 2
        kv.modRevision = 3
        kv.version = 1
        kv.value = Data("v".utf8)
        kv.lease = 7
        try expectWire(
            kv,
            hex(
                "0a 01 6b",  // 1 key
                "10 02",  // 2 create_revision
                "18 03",  // 3 mod_revision
                "20 01",  // 4 version
                "2a 01 76",  // 5 value
                "30 07"  // 6 lease
            )
        )
    }

    /// One Compare per target_union member, nested RequestOps of every kind, and range_end at 64.
    @Test func txnRequestWithEveryCompareTargetAndNestedOps() throws {
        let key = Data("a".utf8)

        // target_union is a oneof: create_revision = 0 must still be sent (it means "key absent").
        var created = Etcdserverpb_Compare()
        created.target = .create
        created.key = key
        created.createRevision = 0

        var version = Etcdserverpb_Compare()
        version.result = .greater
        version.target = .version
        version.key = key
        version.version = 2

        var modified = Etcdserverpb_Compare()
        modified.result = .less
        modified.target = .mod
        modified.key = key
        modified.modRevision = 300

        var value = Etcdserverpb_Compare()
        value.result = .notEqual
        value.target = .value
        value.key = key
        value.value = Data("x".utf8)

        var lease = Etcdserverpb_Compare()
        lease.target = .lease
        lease.key = key
        lease.lease = 5
        lease.rangeEnd = Data("b".utf8)

        var put = Etcdserverpb_PutRequest()
        put.key = key
        put.value = Data("1".utf8)

        var range = Etcdserverpb_RangeRequest()
        range.key = key
        var nested = Etcdserverpb_TxnRequest()
        nested.compare = [created]
        nested.success = [Etcdserverpb_RequestOp.with { $0.requestRange = range }]

        var delete = Etcdserverpb_DeleteRangeRequest()
        delete.key = key
        delete.rangeEnd = Data("b".utf8)
        delete.prevKv = true

        var txn = Etcdserverpb_TxnRequest()
        txn.compare = [created, version, modified, value, lease]
        txn.success = [Etcdserverpb_RequestOp.with { $0.requestPut = put }]
        txn.failure = [
            Etcdserverpb_RequestOp.with { $0.requestTxn = nested },
            Etcdserverpb_RequestOp.with { $0.requestDeleteRange = delete },
        ]

        try expectWire(
            txn,
            hex(
                // 1 compare: target CREATE (2), key (3), create_revision (5) = 0, present because oneof
                "0a 07  10 01  1a 01 61  28 00",
                // 1 compare: result GREATER (1), key, version (4) = 2
                "0a 07  08 01  1a 01 61  20 02",
                // 1 compare: result LESS, target MOD, key, mod_revision (6) = 300
                "0a 0a  08 02  10 02  1a 01 61  30 ac02",
                // 1 compare: result NOT_EQUAL, target VALUE, key, value (7, LEN) = "x"
                "0a 0a  08 03  10 03  1a 01 61  3a 01 78",
                // 1 compare: target LEASE, key, lease (8) = 5, range_end (64, LEN: tag 514 = 82 04) = "b"
                "0a 0b  10 04  1a 01 61  40 05  8204 01 62",
                // 2 success: RequestOp.request_put (2): PutRequest key "a", value "1"
                "12 08  12 06  0a 01 61  12 01 31",
                // 3 failure: RequestOp.request_txn (4): TxnRequest { compare CREATE == 0, success [range a] }
                "1a 12  22 10  0a 07 10 01 1a 01 61 28 00  12 05 0a 03 0a 01 61",
                // 3 failure: RequestOp.request_delete_range (3): key "a", range_end "b", prev_kv
                "1a 0a  1a 08  0a 01 61  12 01 62  18 01"
            )
        )
    }

    @Test func txnResponseWithNestedResponses() throws {
        var header = Etcdserverpb_ResponseHeader()
        header.revision = 4
        var response = Etcdserverpb_TxnResponse()
        response.header = header
        response.succeeded = true
        response.responses = [
            Etcdserverpb_ResponseOp.with { $0.responsePut = Etcdserverpb_PutResponse() },
            Etcdserverpb_ResponseOp.with { $0.responseTxn = Etcdserverpb_TxnResponse() },
        ]
        try expectWire(
            response,
            hex(
                "0a 02 18 04",  // 1 header { revision 4 }
                "10 01",  // 2 succeeded
                "1a 02 12 00",  // 3 responses: response_put (2), empty but present
                "1a 02 22 00"  // 3 responses: response_txn (4), empty but present
            )
        )
    }

    // MARK: Watch

    @Test func watchRequestOneofs() throws {
        var create = Etcdserverpb_WatchCreateRequest()
        create.key = Data("a".utf8)
        create.rangeEnd = Data("b".utf8)
        create.startRevision = 7
        create.progressNotify = true
        create.filters = [.noput, .nodelete]
        create.prevKv = true
        create.watchID = 3
        create.fragment = true
        try expectWire(
            Etcdserverpb_WatchRequest.with { $0.createRequest = create },
            hex(
                "0a 14",  // 1 create_request, 20 bytes
                "0a 01 61",  // 1 key
                "12 01 62",  // 2 range_end
                "18 07",  // 3 start_revision
                "20 01",  // 4 progress_notify
                "2a 02 00 01",  // 5 filters, packed: NOPUT, NODELETE
                "30 01",  // 6 prev_kv
                "38 03",  // 7 watch_id
                "40 01"  // 8 fragment
            )
        )

        var cancel = Etcdserverpb_WatchCancelRequest()
        cancel.watchID = 3
        try expectWire(Etcdserverpb_WatchRequest.with { $0.cancelRequest = cancel }, hex("12 02 08 03"))
        // Cancelling watch 0 is an empty message, still present as the oneof member.
        try expectWire(
            Etcdserverpb_WatchRequest.with { $0.cancelRequest = Etcdserverpb_WatchCancelRequest() },
            hex("12 00")
        )
        try expectWire(
            Etcdserverpb_WatchRequest.with { $0.progressRequest = Etcdserverpb_WatchProgressRequest() },
            hex("1a 00")
        )
    }

    @Test func unpackedFiltersAreAccepted() throws {
        // Spec 2.3: a writer may send repeated enums unpacked (one tag per value); accept both forms.
        let unpacked = try Etcdserverpb_WatchCreateRequest(serializedBytes: hex("28 00", "28 01"))
        #expect(unpacked.filters == [.noput, .nodelete])
    }

    @Test func watchResponseWithEvents() throws {
        var header = Etcdserverpb_ResponseHeader()
        header.clusterID = 1
        header.memberID = 2
        header.revision = 9
        header.raftTerm = 3

        var current = Mvccpb_KeyValue()
        current.key = Data("a".utf8)
        current.createRevision = 8
        current.modRevision = 9
        current.version = 2
        current.value = Data("v".utf8)
        var previous = Mvccpb_KeyValue()
        previous.key = Data("a".utf8)
        previous.createRevision = 8
        previous.modRevision = 8
        previous.version = 1
        previous.value = Data("u".utf8)
        var put = Mvccpb_Event()
        put.type = .put
        put.kv = current
        put.prevKv = previous

        var deleted = Mvccpb_Event()
        deleted.type = .delete
        deleted.kv = Mvccpb_KeyValue.with {
            $0.key = Data("a".utf8)
            $0.modRevision = 10
        }

        var response = Etcdserverpb_WatchResponse()
        response.header = header
        response.watchID = 3
        response.events = [put, deleted]
        try expectWire(
            response,
            hex(
                "0a 08  08 01 10 02 18 09 20 03",  // 1 header: cluster_id, member_id, revision, raft_term
                "10 03",  // 2 watch_id
                // 11 events (tag 11<<3|2 = 0x5a): PUT (type 0 absent), kv (2), prev_kv (3)
                "5a 1c  12 0c 0a 01 61 10 08 18 09 20 02 2a 01 76  1a 0c 0a 01 61 10 08 18 08 20 01 2a 01 75",
                // 11 events: DELETE (type 1), kv with only key and mod_revision
                "5a 09  08 01  12 05 0a 01 61 18 0a"
            )
        )
    }

    @Test func watchResponseCancelFields() throws {
        var response = Etcdserverpb_WatchResponse()
        response.watchID = -1
        response.created = true
        response.canceled = true
        response.compactRevision = 5
        response.cancelReason = "x"
        response.fragment = true
        try expectWire(
            response,
            hex(
                "10 ffffffffffffffffff01",  // 2 watch_id -1: int64, so ten-byte two's complement varint
                "18 01",  // 3 created
                "20 01",  // 4 canceled
                "28 05",  // 5 compact_revision
                "32 01 78",  // 6 cancel_reason
                "38 01"  // 7 fragment
            )
        )
    }

    // MARK: Lease

    @Test func leaseMessages() throws {
        var grant = Etcdserverpb_LeaseGrantRequest()
        grant.ttl = 60
        grant.id = 0x1234
        try expectWire(grant, hex("08 3c", "10 b424"))  // 1 TTL, 2 ID

        var granted = Etcdserverpb_LeaseGrantResponse()
        granted.id = 7
        granted.ttl = 60
        granted.error = "e"
        try expectWire(granted, hex("10 07", "18 3c", "22 01 65"))  // 2 ID, 3 TTL, 4 error

        try expectWire(Etcdserverpb_LeaseKeepAliveRequest.with { $0.id = 1 }, hex("08 01"))

        var timeToLive = Etcdserverpb_LeaseTimeToLiveResponse()
        timeToLive.id = 1
        timeToLive.ttl = 9
        timeToLive.grantedTtl = 10
        timeToLive.keys = [Data("a".utf8), Data("b".utf8)]
        try expectWire(timeToLive, hex("10 01", "18 09", "20 0a", "2a 01 61", "2a 01 62"))  // 4 grantedTTL, 5 keys
    }

    // MARK: Header, cluster, maintenance

    @Test func responseHeaderWithFullWidthIDs() throws {
        var header = Etcdserverpb_ResponseHeader()
        header.clusterID = .max
        header.memberID = 1 << 63
        header.revision = 1
        header.raftTerm = 2
        try expectWire(
            header,
            hex(
                "08 ffffffffffffffffff01",  // 1 cluster_id, uint64 max
                "10 80808080808080808001",  // 2 member_id, 1 << 63
                "18 01",  // 3 revision
                "20 02"  // 4 raft_term
            )
        )
    }

    @Test func member() throws {
        var member = Etcdserverpb_Member()
        member.id = 10
        member.name = "n1"
        member.peerUrls = ["http://a:2380"]
        member.clientUrls = ["http://a:2379"]
        member.isLearner = true
        try expectWire(
            member,
            hex(
                "08 0a",  // 1 ID
                "12 02 6e31",  // 2 name
                "1a 0d 687474703a2f2f613a32333830",  // 3 peerURLs "http://a:2380"
                "22 0d 687474703a2f2f613a32333739",  // 4 clientURLs "http://a:2379"
                "28 01"  // 5 isLearner
            )
        )

        var add = Etcdserverpb_MemberAddRequest()
        add.peerUrls = ["http://a:2380"]
        add.isLearner = true
        try expectWire(add, hex("0a 0d 687474703a2f2f613a32333830", "10 01"))
    }

    @Test func alarmMessages() throws {
        var member = Etcdserverpb_AlarmMember()
        member.memberID = 5
        member.alarm = .nospace
        try expectWire(member, hex("08 05", "10 01"))  // 1 memberID, 2 alarm NOSPACE
        try expectWire(Etcdserverpb_AlarmMember.with { $0.alarm = .corrupt }, hex("10 02"))

        var request = Etcdserverpb_AlarmRequest()
        request.action = .activate
        request.memberID = 5
        request.alarm = .nospace
        try expectWire(request, hex("08 01", "10 05", "18 01"))  // 1 action, 2 memberID, 3 alarm
    }

    @Test func statusResponse() throws {
        var status = Etcdserverpb_StatusResponse()
        status.version = "3.4.23"
        status.dbSize = 20480
        status.leader = 1
        status.raftIndex = 10
        status.raftTerm = 2
        status.raftAppliedIndex = 10
        status.errors = ["e"]
        status.dbSizeInUse = 16384
        status.isLearner = true
        try expectWire(
            status,
            hex(
                "12 06 332e342e3233",  // 2 version
                "18 80a001",  // 3 dbSize 20480
                "20 01",  // 4 leader
                "28 0a",  // 5 raftIndex
                "30 02",  // 6 raftTerm
                "38 0a",  // 7 raftAppliedIndex
                "42 01 65",  // 8 errors
                "48 808001",  // 9 dbSizeInUse 16384
                "50 01"  // 10 isLearner
            )
        )
    }

    @Test func hashAndSnapshot() throws {
        var hashKV = Etcdserverpb_HashKVResponse()
        hashKV.hash = .max
        hashKV.compactRevision = 3
        // hash is uint32: a varint (five bytes for 2^32-1), not fixed32.
        try expectWire(hashKV, hex("10 ffffffff0f", "18 03"))

        var snapshot = Etcdserverpb_SnapshotResponse()
        snapshot.remainingBytes = 1
        snapshot.blob = Data([0, 1])
        try expectWire(snapshot, hex("10 01", "1a 02 0001"))  // 2 remaining_bytes, 3 blob
    }

    @Test func fieldsFromNewerEtcdVersionsAreTolerated() throws {
        // etcd 3.5 adds HashKVResponse field 4 (hash_revision); a 3.4-shaped decoder must not choke
        // on it, and keeps it as an unknown field so that re-encoding does not lose it.
        let bytes = hex("10 07", "18 03", "20 05")
        let response = try Etcdserverpb_HashKVResponse(serializedBytes: bytes)
        #expect(response.hash == 7)
        #expect(response.compactRevision == 3)
        #expect(try response.serializedBytes() == bytes)
    }

    // MARK: Auth

    @Test func authRoleGrantPermissionRequest() throws {
        var permission = Authpb_Permission()
        permission.permType = .readwrite
        permission.key = Data("k".utf8)
        permission.rangeEnd = Data([0])
        var request = Etcdserverpb_AuthRoleGrantPermissionRequest()
        request.name = "r"
        request.perm = permission
        try expectWire(
            request,
            hex(
                "0a 01 72",  // 1 name
                "12 08  08 02  12 01 6b  1a 01 00"  // 2 perm: permType READWRITE, key "k", range_end "\0"
            )
        )

        var grantRole = Etcdserverpb_AuthUserGrantRoleRequest()
        grantRole.user = "u"
        grantRole.role = "r"
        try expectWire(grantRole, hex("0a 01 75", "12 01 72"))  // 1 user (not name), 2 role
    }

    // MARK: Lock and election

    @Test func lockAndElection() throws {
        var lock = V3lockpb_LockRequest()
        lock.name = Data("l".utf8)
        lock.lease = 7
        try expectWire(lock, hex("0a 01 6c", "10 07"))

        var leader = V3electionpb_LeaderKey()
        leader.name = Data("e".utf8)
        leader.key = Data("e/1".utf8)
        leader.rev = 8
        leader.lease = 7
        var campaign = V3electionpb_CampaignResponse()
        campaign.leader = leader
        try expectWire(campaign, hex("12 0c  0a 01 65  12 03 652f31  18 08  20 07"))  // 2 leader
    }
}

/// Asserts that `message` encodes to exactly `expected` and that `expected` decodes back to it.
func expectWire<M: SwiftProtobuf.Message & Equatable>(
    _ message: M,
    _ expected: [UInt8],
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let encoded: [UInt8] = try message.serializedBytes()
    #expect(
        encoded == expected,
        "\(M.protoMessageName): got \(hexString(encoded)), expected \(hexString(expected))",
        sourceLocation: sourceLocation
    )
    let decoded = try M(serializedBytes: expected)
    #expect(decoded == message, "\(M.protoMessageName) did not round-trip", sourceLocation: sourceLocation)
}

/// Bytes from hex text; spaces are ignored so that each field can be written as its own group.
func hex(_ parts: String...) -> [UInt8] {
    let digits = Array(parts.joined().unicodeScalars.filter { !$0.properties.isWhitespace })
    precondition(digits.count % 2 == 0, "odd number of hex digits in a test literal")
    return stride(from: 0, to: digits.count, by: 2).map { index in
        UInt8(String(String.UnicodeScalarView(digits[index..<index + 2])), radix: 16)!
    }
}

/// Lower-case hex of `bytes`, space separated, for failure messages.
func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        .joined(separator: " ")
}
