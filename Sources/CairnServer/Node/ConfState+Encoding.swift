import Raft

extension ConfState {
    /// A compact encoding stored as MVCC metadata with the batch that applied a configuration
    /// change (etcd records membership in its backend in the same way): four length-prefixed id
    /// lists (voters, learners, outgoing voters, next learners), then the auto-leave flag.
    var encoded: [UInt8] {
        var out: [UInt8] = []
        func put(_ v: UInt64) {
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
            }
        }
        for list in [voters, learners, votersOutgoing, learnersNext] {
            put(UInt64(list.count))
            for id in list { put(id.rawValue) }
        }
        out.append(autoLeave ? 1 : 0)
        return out
    }
}
