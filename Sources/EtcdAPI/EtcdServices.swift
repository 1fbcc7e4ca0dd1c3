import SwiftProtobuf

/// One of the gRPC services of etcd's v3 API (spec section 1).
///
/// The services are declared in `Protos/` for reference, but protoc-gen-swift generates messages
/// only: Cairn serves gRPC from its own thin layer on swift-nio-http2 (DESIGN.md, "Lean network
/// front end"), and this table is what that layer routes on.
public enum EtcdService: String, CaseIterable, Sendable {
    /// `etcdserverpb.KV`: reads, writes, transactions, compaction.
    case kv = "etcdserverpb.KV"
    /// `etcdserverpb.Watch`: multiplexed watchers on one bidirectional stream.
    case watch = "etcdserverpb.Watch"
    /// `etcdserverpb.Lease`: grant, revoke, keep-alive, time-to-live, list.
    case lease = "etcdserverpb.Lease"
    /// `etcdserverpb.Cluster`: membership.
    case cluster = "etcdserverpb.Cluster"
    /// `etcdserverpb.Maintenance`: alarms, status, defragment, hashes, snapshot, leader transfer.
    case maintenance = "etcdserverpb.Maintenance"
    /// `etcdserverpb.Auth`: users, roles, permissions, tokens.
    case auth = "etcdserverpb.Auth"
    /// `v3lockpb.Lock`: the server-side lock recipe.
    case lock = "v3lockpb.Lock"
    /// `v3electionpb.Election`: the server-side leader election recipe.
    case election = "v3electionpb.Election"

    /// The fully-qualified protobuf name, `<package>.<Service>`, as it appears in method paths.
    public var fullName: String { rawValue }

    /// The service's methods, in the order of spec section 1.
    public var methods: [EtcdMethod] {
        EtcdMethod.allCases.filter { $0.service == self }
    }
}

/// Which sides of a gRPC call carry a stream of messages rather than exactly one.
public enum EtcdStreamingKind: Sendable, Hashable {
    /// One request, one response.
    case unary
    /// One request, a stream of responses (Maintenance.Snapshot, Election.Observe).
    case serverStreaming
    /// A stream of requests, one response. etcd's v3 API has no such method; listed so that a
    /// switch over the kinds stays exhaustive for any gRPC method.
    case clientStreaming
    /// Streams both ways (Watch.Watch, Lease.LeaseKeepAlive).
    case bidirectionalStreaming

    /// Whether the client sends a stream of requests.
    public var isClientStreaming: Bool { self == .clientStreaming || self == .bidirectionalStreaming }

    /// Whether the server sends a stream of responses.
    public var isServerStreaming: Bool { self == .serverStreaming || self == .bidirectionalStreaming }
}

/// Every method of etcd's v3 gRPC API (spec section 1): 46 methods in 8 services.
///
/// The raw value is the gRPC method path, `/<package>.<Service>/<Method>`, exactly as clients put
/// it in the HTTP/2 `:path` header; `EtcdMethod(path:)` is the router's lookup.
/// The request and response message types are the generated ones (`Etcdserverpb_RangeRequest`...).
public enum EtcdMethod: String, CaseIterable, Sendable {
    // MARK: etcdserverpb.KV

    /// Read a key or a key range, optionally at a past revision.
    case range = "/etcdserverpb.KV/Range"
    /// Write one key.
    case put = "/etcdserverpb.KV/Put"
    /// Delete a key or a key range.
    case deleteRange = "/etcdserverpb.KV/DeleteRange"
    /// Atomic compare, then success or failure ops.
    case txn = "/etcdserverpb.KV/Txn"
    /// Discard history older than a revision.
    case compact = "/etcdserverpb.KV/Compact"

    // MARK: etcdserverpb.Watch

    /// Create, cancel and progress-request watchers; receive their events (bidirectional).
    case watch = "/etcdserverpb.Watch/Watch"

    // MARK: etcdserverpb.Lease

    /// Create a lease.
    case leaseGrant = "/etcdserverpb.Lease/LeaseGrant"
    /// Delete a lease and every key attached to it.
    case leaseRevoke = "/etcdserverpb.Lease/LeaseRevoke"
    /// Renew leases; one response per request (bidirectional).
    case leaseKeepAlive = "/etcdserverpb.Lease/LeaseKeepAlive"
    /// Remaining and granted TTL of a lease, optionally its keys.
    case leaseTimeToLive = "/etcdserverpb.Lease/LeaseTimeToLive"
    /// List every lease.
    case leaseLeases = "/etcdserverpb.Lease/LeaseLeases"

