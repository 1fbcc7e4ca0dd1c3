// log-bench: how fast can a member make Raft entries durable?
//
// Compares, on the same disk, (a) DurableLog (segmented, one fdatasync per batch), (b) an LMDB
// environment committing each batch in one durable write transaction (default flags: synced), and
// (c) the floor: a bare pwrite + fdatasync of the same bytes into a preallocated file. Reports
// appends/s and syncs per 1000 entries for batch sizes 1, 10 and 100 (a batch = one Raft Ready).
//
//     swift build -c release --product log-bench
//     .build/release/log-bench [--dir /tmp] [--batches 1000] [--rounds 3] [--size 256]
import CLMDB
import CairnServer
import Glibc
import Raft

struct Arguments {
    var directory = "/tmp"
    var batchesPerRun = 1000
    var rounds = 3
    var entrySize = 256
    var batchSizes = [1, 10, 100]

    init() {
        var args = CommandLine.arguments.dropFirst()
        while let flag = args.popFirst() {
            guard let value = args.popFirst() else { fatalError("missing value for \(flag)") }
            switch flag {
            case "--dir": directory = value
            case "--batches": batchesPerRun = Int(value)!
            case "--rounds": rounds = Int(value)!
            case "--size": entrySize = Int(value)!
            case "--batch-sizes": batchSizes = value.split(separator: ",").map { Int($0)! }
            default: fatalError("unknown flag \(flag)")
            }
        }
    }
}

/// The result of one run: entries written, seconds taken, syncs issued.
struct Run {
    var entries: Int
    var seconds: Double
    var syncs: Int
    var appendsPerSecond: Double { Double(entries) / seconds }
    var syncsPer1000: Double { Double(syncs) * 1000 / Double(entries) }
}

func makeDirectory(_ base: String, _ name: String) -> String {
    let path = "\(base)/log-bench-\(getpid())-\(name)"
    removeTree(path)
    mkdir(path, 0o755)
    return path
}

func removeTree(_ path: String) {
    guard let dir = opendir(path) else { return }
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { unlink(path + "/" + name) }
    }
    closedir(dir)
    rmdir(path)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func batches(_ count: Int, size: Int, entrySize: Int) -> [[Entry]] {
    let data = (0..<entrySize).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    var index: UInt64 = 1
    return (0..<count).map { _ in
        (0..<size).map { _ in
            defer { index += 1 }
            return Entry(term: 1, index: LogIndex(index), data: data)
        }
    }
}

/// (a) DurableLog with 64 MiB segments; every save is one Ready's entries plus its hard state.
/// The segment's creation (at open) is outside the timed loop, as it is once per 64 MiB.
func runDurableLog(_ args: Arguments, batchSize: Int, zeroFill: Bool) throws -> Run {
    let dir = makeDirectory(args.directory, "segmented")
    defer { removeTree(dir) }
    let work = batches(args.batchesPerRun, size: batchSize, entrySize: args.entrySize)
    let log = try DurableLog(directory: dir, options: DurableLogOptions(zeroFillSegments: zeroFill))
    let syncsBefore = log.syncCounts.total
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
        for batch in work {
            try log.save(entries: batch, hardState: HardState(term: 1, vote: 1, commit: batch[0].index))
        }
    }
    let syncs = log.syncCounts.total - syncsBefore
    log.close()
    return Run(entries: args.batchesPerRun * batchSize, seconds: seconds(elapsed), syncs: syncs)
}

