import Testing

@testable import CairnServer

/// The lessor's indexed heap against a sorted array, over random schedules, moves and removals.
@Suite struct LessorQueueTests {
    @Test(arguments: 1...4 as ClosedRange<UInt64>)
    func matchesASortedList(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let origin = ContinuousClock.now
        var queue = LeaseQueue()
        var model: [LeaseID: ContinuousClock.Instant] = [:]
        for step in 0..<2000 {
            let id = LeaseID(Int64.random(in: -20...20, using: &rng))
            switch Int.random(in: 0..<4, using: &rng) {
            case 0, 1:
                let deadline = origin + .milliseconds(Int64.random(in: 0...50, using: &rng))
                queue.schedule(id, at: deadline)
                model[id] = deadline
            case 2:
                queue.remove(id)
                model[id] = nil
            default:
                if let first = queue.first {
                    queue.remove(first.id)
                    model[first.id] = nil
                }
            }
            let expected = model.min { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }
            #expect(queue.first?.id == expected?.key, "seed \(seed) step \(step)")
            #expect(queue.count == model.count)
            #expect(queue.deadline(of: id) == model[id])
            #expect(queue.checkInvariants())
        }
    }
}
