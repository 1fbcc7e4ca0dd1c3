// swift-tools-version:6.1
//
// Cairn: an embeddable, etcd-compatible, replicated key-value store.
// The targets below follow the module map of DESIGN.md; dependencies point down only:
// executables -> CairnServer / CairnClient -> EtcdAPI, MVCC, Raft, RaftTransport -> LMDB -> CLMDB.
import PackageDescription

let package = Package(
    name: "Cairn",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "LMDB", targets: ["LMDB"]),
        .library(name: "MVCC", targets: ["MVCC"]),
        .library(name: "Raft", targets: ["Raft"]),
        .library(name: "RaftTesting", targets: ["RaftTesting"]),
        .executable(name: "raft-sim", targets: ["raft-sim"]),
    ],
    dependencies: [
        // Pinned exactly: the committed generated code must match the plugin that generates it.
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0")
    ],
    targets: [
        // Storage: LMDB (Debian liblmdb-dev) and the revisioned store on top of it.
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(name: "LMDB", dependencies: ["CLMDB"]),
        .target(name: "MVCC", dependencies: ["LMDB"]),

        // Consensus: a pure Raft core (standard library only) and its seeded simulator.
        .target(name: "Raft"),
        .target(name: "RaftTesting", dependencies: ["Raft"]),
        .executableTarget(name: "raft-sim", dependencies: ["RaftTesting"]),

        // The etcd v3 wire schema (our own .proto files, generated Swift messages committed).
        .target(
            name: "EtcdAPI",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Protos"]
        ),

        // One member: Raft log storage, runtime, applier, lessor, watch hub.
        .target(name: "CairnServer", dependencies: ["Raft", "MVCC", "LMDB", "EtcdAPI"]),

        // Benchmarks (run by hand or by tools/, never as timed tests).
        .executableTarget(
            name: "mvcc-bench",
            dependencies: ["MVCC"],
            path: "Benchmarks/MVCCBenchmark"
        ),
        .executableTarget(
            name: "raft-bench",
            dependencies: ["Raft", "RaftTesting"],
            path: "Benchmarks/RaftBenchmark"
        ),

        .executableTarget(
            name: "log-bench",
            dependencies: ["CairnServer", "Raft"],
            path: "Benchmarks/LogBenchmark"
        ),

        .testTarget(name: "LMDBTests", dependencies: ["LMDB"]),
        .testTarget(name: "MVCCTests", dependencies: ["MVCC"]),
        .testTarget(name: "RaftTests", dependencies: ["Raft"]),
        .testTarget(name: "EtcdAPITests", dependencies: ["EtcdAPI"]),
        .testTarget(name: "CairnServerTests", dependencies: ["CairnServer", "Raft", "MVCC", "LMDB", "EtcdAPI"]),
        .testTarget(
            name: "RaftTestingTests",
            dependencies: ["Raft", "RaftTesting"],
            resources: [.copy("Scenarios")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
