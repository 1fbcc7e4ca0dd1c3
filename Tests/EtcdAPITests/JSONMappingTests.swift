import Foundation
import SwiftProtobuf
import Testing

@testable import EtcdAPI

/// How far swift-protobuf's JSON mapping reproduces etcd's gateway (spec 7.2, 7.3, 7.8), so that
/// the gateway written later knows which options to set and what it must add itself.
///
/// Expected strings are etcd 3.4.23's observed output from the spec's transcripts (section 7.8).
@Suite struct JSONMappingTests {
    /// The gateway prints proto field names as declared (grpc-gateway's OrigName).
    static let gateway: JSONEncodingOptions = {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        return options
    }()

    static func header(revision: Int64) -> Etcdserverpb_ResponseHeader {
        var header = Etcdserverpb_ResponseHeader()
        header.clusterID = 5_216_605_778_149_492_110
        header.memberID = 18_311_885_023_958_937_086
        header.revision = revision
        header.raftTerm = 2
        return header
    }

    static let headerJSON =
        #"{"cluster_id":"5216605778149492110","member_id":"18311885023958937086","revision":"2","raft_term":"2"}"#

    static func keyValue(_ key: String, _ value: String, create: Int64, mod: Int64, version: Int64) -> Mvccpb_KeyValue {
        var kv = Mvccpb_KeyValue()
        kv.key = Data(key.utf8)
        kv.value = Data(value.utf8)
        kv.createRevision = create
        kv.modRevision = mod
        kv.version = version
        return kv
    }

    @Test func rangeResponseMatchesGateway() throws {
        var response = Etcdserverpb_RangeResponse()
        response.header = Self.header(revision: 2)
        response.kvs = [Self.keyValue("foo", "bar", create: 2, mod: 2, version: 1)]
        response.count = 1
        // Transcript: /v3/kv/range {"key":"Zm9v"} after putting foo=bar on a fresh cluster.
        #expect(
            try response.jsonString(options: Self.gateway)
                == #"{"header":"# + Self.headerJSON
                + #","kvs":[{"key":"Zm9v","create_revision":"2","mod_revision":"2","version":"1","value":"YmFy"}],"#
                + #""count":"1"}"#
        )

