import Foundation
import Testing

@testable import EtcdAPI

/// Compares our hand-written .proto files with etcd 3.4's own, field by field (name, number, type,
/// label, oneof), enum value by enum value and rpc by rpc.
///
/// etcd's sources come from Debian's golang-etcd-server-dev (or `ETCD_SOURCE_ROOT`); where they are
/// not installed the comparison is skipped with a message, and the golden-bytes tests still pin
/// every field number that matters. The parser itself is tested here on inline text, so the
/// comparison cannot pass vacuously.
@Suite struct EtcdSchemaCrossCheckTests {
    @Test(
        .enabled(
            if: ProtoFiles.etcdIsInstalled,
            "etcd's .proto files are not installed (apt-get install golang-etcd-server-dev, or set ETCD_SOURCE_ROOT)"
        ),
        arguments: ProtoFiles.all.map(\.ours)
    )
    func matchesEtcdSources(file: String) throws {
        let etcdPath = try #require(ProtoFiles.all.first { $0.ours == file }?.etcd)
        let ours = try ProtoFiles.ours(file)
        let etcd = try ProtoFiles.etcd(etcdPath)
        // A parse that found nothing would compare equal to another empty parse.
        #expect(!etcd.messages.isEmpty, "no messages parsed from etcd's \(etcdPath)")
        let differences = ours.differences(from: etcd, otherLabel: "etcd")
        #expect(differences.isEmpty, "\(file) differs from etcd's \(etcdPath):\n\(differences.joined(separator: "\n"))")
        // Go's jsonpb prints fields in declaration order, swift-protobuf in field-number order: the
        // gateway's JSON key order matches only while etcd declares every message in number order.
        for (name, fields) in etcd.messages.sorted(by: { $0.key < $1.key }) {
            #expect(fields.map(\.number) == fields.map(\.number).sorted(), "etcd declares \(name) out of number order")
        }
    }

    @Test func ourProtosParseToTheExpectedShape() throws {
        let rpc = try ProtoFiles.ours("etcdserverpb/rpc.proto")
        #expect(rpc.package == "etcdserverpb")
        #expect(rpc.services.keys.sorted() == ["Auth", "Cluster", "KV", "Lease", "Maintenance", "Watch"])
        #expect(rpc.services.values.map(\.count).reduce(0, +) == 39)
        #expect(rpc.messages.count == 91)
        #expect(
            rpc.enums.keys.sorted() == [
                "AlarmRequest.AlarmAction", "AlarmType", "Compare.CompareResult", "Compare.CompareTarget",
                "RangeRequest.SortOrder", "RangeRequest.SortTarget", "WatchCreateRequest.FilterType",
            ])
        let compare = try #require(rpc.messages["Compare"])
        #expect(compare.contains(.init(name: "range_end", number: 64, type: "bytes", isRepeated: false, oneof: nil)))
        #expect(compare.filter { $0.oneof == "target_union" }.map(\.number).sorted() == [4, 5, 6, 7, 8])
        let events = try #require(rpc.messages["WatchResponse"]?.first { $0.name == "events" })
        #expect(events.number == 11 && events.isRepeated && events.type == "mvccpb.Event")

        let kv = try ProtoFiles.ours("mvccpb/kv.proto")
        #expect(kv.enums["Event.EventType"] == [.init(name: "PUT", number: 0), .init(name: "DELETE", number: 1)])
        let auth = try ProtoFiles.ours("authpb/auth.proto")
        #expect(auth.messages["Permission"]?.map(\.name) == ["permType", "key", "range_end"])
    }

    /// etcd's files carry gogoproto field options, file options and google.api.http bodies with
    /// nested braces; none of them may confuse the parser.
    @Test func parserReadsEtcdStyleSyntax() throws {
        let text = """
            syntax = "proto3";
            package demo;

            import "gogoproto/gogo.proto";
            import "google/api/annotations.proto";

            option (gogoproto.marshaler_all) = true;
            /* a block comment with } braces { */
            service Demo {
              // Get { does things }
              rpc Get(GetRequest) returns (GetResponse) {
                option (google.api.http) = {
                  post: "/v3/demo/get"
                  body: "*"
                };
              }
              rpc Watch(stream GetRequest) returns (stream .demo.GetResponse) {}
              rpc Plain(GetRequest) returns (GetResponse);
            }

            message GetRequest {
              enum Kind {
                A = 0;
                B = 1 [deprecated = true];
              }
              bytes key = 1 [(gogoproto.nullable) = false];
              repeated Kind kinds = 2;
              oneof choice {
                int64 number = 3;
                string text = 4;
              }
              int64 after = 64;
              message Inner { int32 x = 1; }
            }

            message GetResponse {}
            """
        let schema = try ProtoSchema(parsing: text)
        #expect(schema.package == "demo")
        #expect(
            schema.messages["GetRequest"]?.sorted() == [
                .init(name: "key", number: 1, type: "bytes", isRepeated: false, oneof: nil),
                .init(name: "kinds", number: 2, type: "Kind", isRepeated: true, oneof: nil),
                .init(name: "number", number: 3, type: "int64", isRepeated: false, oneof: "choice"),
                .init(name: "text", number: 4, type: "string", isRepeated: false, oneof: "choice"),
                .init(name: "after", number: 64, type: "int64", isRepeated: false, oneof: nil),
            ]
        )
        #expect(schema.messages["GetRequest.Inner"] == [.init(name: "x", number: 1, type: "int32", isRepeated: false)])
        #expect(schema.messages["GetResponse"] == [])
        #expect(schema.enums["GetRequest.Kind"] == [.init(name: "A", number: 0), .init(name: "B", number: 1)])
        #expect(
            schema.services["Demo"] == [
                .init(
                    name: "Get", requestType: "GetRequest", clientStreaming: false, responseType: "GetResponse",
                    serverStreaming: false
                ),
                .init(
                    name: "Watch", requestType: "GetRequest", clientStreaming: true, responseType: "demo.GetResponse",
                    serverStreaming: true
                ),
                .init(
                    name: "Plain", requestType: "GetRequest", clientStreaming: false, responseType: "GetResponse",
                    serverStreaming: false
                ),
            ]
        )
    }

    /// The comparison reports a renumbered field, a renamed field, a lost oneof and a missing
    /// message, which is what it exists to catch.
    @Test func differencesAreReported() throws {
        let reference = try ProtoSchema(
            parsing: """
                package p;
                message M { int64 a = 1; oneof u { int64 b = 2; } bytes c = 64; }
                message Gone {}
                enum E { X = 0; Y = 1; }
                """
        )
        let drifted = try ProtoSchema(
            parsing: """
                package p;
                message M { int64 a = 1; int64 b = 2; bytes c = 63; }
                enum E { X = 0; Z = 1; }
                """
        )
        #expect(reference.differences(from: reference, otherLabel: "etcd").isEmpty)
        let differences = drifted.differences(from: reference, otherLabel: "etcd")
        #expect(
            differences == [
                "message Gone: missing from ours",
                "message M: ours has `int64 b = 2`, etcd does not",
                "message M: ours has `bytes c = 63`, etcd does not",
                "message M: etcd has `int64 b = 2 (oneof u)`, ours does not",
                "message M: etcd has `bytes c = 64`, ours does not",
                "enum E: ours has `Z = 1`, etcd does not",
                "enum E: etcd has `Y = 1`, ours does not",
            ]
        )
    }
}