    // MARK: etcdserverpb.Cluster

    /// Add a voting member or a learner.
    case memberAdd = "/etcdserverpb.Cluster/MemberAdd"
    /// Remove a member.
    case memberRemove = "/etcdserverpb.Cluster/MemberRemove"
    /// Replace a member's peer URLs.
    case memberUpdate = "/etcdserverpb.Cluster/MemberUpdate"
    /// List the members.
    case memberList = "/etcdserverpb.Cluster/MemberList"
    /// Promote a learner to a voter.
    case memberPromote = "/etcdserverpb.Cluster/MemberPromote"

    // MARK: etcdserverpb.Maintenance

    /// Get, activate or deactivate alarms.
    case alarm = "/etcdserverpb.Maintenance/Alarm"
    /// Member-local status.
    case status = "/etcdserverpb.Maintenance/Status"
    /// Compact the member's backend file.
    case defragment = "/etcdserverpb.Maintenance/Defragment"
    /// Hash of the whole backend.
    case hash = "/etcdserverpb.Maintenance/Hash"
    /// Hash of the key history up to a revision.
    case hashKV = "/etcdserverpb.Maintenance/HashKV"
    /// Stream the member's database, then its sha256 (server streaming).
    case snapshot = "/etcdserverpb.Maintenance/Snapshot"
    /// Hand leadership to another voter.
    case moveLeader = "/etcdserverpb.Maintenance/MoveLeader"

    // MARK: etcdserverpb.Auth

    /// Turn authentication on.
    case authEnable = "/etcdserverpb.Auth/AuthEnable"
    /// Turn authentication off.
    case authDisable = "/etcdserverpb.Auth/AuthDisable"
    /// Check a name and password; return a token.
    case authenticate = "/etcdserverpb.Auth/Authenticate"
    /// Create a user.
    case userAdd = "/etcdserverpb.Auth/UserAdd"
    /// A user's roles.
    case userGet = "/etcdserverpb.Auth/UserGet"
    /// List users.
    case userList = "/etcdserverpb.Auth/UserList"
    /// Delete a user.
    case userDelete = "/etcdserverpb.Auth/UserDelete"
    /// Change a user's password.
    case userChangePassword = "/etcdserverpb.Auth/UserChangePassword"
    /// Grant a role to a user.
    case userGrantRole = "/etcdserverpb.Auth/UserGrantRole"
    /// Revoke a role from a user.
    case userRevokeRole = "/etcdserverpb.Auth/UserRevokeRole"
    /// Create a role.
    case roleAdd = "/etcdserverpb.Auth/RoleAdd"
    /// A role's permissions.
    case roleGet = "/etcdserverpb.Auth/RoleGet"
    /// List roles.
    case roleList = "/etcdserverpb.Auth/RoleList"
    /// Delete a role.
    case roleDelete = "/etcdserverpb.Auth/RoleDelete"
    /// Add or replace a key-range permission of a role.
    case roleGrantPermission = "/etcdserverpb.Auth/RoleGrantPermission"
    /// Remove a key-range permission from a role.
    case roleRevokePermission = "/etcdserverpb.Auth/RoleRevokePermission"

    // MARK: v3lockpb.Lock

    /// Wait until the named lock is owned; return the owner key.
    case lock = "/v3lockpb.Lock/Lock"
    /// Release a lock by deleting its owner key.
    case unlock = "/v3lockpb.Lock/Unlock"

    // MARK: v3electionpb.Election

    /// Wait until leader of the election; return the leader key.
    case campaign = "/v3electionpb.Election/Campaign"
    /// The leader publishes a new value.
    case proclaim = "/v3electionpb.Election/Proclaim"
    /// The current leader's key-value.
    case leader = "/v3electionpb.Election/Leader"
    /// Stream the leader's key-value as it changes (server streaming).
    case observe = "/v3electionpb.Election/Observe"
    /// The leader steps down.
    case resign = "/v3electionpb.Election/Resign"

    /// The method a gRPC `:path` names, or nil for a path etcd does not serve (the caller answers
    /// `Unimplemented`, as grpc-go does for an unknown method).
    ///
    /// Runs once per call: a hash lookup rather than the synthesized `init(rawValue:)`, which
    /// compares the path with each of the 46 raw values in turn.
    public init?(path: String) {
        guard let method = Self.byPath[path] else { return nil }
        self = method
    }