        // No match: only the header; no kvs, no count, no more (defaults are omitted).
        var empty = Etcdserverpb_RangeResponse()
        empty.header = Self.header(revision: 2)
        #expect(try empty.jsonString(options: Self.gateway) == #"{"header":"# + Self.headerJSON + "}")
    }

    @Test func keyValueMatchesGateway() throws {
        var kv = Self.keyValue("foo", "baz", create: 2, mod: 3, version: 2)
        kv.lease = 928_201_117_330_659_086
        #expect(
            try kv.jsonString(options: Self.gateway)
                == #"{"key":"Zm9v","create_revision":"2","mod_revision":"3","version":"2","value":"YmF6","#
                + #""lease":"928201117330659086"}"#
        )
        // A value that needs base64 padding is padded (gateway: standard alphabet, with padding).
        let binary = Mvccpb_KeyValue.with { $0.key = Data([0xFB, 0xFF]) }
        #expect(try binary.jsonString(options: Self.gateway) == #"{"key":"+/8="}"#)
    }

    @Test func defaultFieldNamesAreCamelCaseNotTheGateways() throws {
        // Without preserveProtoFieldNames swift-protobuf prints lowerCamelCase JSON names; etcd's
        // gateway prints the declared names. The gateway must set the option.
        let kv = Self.keyValue("foo", "bar", create: 2, mod: 2, version: 1)
        #expect(
            try kv.jsonString()
                == #"{"key":"Zm9v","createRevision":"2","modRevision":"2","version":"1","value":"YmFy"}"#
        )
        var checkpoint = Etcdserverpb_LeaseCheckpoint()
        checkpoint.id = 1
        checkpoint.remainingTtl = 5
        #expect(try checkpoint.jsonString() == #"{"ID":"1","remainingTTL":"5"}"#)
        #expect(try checkpoint.jsonString(options: Self.gateway) == #"{"ID":"1","remaining_TTL":"5"}"#)
    }

    @Test func watchEventsMatchGateway() throws {
        // PUT is enum value 0: no "type" at all. DELETE is printed by name.
        var put = Mvccpb_Event()
        put.kv = Self.keyValue("gw", "v1", create: 56, mod: 56, version: 1)
        #expect(
            try put.jsonString(options: Self.gateway)
                == #"{"kv":{"key":"Z3c=","create_revision":"56","mod_revision":"56","version":"1","value":"djE="}}"#
        )
        var delete = Mvccpb_Event()
        delete.type = .delete
        delete.kv = Mvccpb_KeyValue.with {
            $0.key = Data("gw".utf8)
            $0.modRevision = 58
        }
        #expect(
            try delete.jsonString(options: Self.gateway)
                == #"{"type":"DELETE","kv":{"key":"Z3c=","mod_revision":"58"}}"#)

        // Progress reply: watch_id -1 as a string, no created/canceled.
        var progress = Etcdserverpb_WatchResponse()
        progress.header = Self.header(revision: 2)
        progress.watchID = -1
        #expect(
            try progress.jsonString(options: Self.gateway) == #"{"header":"# + Self.headerJSON + #","watch_id":"-1"}"#
        )
    }

    @Test func leaseAndStatusNamesMatchGateway() throws {
        // Keep-alive for an unknown lease: TTL 0 is absent, which clients read as "lease gone".
        var keepAlive = Etcdserverpb_LeaseKeepAliveResponse()
        keepAlive.id = 999
        #expect(try keepAlive.jsonString(options: Self.gateway) == #"{"ID":"999"}"#)

        var timeToLive = Etcdserverpb_LeaseTimeToLiveResponse()
        timeToLive.id = 4242
        timeToLive.ttl = 19
        timeToLive.grantedTtl = 20
        #expect(try timeToLive.jsonString(options: Self.gateway) == #"{"ID":"4242","TTL":"19","grantedTTL":"20"}"#)

        var status = Etcdserverpb_StatusResponse()
        status.version = "3.4.23"
        status.dbSize = 20480
        status.leader = 16_914_427_805_600_812_257
        status.raftIndex = 10
        status.raftTerm = 2
        status.raftAppliedIndex = 10
        status.dbSizeInUse = 16384
        #expect(
            try status.jsonString(options: Self.gateway)
                == #"{"version":"3.4.23","dbSize":"20480","leader":"16914427805600812257","raftIndex":"10","#
                + #""raftTerm":"2","raftAppliedIndex":"10","dbSizeInUse":"16384"}"#
        )

        var members = Etcdserverpb_MemberListResponse()
        members.members = [
            Etcdserverpb_Member.with {
                $0.id = 785_453_255_461_650_487
                $0.name = "s2"
                $0.peerUrls = ["http://127.0.0.1:43802"]
                $0.clientUrls = ["http://127.0.0.1:43792"]
            }
        ]
        #expect(
            try members.jsonString(options: Self.gateway)
                == #"{"members":[{"ID":"785453255461650487","name":"s2","peerURLs":["http://127.0.0.1:43802"],"#
                + #""clientURLs":["http://127.0.0.1:43792"]}]}"#
        )
    }

    @Test func numbersEnumsAndEmptyResponsesMatchGateway() throws {
        // uint32 is a JSON number, not a string.
        #expect(try Etcdserverpb_HashResponse.with { $0.hash = 3_070_358_301 }.jsonString() == #"{"hash":3070358301}"#)
        // Alarm, Defragment and MoveLeader answer {} through the gateway.
        #expect(try Etcdserverpb_AlarmResponse().jsonString(options: Self.gateway) == "{}")

        var role = Etcdserverpb_AuthRoleGetResponse()
        role.perm = [
            Authpb_Permission.with {
                $0.key = Data("/pub/".utf8)
                $0.rangeEnd = Data("/pub0".utf8)
            },
            Authpb_Permission.with {
                $0.permType = .readwrite
                $0.key = Data("/rw".utf8)
            },
        ]
        #expect(
            try role.jsonString(options: Self.gateway)
                == #"{"perm":[{"key":"L3B1Yi8=","range_end":"L3B1YjA="},{"permType":"READWRITE","key":"L3J3"}]}"#
        )
    }

    /// Go's jsonpb (behind etcd's gateway) skips zero scalars, nil messages and nil slices, but
    /// prints a oneof member whenever it is set, even to zero or to an empty message. swift-protobuf
    /// does the same, so nested txn results and "key absent" compares look alike in both.
    @Test func oneofMembersSetToZeroAreStillPrinted() throws {
        var response = Etcdserverpb_TxnResponse()
        response.responses = [Etcdserverpb_ResponseOp.with { $0.responsePut = Etcdserverpb_PutResponse() }]
        #expect(try response.jsonString(options: Self.gateway) == #"{"responses":[{"response_put":{}}]}"#)

        var compare = Etcdserverpb_Compare()
        compare.target = .create
        compare.key = Data("a".utf8)
        compare.createRevision = 0
        #expect(
            try compare.jsonString(options: Self.gateway) == #"{"target":"CREATE","key":"YQ==","create_revision":"0"}"#
        )
    }

    /// A known difference: Go's encoding/json (which jsonpb uses for strings) escapes `<`, `>` and
    /// `&` as `\u003c`, `\u003e`, `\u0026`; swift-protobuf writes them as they are. Both are the
    /// same JSON string to any parser, so clients cannot tell; byte-exact comparisons with etcd's
    /// output would. Pinned here so that a change in either direction is noticed.
    @Test func htmlCharactersAreNotEscapedUnlikeGo() throws {
        var response = Etcdserverpb_WatchResponse()
        response.cancelReason = "a<b>&c"
        #expect(try response.jsonString(options: Self.gateway) == #"{"cancel_reason":"a<b>&c"}"#)
    }

    // MARK: Requests (spec 7.2)

    /// The gateway ignores unknown request fields; swift-protobuf needs an option for that.
    static let lenient: JSONDecodingOptions = {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        return options
    }()

    @Test func requestsAcceptProtoNamesCamelNamesStringsAndNumbers() throws {
        let proto = try Etcdserverpb_RangeRequest(
            jsonString: #"{"key":"YQ==","range_end":"eg==","sort_order":"DESCEND","sort_target":"MOD","limit":2}"#
        )
        let camel = try Etcdserverpb_RangeRequest(
            jsonString: #"{"key":"YQ==","rangeEnd":"eg==","sortOrder":2,"sortTarget":3,"limit":"2"}"#
        )
        #expect(proto == camel)
        #expect(proto.rangeEnd == Data("z".utf8))
        #expect(proto.sortOrder == .descend && proto.sortTarget == .mod && proto.limit == 2)

        let grant = try Etcdserverpb_LeaseGrantRequest(jsonString: #"{"TTL":"20","ID":"4242"}"#)
        #expect(grant.ttl == 20 && grant.id == 4242)
        #expect(try Etcdserverpb_RangeRequest(jsonString: "{}") == Etcdserverpb_RangeRequest())
        #expect(try Etcdserverpb_RangeRequest(jsonString: #"{"key":null}"#) == Etcdserverpb_RangeRequest())
    }

    @Test func unknownRequestFieldsNeedTheLenientOption() throws {
        let body = #"{"key":"YQ==","not_a_field":1}"#
        #expect(throws: (any Error).self) { try Etcdserverpb_RangeRequest(jsonString: body) }
        let request = try Etcdserverpb_RangeRequest(jsonString: body, options: Self.lenient)
        #expect(request.key == Data("a".utf8))
    }

    @Test func oneofRequestsAsPlainFields() throws {
        // Patroni's "key absent" compare omits result (EQUAL) and sends create_revision "0": the
        // oneof member must come out set, to 0, not unset.
        let compare = try Etcdserverpb_Compare(jsonString: #"{"key":"YQ==","target":"CREATE","create_revision":"0"}"#)
        #expect(compare.targetUnion == .createRevision(0))
        #expect(compare.result == .equal)

        let watch = try Etcdserverpb_WatchRequest(
            jsonString: #"{"create_request":{"key":"Z3c=","start_revision":"5","filters":[]}}"#
        )
        #expect(watch.createRequest.key == Data("gw".utf8) && watch.createRequest.startRevision == 5)
        let progress = try Etcdserverpb_WatchRequest(jsonString: #"{"progress_request":{}}"#)
        #expect(progress.requestUnion == .progressRequest(Etcdserverpb_WatchProgressRequest()))

        let txn = try Etcdserverpb_TxnRequest(
            jsonString: #"{"compare":[{"key":"YQ==","target":"MOD","mod_revision":"5"}],"#
                + #""failure":[{"request_txn":{"compare":[{"key":"YQ==","target":"CREATE","create_revision":"0"}],"#
                + #""success":[{"request_put":{"key":"YQ==","value":"MQ=="}}]}}]}"#
        )
        #expect(txn.compare.first?.targetUnion == .modRevision(5))
        #expect(txn.failure.first?.requestTxn.success.first?.requestPut.value == Data("1".utf8))
    }

    @Test func unknownEnumNameIsRejected() {
        // The gateway answers 400 for an unknown enum name; swift-protobuf throws too.
        #expect(throws: (any Error).self) {
            try Etcdserverpb_RangeRequest(jsonString: #"{"sort_order":"BOGUS"}"#)
        }
    }

    /// The gateway rejects base64 without padding or in the URL-safe alphabet (Go's strict
    /// StdEncoding: `illegal base64 data at input byte N`). swift-protobuf is more lenient; this
    /// test pins its behaviour so the gateway knows it must validate base64 itself if it wants
    /// etcd's exact error.
    @Test func base64LeniencyDiffersFromGateway() throws {
        let unpadded = try Etcdserverpb_RangeRequest(jsonString: #"{"key":"YQ"}"#)
        #expect(unpadded.key == Data("a".utf8))
        let urlSafe = try Etcdserverpb_RangeRequest(jsonString: #"{"key":"-_8="}"#)
        #expect(urlSafe.key == Data([0xFB, 0xFF]))
    }
}
