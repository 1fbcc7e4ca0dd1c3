/// A min-heap of lease deadlines with at most one entry per lease, whose entry can be moved or
/// removed in O(log n) (etcd's `LeaseExpiredNotifier`: a heap plus a map from ID to heap slot).
///
/// The lessor keeps two: expiry deadlines (so a scan for expired leases looks only at the head,
/// never at every lease) and next-checkpoint times. Ties are broken by lease ID so that the order
/// of equal deadlines does not depend on insertion (or Dictionary) order.
struct LeaseQueue {
    /// One queued lease.
    struct Entry: Equatable {
        var id: LeaseID
        var deadline: ContinuousClock.Instant

        func precedes(_ other: Entry) -> Bool {
            deadline < other.deadline || (deadline == other.deadline && id < other.id)
        }
    }

    private var heap: [Entry] = []
    private var slots: [LeaseID: Int] = [:]

    /// Number of queued leases.
    var count: Int { heap.count }

    /// Whether nothing is queued.
    var isEmpty: Bool { heap.isEmpty }

    /// The entry with the earliest deadline.
    var first: Entry? { heap.first }

    /// The deadline queued for `id`.
    func deadline(of id: LeaseID) -> ContinuousClock.Instant? {
        slots[id].map { heap[$0].deadline }
    }

    /// Queues `id` at `deadline`, or moves it there if it is queued already.
    mutating func schedule(_ id: LeaseID, at deadline: ContinuousClock.Instant) {
        if let slot = slots[id] {
            let old = heap[slot]
            heap[slot].deadline = deadline
            if heap[slot].precedes(old) { siftUp(slot) } else { siftDown(slot) }
        } else {
            heap.append(Entry(id: id, deadline: deadline))
            slots[id] = heap.count - 1
            siftUp(heap.count - 1)
        }
    }

    /// Removes `id` if it is queued.
    mutating func remove(_ id: LeaseID) {
        guard let slot = slots.removeValue(forKey: id) else { return }
        let last = heap.removeLast()
        guard slot < heap.count else { return }
        heap[slot] = last
        slots[last.id] = slot
        if slot > 0 && last.precedes(heap[(slot - 1) / 2]) { siftUp(slot) } else { siftDown(slot) }
    }

    /// Removes everything.
    mutating func removeAll() {
        heap.removeAll()
        slots.removeAll()
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count && heap[left + 1].precedes(heap[left]) { smallest = left + 1 }
            guard heap[smallest].precedes(heap[parent]) else { return }
            swapAt(parent, smallest)
            parent = smallest
        }
    }

    private mutating func swapAt(_ i: Int, _ j: Int) {
        heap.swapAt(i, j)
        slots[heap[i].id] = i
        slots[heap[j].id] = j
    }

    #if DEBUG
    /// Checks the heap order and the slot map (tests).
    func checkInvariants() -> Bool {
        guard slots.count == heap.count else { return false }
        for (index, entry) in heap.enumerated() {
            if slots[entry.id] != index { return false }
            if index > 0 && entry.precedes(heap[(index - 1) / 2]) { return false }
        }
        return true
    }
    #endif
}