    private static let byPath: [String: EtcdMethod] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) }
    )

    /// The gRPC method path, `/<package>.<Service>/<Method>`.
    public var path: String { rawValue }

    /// The method's name within its service, e.g. `Range` or `LeaseKeepAlive`.
    public var name: String {
        // The path is "/<service>/<method>", so the name is what follows the last slash.
        String(rawValue[rawValue.index(after: rawValue.lastIndex(of: "/")!)...])
    }

    /// The service the method belongs to.
    public var service: EtcdService {
        switch self {
        case .range, .put, .deleteRange, .txn, .compact:
            .kv
        case .watch:
            .watch
        case .leaseGrant, .leaseRevoke, .leaseKeepAlive, .leaseTimeToLive, .leaseLeases:
            .lease
        case .memberAdd, .memberRemove, .memberUpdate, .memberList, .memberPromote:
            .cluster
        case .alarm, .status, .defragment, .hash, .hashKV, .snapshot, .moveLeader:
            .maintenance
        case .authEnable, .authDisable, .authenticate, .userAdd, .userGet, .userList, .userDelete,
            .userChangePassword, .userGrantRole, .userRevokeRole, .roleAdd, .roleGet, .roleList, .roleDelete,
            .roleGrantPermission, .roleRevokePermission:
            .auth
        case .lock, .unlock:
            .lock
        case .campaign, .proclaim, .leader, .observe, .resign:
            .election
        }
    }

    /// Which sides of the call are streams.
    public var streamingKind: EtcdStreamingKind {
        switch self {
        case .watch, .leaseKeepAlive: .bidirectionalStreaming
        case .snapshot, .observe: .serverStreaming
        default: .unary
        }
    }

    /// The generated request message type; each request on a stream is one such message.
    public var requestType: any SwiftProtobuf.Message.Type {
        switch self {
        case .range: Etcdserverpb_RangeRequest.self
        case .put: Etcdserverpb_PutRequest.self
        case .deleteRange: Etcdserverpb_DeleteRangeRequest.self
        case .txn: Etcdserverpb_TxnRequest.self
        case .compact: Etcdserverpb_CompactionRequest.self
        case .watch: Etcdserverpb_WatchRequest.self
        case .leaseGrant: Etcdserverpb_LeaseGrantRequest.self
        case .leaseRevoke: Etcdserverpb_LeaseRevokeRequest.self
        case .leaseKeepAlive: Etcdserverpb_LeaseKeepAliveRequest.self
        case .leaseTimeToLive: Etcdserverpb_LeaseTimeToLiveRequest.self
        case .leaseLeases: Etcdserverpb_LeaseLeasesRequest.self
        case .memberAdd: Etcdserverpb_MemberAddRequest.self
        case .memberRemove: Etcdserverpb_MemberRemoveRequest.self
        case .memberUpdate: Etcdserverpb_MemberUpdateRequest.self
        case .memberList: Etcdserverpb_MemberListRequest.self
        case .memberPromote: Etcdserverpb_MemberPromoteRequest.self
        case .alarm: Etcdserverpb_AlarmRequest.self
        case .status: Etcdserverpb_StatusRequest.self
        case .defragment: Etcdserverpb_DefragmentRequest.self
        case .hash: Etcdserverpb_HashRequest.self
        case .hashKV: Etcdserverpb_HashKVRequest.self
        case .snapshot: Etcdserverpb_SnapshotRequest.self
        case .moveLeader: Etcdserverpb_MoveLeaderRequest.self
        case .authEnable: Etcdserverpb_AuthEnableRequest.self
        case .authDisable: Etcdserverpb_AuthDisableRequest.self
        case .authenticate: Etcdserverpb_AuthenticateRequest.self
        case .userAdd: Etcdserverpb_AuthUserAddRequest.self
        case .userGet: Etcdserverpb_AuthUserGetRequest.self
        case .userList: Etcdserverpb_AuthUserListRequest.self
        case .userDelete: Etcdserverpb_AuthUserDeleteRequest.self
        case .userChangePassword: Etcdserverpb_AuthUserChangePasswordRequest.self
        case .userGrantRole: Etcdserverpb_AuthUserGrantRoleRequest.self
        case .userRevokeRole: Etcdserverpb_AuthUserRevokeRoleRequest.self
        case .roleAdd: Etcdserverpb_AuthRoleAddRequest.self
        case .roleGet: Etcdserverpb_AuthRoleGetRequest.self
        case .roleList: Etcdserverpb_AuthRoleListRequest.self
        case .roleDelete: Etcdserverpb_AuthRoleDeleteRequest.self
        case .roleGrantPermission: Etcdserverpb_AuthRoleGrantPermissionRequest.self
        case .roleRevokePermission: Etcdserverpb_AuthRoleRevokePermissionRequest.self
        case .lock: V3lockpb_LockRequest.self
        case .unlock: V3lockpb_UnlockRequest.self
        case .campaign: V3electionpb_CampaignRequest.self
        case .proclaim: V3electionpb_ProclaimRequest.self
        case .leader: V3electionpb_LeaderRequest.self
        case .observe: V3electionpb_LeaderRequest.self
        case .resign: V3electionpb_ResignRequest.self
        }
    }

    /// The generated response message type; each response on a stream is one such message.
    public var responseType: any SwiftProtobuf.Message.Type {
        switch self {
        case .range: Etcdserverpb_RangeResponse.self
        case .put: Etcdserverpb_PutResponse.self
        case .deleteRange: Etcdserverpb_DeleteRangeResponse.self
        case .txn: Etcdserverpb_TxnResponse.self
        case .compact: Etcdserverpb_CompactionResponse.self
        case .watch: Etcdserverpb_WatchResponse.self
        case .leaseGrant: Etcdserverpb_LeaseGrantResponse.self
        case .leaseRevoke: Etcdserverpb_LeaseRevokeResponse.self
        case .leaseKeepAlive: Etcdserverpb_LeaseKeepAliveResponse.self
        case .leaseTimeToLive: Etcdserverpb_LeaseTimeToLiveResponse.self
        case .leaseLeases: Etcdserverpb_LeaseLeasesResponse.self
        case .memberAdd: Etcdserverpb_MemberAddResponse.self
        case .memberRemove: Etcdserverpb_MemberRemoveResponse.self
        case .memberUpdate: Etcdserverpb_MemberUpdateResponse.self
        case .memberList: Etcdserverpb_MemberListResponse.self
        case .memberPromote: Etcdserverpb_MemberPromoteResponse.self
        case .alarm: Etcdserverpb_AlarmResponse.self
        case .status: Etcdserverpb_StatusResponse.self
        case .defragment: Etcdserverpb_DefragmentResponse.self
        case .hash: Etcdserverpb_HashResponse.self
        case .hashKV: Etcdserverpb_HashKVResponse.self
        case .snapshot: Etcdserverpb_SnapshotResponse.self
        case .moveLeader: Etcdserverpb_MoveLeaderResponse.self
        case .authEnable: Etcdserverpb_AuthEnableResponse.self
        case .authDisable: Etcdserverpb_AuthDisableResponse.self
        case .authenticate: Etcdserverpb_AuthenticateResponse.self
        case .userAdd: Etcdserverpb_AuthUserAddResponse.self
        case .userGet: Etcdserverpb_AuthUserGetResponse.self
        case .userList: Etcdserverpb_AuthUserListResponse.self
        case .userDelete: Etcdserverpb_AuthUserDeleteResponse.self
        case .userChangePassword: Etcdserverpb_AuthUserChangePasswordResponse.self
        case .userGrantRole: Etcdserverpb_AuthUserGrantRoleResponse.self
        case .userRevokeRole: Etcdserverpb_AuthUserRevokeRoleResponse.self
        case .roleAdd: Etcdserverpb_AuthRoleAddResponse.self
        case .roleGet: Etcdserverpb_AuthRoleGetResponse.self
        case .roleList: Etcdserverpb_AuthRoleListResponse.self
        case .roleDelete: Etcdserverpb_AuthRoleDeleteResponse.self
        case .roleGrantPermission: Etcdserverpb_AuthRoleGrantPermissionResponse.self
        case .roleRevokePermission: Etcdserverpb_AuthRoleRevokePermissionResponse.self
        case .lock: V3lockpb_LockResponse.self
        case .unlock: V3lockpb_UnlockResponse.self
        case .campaign: V3electionpb_CampaignResponse.self
        case .proclaim: V3electionpb_ProclaimResponse.self
        case .leader: V3electionpb_LeaderResponse.self
        case .observe: V3electionpb_LeaderResponse.self
        case .resign: V3electionpb_ResignResponse.self
        }
    }

    /// The Swift name of the request type, e.g. `Etcdserverpb_RangeRequest`.
    public var requestTypeName: String { String(describing: requestType) }

    /// The Swift name of the response type, e.g. `Etcdserverpb_RangeResponse`.
    public var responseTypeName: String { String(describing: responseType) }
}
