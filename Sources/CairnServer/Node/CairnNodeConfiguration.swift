extension CairnNode {
    /// How to start a member.
    public struct Configuration: Sendable {
        /// This member's id (not 0).
        public var memberID: UInt64
        /// The ids of every voting member of a new cluster, this one included (ignored when the
        /// data directory already holds a log: the configuration then comes from it).
        public var peers: [UInt64]
        /// The cluster id sent in every response header; nil = derived from the sorted initial
        /// member ids (etcd hashes them too, with the peer URLs; clients only compare it).
        public var clusterID: UInt64?
        /// Where the Raft log (`raft/`) and the store (`mvcc/`) live.
        public var dataDirectory: String
        /// One Raft tick (etcd's heartbeat interval, 100 ms).
        public var tickInterval: Duration = .milliseconds(100)
        /// Election timeout in ticks (etcd: 1000 ms = 10 ticks).
        public var electionTicks = 10
        /// Heartbeat interval in ticks.
        public var heartbeatTicks = 1
        /// How long a write or linearizable read may wait (etcd: 5 s plus election time).
        public var requestTimeout: Duration = .seconds(7)
        /// Proposals waiting to apply beyond which new ones fail with "too many requests".
        public var maxPendingRequests = 100_000
        /// Seeds this member's election timeouts; nil = the member id.
        public var randomSeed: UInt64?
        /// Seeds request ids (milliseconds of wall time in production, as etcd's idutil; see
        /// `RequestIDGenerator`); nil = the wall clock now.
        public var requestIDSeed: UInt64?
        /// Size of the Raft log's segment files (64 MiB; tests use less).
        public var logSegmentSize: Int64 = 64 << 20
        /// Whether log segments are zero-filled when created (see `DurableLogOptions`).
        public var logZeroFill = true
        /// Called after every log sync (tests count fsyncs).
        public var logSyncObserver: (@Sendable (SyncKind) -> Void)?
        /// LMDB map size of the store.
        public var storeMapSize = 1 << 30

        /// Creates a configuration with etcd's default timings.
        public init(memberID: UInt64, peers: [UInt64], dataDirectory: String) {
            self.memberID = memberID
            self.peers = peers
            self.dataDirectory = dataDirectory
        }

        /// The cluster id: `clusterID`, or an FNV-1a hash of the sorted initial member ids.
        var effectiveClusterID: UInt64 {
            if let clusterID { return clusterID }
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for id in peers.sorted() {
                for shift in stride(from: 56, through: 0, by: -8) {
                    hash = (hash ^ UInt64(UInt8(truncatingIfNeeded: id >> UInt64(shift)))) &* 0x100_0000_01b3
                }
            }
            return hash
        }
    }
}