/// (b) LMDB, default (durable) flags: one write transaction per batch, entries keyed by big-endian
/// index, the hard state under its own key, as a log kept in LMDB would be.
func runLMDB(_ args: Arguments, batchSize: Int) -> Run {
    let dir = makeDirectory(args.directory, "lmdb")
    defer { removeTree(dir) }
    let work = batches(args.batchesPerRun, size: batchSize, entrySize: args.entrySize)
    var env: OpaquePointer?
    func check(_ rc: Int32, _ what: String) {
        if rc != 0 { fatalError("\(what): \(String(cString: mdb_strerror(rc)))") }
    }
    check(mdb_env_create(&env), "mdb_env_create")
    check(mdb_env_set_mapsize(env, 4 << 30), "mdb_env_set_mapsize")
    check(mdb_env_open(env, dir, 0, 0o644), "mdb_env_open")
    var dbi: MDB_dbi = 0
    do {
        var txn: OpaquePointer?
        check(mdb_txn_begin(env, nil, 0, &txn), "mdb_txn_begin")
        check(mdb_dbi_open(txn, nil, 0, &dbi), "mdb_dbi_open")
        check(mdb_txn_commit(txn), "mdb_txn_commit")
    }
    func put(_ txn: OpaquePointer?, _ key: [UInt8], _ value: [UInt8]) {
        var key = key
        var value = value
        key.withUnsafeMutableBytes { k in
            value.withUnsafeMutableBytes { v in
                var mk = MDB_val(mv_size: k.count, mv_data: k.baseAddress)
                var mv = MDB_val(mv_size: v.count, mv_data: v.baseAddress)
                check(mdb_put(txn, dbi, &mk, &mv, 0), "mdb_put")
            }
        }
    }
    func bigEndian(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
    let hardStateKey: [UInt8] = Array("hardstate".utf8)
    let clock = ContinuousClock()
    let elapsed = clock.measure {
        for batch in work {
            var txn: OpaquePointer?
            check(mdb_txn_begin(env, nil, 0, &txn), "mdb_txn_begin")
            for entry in batch {
                put(txn, bigEndian(entry.index.rawValue), bigEndian(entry.term.rawValue) + [0] + entry.data)
            }
            put(txn, hardStateKey, bigEndian(1) + bigEndian(1) + bigEndian(batch[0].index.rawValue))
            check(mdb_txn_commit(txn), "mdb_txn_commit")
        }
    }
    mdb_env_close(env)
    // LMDB's durable commit is an fdatasync of the data file followed by a synchronous (O_DSYNC)
    // write of the meta page: two device flushes per transaction (checked with strace, see docs).
    return Run(entries: args.batchesPerRun * batchSize, seconds: seconds(elapsed), syncs: 2 * args.batchesPerRun)
}

/// (c) The floor: the same bytes per batch (16-byte framing per entry) written with one pwrite into
/// a preallocated file, then one fdatasync. `zeroFilled` writes the zeros instead of fallocating
/// them: on ext4, fallocated extents are "unwritten" and the first write into each one is a
/// metadata change that fdatasync must commit to the journal as well.
func runRawFdatasync(_ args: Arguments, batchSize: Int, zeroFilled: Bool = false) -> Run {
    let dir = makeDirectory(args.directory, "raw")
    defer { removeTree(dir) }
    let fd = open(dir + "/raw", O_RDWR | O_CREAT, 0o644)
    precondition(fd >= 0)
    defer { close(fd) }
    let bytesPerBatch = batchSize * (args.entrySize + 16 + 17 + 15) / 16 * 16
    let fileSize = bytesPerBatch * args.batchesPerRun + 4096
    if zeroFilled {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var written = 0
        while written < fileSize {
            let n = min(zeros.count, fileSize - written)
            zeros.withUnsafeBytes { precondition(pwrite(fd, $0.baseAddress, n, off_t(written)) == n) }
            written += n
        }
    } else {
        precondition(posix_fallocate(fd, 0, off_t(fileSize)) == 0)
    }
    fsync(fd)
    let buffer = [UInt8](repeating: 0xA5, count: bytesPerBatch)
    var offset: off_t = 0
    let clock = ContinuousClock()
    let elapsed = clock.measure {
        for _ in 0..<args.batchesPerRun {
            buffer.withUnsafeBytes { precondition(pwrite(fd, $0.baseAddress, $0.count, offset) == $0.count) }
            offset += off_t(bytesPerBatch)
            precondition(fdatasync(fd) == 0)
        }
    }
    return Run(entries: args.batchesPerRun * batchSize, seconds: seconds(elapsed), syncs: args.batchesPerRun)
}

func median(_ runs: [Run]) -> Run {
    runs.sorted { $0.appendsPerSecond < $1.appendsPerSecond }[runs.count / 2]
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

func format(_ value: Double, _ decimals: Int = 0) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return decimals == 0 ? String(Int(rounded)) : String(rounded)
}

let args = Arguments()

/// How long creating one default (64 MiB) segment takes: paid by the save that rolls over.
func segmentCreationMilliseconds(zeroFill: Bool) throws -> Double {
    let dir = makeDirectory(args.directory, "creation")
    defer { removeTree(dir) }
    let elapsed = try ContinuousClock().measure {
        let log = try DurableLog(directory: dir, options: DurableLogOptions(zeroFillSegments: zeroFill))
        log.close()
    }
    return seconds(elapsed) * 1000
}
print(
    "log-bench: dir \(args.directory), \(args.batchesPerRun) batches per run, \(args.entrySize)-byte entries, "
        + "median of \(args.rounds) rounds")
var creation: [Double] = []
for zeroFill in [false, true] {
    var times: [Double] = []
    for _ in 0..<args.rounds { times.append(try segmentCreationMilliseconds(zeroFill: zeroFill)) }
    creation.append(times.sorted()[args.rounds / 2])
}
print(
    "creating a 64 MiB segment (median): fallocated \(format(creation[0], 1)) ms, "
        + "zero-filled \(format(creation[1], 1)) ms")
print("| batch | store | appends/s | syncs per 1000 entries | µs per batch | vs raw fdatasync |")
print("|---:|---|---:|---:|---:|---:|")
for batchSize in args.batchSizes {
    var raw: [Run] = []
    var rawZeroFilled: [Run] = []
    var segmented: [Run] = []
    var segmentedZeroFilled: [Run] = []
    var lmdb: [Run] = []
    // Interleave the stores round by round so that a noisy neighbour hurts all of them alike.
    for _ in 0..<args.rounds {
        raw.append(runRawFdatasync(args, batchSize: batchSize))
        segmented.append(try runDurableLog(args, batchSize: batchSize, zeroFill: false))
        segmentedZeroFilled.append(try runDurableLog(args, batchSize: batchSize, zeroFill: true))
        lmdb.append(runLMDB(args, batchSize: batchSize))
        rawZeroFilled.append(runRawFdatasync(args, batchSize: batchSize, zeroFilled: true))
    }
    let floor = median(raw)
    let rows = [
        ("raw pwrite+fdatasync (fallocated)", floor), ("raw pwrite+fdatasync (zero-filled)", median(rawZeroFilled)),
        ("DurableLog (fallocated segments)", median(segmented)),
        ("DurableLog (zero-filled segments)", median(segmentedZeroFilled)), ("LMDB txn", median(lmdb)),
    ]
    for (name, run) in rows {
        let perBatch = run.seconds * 1e6 / Double(args.batchesPerRun)
        let floorPerBatch = floor.seconds * 1e6 / Double(args.batchesPerRun)
        print(
            "| \(pad(String(batchSize), 3)) | \(name) | \(pad(format(run.appendsPerSecond), 8)) | "
                + "\(format(run.syncsPer1000, 1)) | \(format(perBatch)) | \(format(perBatch / floorPerBatch, 2))x |")
    }
}
