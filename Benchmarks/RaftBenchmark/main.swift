// raft-bench: committed entries per second of a fault-free three-node cluster in the simulator.
// The figure measures the Raft core plus the simulator's driver and invariant checks, all on one
// thread: no disk, no network, no fsync. Run a release build: swift run -c release raft-bench
import Raft
import RaftTesting

func measure(batch: Int, total: Int) -> (perSecond: Double, seconds: Double, units: Int) {
    let simulator = Simulator(seed: 1, profile: .faultFree(voters: 3))
    let clock = ContinuousClock()
    let started = clock.now
    let units: Int
    do {
        units = try simulator.runWorkload(batch: batch, total: total)
    } catch {
        print("raft-bench: invariant violated: \(error)")
        return (0, 0, 0)
    }
    let elapsed = clock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(total) / seconds, seconds, units)
}

let arguments = Array(CommandLine.arguments.dropFirst())
var total = 20_000
if arguments.first == "--entries", arguments.count > 1, let value = Int(arguments[1]) { total = value }

print("raft-bench: 3 voters, simulator without faults, \(total) entries per run")
for batch in [1, 100] {
    _ = measure(batch: batch, total: min(total, 1000))  // warm-up
    let result = measure(batch: batch, total: total)
    let rate = Int(result.perSecond + 0.5)
    print(
        "proposals of \(batch) at a time: \(rate) entries/s (\(total) entries in \(result.seconds) s, \(result.units) clock units)"
    )
}
