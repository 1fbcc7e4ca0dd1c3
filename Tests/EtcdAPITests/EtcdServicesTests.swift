import SwiftProtobuf
import Testing

@testable import EtcdAPI

/// The method table that drives the gRPC router must list exactly the methods of spec section 1,
/// with the paths clients send and the message types our .proto files declare.
@Suite struct EtcdServicesTests {
    @Test func tableHasEveryMethodOfSpecSection1() {
        #expect(EtcdMethod.allCases.count == 46)
        let counts = EtcdService.allCases.map { "\($0.fullName):\($0.methods.count)" }
        #expect(
            counts == [
                "etcdserverpb.KV:5", "etcdserverpb.Watch:1", "etcdserverpb.Lease:5", "etcdserverpb.Cluster:5",
                "etcdserverpb.Maintenance:7", "etcdserverpb.Auth:16", "v3lockpb.Lock:2", "v3electionpb.Election:5",
            ]
        )
    }

    @Test func pathsAreServiceSlashMethodAndResolveBack() {
        for method in EtcdMethod.allCases {
            #expect(method.path == "/\(method.service.fullName)/\(method.name)")
            #expect(EtcdMethod(rawValue: method.path) == method)
            #expect(EtcdMethod(path: method.path) == method)
        }
        #expect(EtcdMethod(path: "/etcdserverpb.KV/Range") == .range)
        #expect(EtcdMethod(path: "/etcdserverpb.KV/range") == nil)  // paths are case-sensitive
        #expect(EtcdMethod(path: "/etcdserverpb.KV/Range/") == nil)
        #expect(EtcdMethod(path: "/grpc.health.v1.Health/Check") == nil)  // served elsewhere, not etcd's API
        #expect(EtcdMethod.leaseKeepAlive.name == "LeaseKeepAlive")
        #expect(EtcdMethod.hashKV.path == "/etcdserverpb.Maintenance/HashKV")
        #expect(EtcdMethod.observe.path == "/v3electionpb.Election/Observe")
    }

    @Test func streamingKindsMatchSpecLegend() {
        let bidirectional = EtcdMethod.allCases.filter { $0.streamingKind == .bidirectionalStreaming }
        let serverOnly = EtcdMethod.allCases.filter { $0.streamingKind == .serverStreaming }
        #expect(bidirectional == [.watch, .leaseKeepAlive])
        #expect(serverOnly == [.snapshot, .observe])
        #expect(!EtcdMethod.allCases.contains { $0.streamingKind == .clientStreaming })
        #expect(EtcdMethod.watch.streamingKind.isClientStreaming && EtcdMethod.watch.streamingKind.isServerStreaming)
        #expect(!EtcdMethod.snapshot.streamingKind.isClientStreaming)
        #expect(EtcdMethod.snapshot.streamingKind.isServerStreaming)
        #expect(!EtcdMethod.range.streamingKind.isClientStreaming && !EtcdMethod.range.streamingKind.isServerStreaming)
    }

    @Test func swiftTypeNames() {
        #expect(EtcdMethod.range.requestTypeName == "Etcdserverpb_RangeRequest")
        #expect(EtcdMethod.range.responseTypeName == "Etcdserverpb_RangeResponse")
        #expect(EtcdMethod.compact.requestTypeName == "Etcdserverpb_CompactionRequest")
        #expect(EtcdMethod.userAdd.requestTypeName == "Etcdserverpb_AuthUserAddRequest")
        #expect(EtcdMethod.lock.responseTypeName == "V3lockpb_LockResponse")
        #expect(EtcdMethod.observe.requestTypeName == "V3electionpb_LeaderRequest")
    }

    /// Every rpc declared in our .proto files is in the table with the same types and streaming, and
    /// the table has nothing the .proto files lack.
    @Test func tableAgreesWithServiceDeclarationsInOurProtos() throws {
        var declared: [String: ProtoSchema.Method] = [:]
        for file in ProtoFiles.all {
            let schema = try ProtoFiles.ours(file.ours)
            for (service, methods) in schema.services {
                for method in methods {
                    declared["/\(schema.package).\(service)/\(method.name)"] = method
                    // Unqualified names in a .proto are in the file's own package.
                    if !method.requestType.contains(".") {
                        declared["/\(schema.package).\(service)/\(method.name)"]?.requestType =
                            "\(schema.package).\(method.requestType)"
                    }
                    if !method.responseType.contains(".") {
                        declared["/\(schema.package).\(service)/\(method.name)"]?.responseType =
                            "\(schema.package).\(method.responseType)"
                    }
                }
            }
        }
        #expect(declared.keys.sorted() == EtcdMethod.allCases.map(\.path).sorted())
        for method in EtcdMethod.allCases {
            let proto = try #require(declared[method.path], "\(method.path) not declared in Protos/")
            #expect(proto.requestType == method.requestType.protoMessageName, "\(method.path) request")
            #expect(proto.responseType == method.responseType.protoMessageName, "\(method.path) response")
            #expect(proto.clientStreaming == method.streamingKind.isClientStreaming, "\(method.path) client streaming")
            #expect(proto.serverStreaming == method.streamingKind.isServerStreaming, "\(method.path) server streaming")
        }
    }
}
