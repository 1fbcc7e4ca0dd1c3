import RaftTesting

// raft-sim: runs the seeded whole-cluster Raft simulator (RaftTesting.Simulator) from the shell.
#if canImport(Glibc)
import Glibc
#endif

let usage = """
    raft-sim: seeded whole-cluster simulation of Cairn's Raft core.

    Usage:
      raft-sim --seeds N [--from S] [--keep-going] [--fault-ticks T] [--heal-ticks H]
          Runs seeds S...S+N-1 (S defaults to 1), printing progress; stops at the first violation,
          printing the seed, the broken invariant and a one-line reproduction, and exits 1.
          With --keep-going, runs every seed and lists all failing ones at the end.
      raft-sim --seed S [--trace] [--fault-ticks T] [--heal-ticks H]
          Reruns one seed; --trace prints every event.
      raft-sim --help

    Examples:
      raft-sim --seeds 10000
      raft-sim --seed 42 --trace | less
      raft-sim --seeds 500 --from 9000 --fault-ticks 1000

    Every run of a seed is identical: the trace hash printed at the end is the proof.
    """

func fail(_ message: String) -> Never {
    print("raft-sim: \(message)\n")
    print(usage)
    exit(2)
}

/// Unbuffered output: if the core traps on a precondition, everything printed so far (and the seed
/// being run, on stderr) is already out.
func print(_ text: String = "") {
    write(1, text + "\n")
}

func write(_ descriptor: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var seeds: UInt64?
var from: UInt64 = 1
var single: UInt64?
var trace = false
var keepGoing = false
var options = SimulatorOptions()

@MainActor func takeNumber(_ flag: String) -> UInt64 {
    guard !arguments.isEmpty, let value = UInt64(arguments.removeFirst()) else { fail("\(flag) needs a number") }
    return value
}

while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    switch flag {
    case "--help", "-h":
        print(usage)
        exit(0)
    case "--seeds": seeds = takeNumber(flag)
    case "--from": from = takeNumber(flag)
    case "--seed": single = takeNumber(flag)
    case "--trace": trace = true
    case "--keep-going": keepGoing = true
    case "--fault-ticks": options.faultTicks = Int(takeNumber(flag))
    case "--heal-ticks": options.healTicks = Int(takeNumber(flag))
    default: fail("unknown argument \(flag)")
    }
}

@MainActor func report(_ result: SimulationResult) {
    print("seed \(result.seed): \(result.profile)")
    print("  \(result.stats)")
    print("  trace hash \(result.traceHash)")
}

if let seed = single {
    options.keepTrace = trace
    let result = Simulator(seed: seed, options: options).run()
    if trace { for line in result.trace { print(line) } }
    report(result)
    if let violation = result.violation {
        print("VIOLATION seed \(seed): \(violation)")
        print("reproduce: \(result.reproduction)")
        exit(1)
    }
    print("seed \(seed) ok")
    exit(0)
}

guard let count = seeds, count > 0 else { fail("give --seeds N or --seed S") }
let clock = ContinuousClock()
let started = clock.now
var events = 0
var acknowledged = 0
var failures: [(UInt64, InvariantViolation)] = []
for seed in from..<(from + count) {
    write(2, "\rseed \(seed) ")
    let result = Simulator(seed: seed, options: options).run()
    events += result.stats.events
    acknowledged += result.stats.acknowledgedWrites
    if let violation = result.violation {
        print("")
        report(result)
        print("VIOLATION seed \(seed): \(violation)")
        print("reproduce: \(result.reproduction)")
        if !keepGoing { exit(1) }
        failures.append((seed, violation))
    }
    let done = seed - from + 1
    if done % 100 == 0 || done == count {
        let elapsed = clock.now - started
        print(
            "\(done)/\(count) seeds run, \(failures.count) failed (last \(seed)), \(events) events, \(acknowledged) writes acknowledged, \(elapsed)"
        )
    }
}
write(2, "\n")
if failures.isEmpty {
    print("all \(count) seeds passed in \(clock.now - started)")
} else {
    print("\(failures.count) of \(count) seeds failed in \(clock.now - started):")
    for (seed, violation) in failures { print("  seed \(seed): \(violation.invariant)") }
    exit(1)
}
