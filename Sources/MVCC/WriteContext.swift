/// The changes one operation (a put, a delete, a txn, a revoke) makes at its single new revision,
/// as etcd's `storeTxnWrite`: every change gets revision (beginRevision + 1, n) for n = 0, 1, ...
struct WriteContext {
    /// The store revision before this operation.
    let beginRevision: Int64
    /// The compact revision (reads inside a txn check against it).
    let compactRevision: Int64
    /// The events so far, in order; their count is the next sub revision.
    var events: [Event] = []

    /// The revision the changes are written at.
    var writeRevision: Int64 { beginRevision + 1 }

    /// The revision reads see: etcd's `storeTxnWrite.Range` reads at beginRevision + 1 once the
    /// operation changed something, so later ops of a txn see earlier writes.
    var readRevision: Int64 { events.isEmpty ? beginRevision : beginRevision + 1 }

    /// The revision after the operation ends.
    var endRevision: Int64 { readRevision }
}
