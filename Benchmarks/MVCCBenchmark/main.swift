// mvcc-bench: throughput and latency of the MVCC store on LMDB.
//
//   mvcc-bench [--keys N] [--single N] [--queries N] [--dir PATH] [--no-sync]
//
// 8-byte keys (big-endian integers, inserted in a shuffled order), 256-byte values. Measures:
// puts with one operation per batch (one LMDB write transaction and commit each), puts in
// batches of 1000 (which also load the N keys), point and prefix range latency (p50/p99), and the
// time to reopen the store with N keys and serve a first read.
import Foundation
import MVCC

struct Options {
    var keys = 1_000_000
    var single = 10_000
    var queries = 10_000
    var dir: String? = nil
    var noSync = false

    init(_ arguments: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < arguments.count else { usage() }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--keys": keys = Int(value()) ?? { usage() }()
            case "--single": single = Int(value()) ?? { usage() }()
            case "--queries": queries = Int(value()) ?? { usage() }()
            case "--dir": dir = value()
            case "--no-sync": noSync = true
            default: usage()
            }
            i += 1
        }
    }
}

func usage() -> Never {
    print("usage: mvcc-bench [--keys N] [--single N] [--queries N] [--dir PATH] [--no-sync]")
    exit(2)
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func key(_ i: Int) -> [UInt8] { withUnsafeBytes(of: UInt64(i).bigEndian, Array.init) }

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000
}

struct Row {
    var name: String
    var figure: String
}

let options = Options(CommandLine.arguments)
let base = options.dir ?? NSTemporaryDirectory() + "mvcc-bench-\(getpid())"
let path = base + "/store"
try? FileManager.default.removeItem(atPath: path)
var configuration = MVCCStore.Configuration()
configuration.environment.mapSize = 1 << 30
configuration.environment.noSync = options.noSync

var rng = SystemRandomNumberGenerator()
let value = [UInt8](repeating: 0x5A, count: 256)
var rows: [Row] = []
var index: UInt64 = 0

do {
    var store: MVCCStore? = try MVCCStore(path: path, configuration: configuration)

    // 1. One put per batch: each is its own LMDB write transaction and commit (fsync unless
    // --no-sync). Keys outside the loaded range, so the main load below is unaffected.
    var start = now()
    for i in 0..<options.single {
        index += 1
        _ = try store!.apply([.put(PutRequest(key: key(options.keys + i), value: value))], index: index)
    }
    var seconds = Double(now() - start) / 1e9
    rows.append(
        Row(
            name: "put, 1 op per txn (\(options.single) ops)",
            figure: String(format: "%.0f ops/s", Double(options.single) / seconds)))

    // 2. Batches of 1000 puts: the load of all N keys in shuffled order.
    var order = Array(0..<options.keys)
    order.shuffle(using: &rng)
    start = now()
    var position = 0
    while position < order.count {
        let end = min(position + 1000, order.count)
        let batch = order[position..<end].map { WriteOperation.put(PutRequest(key: key($0), value: value)) }
        index += 1
        _ = try store!.apply(batch, index: index)
        position = end
    }
    seconds = Double(now() - start) / 1e9
    rows.append(
        Row(
            name: "put, batches of 1000 (\(options.keys) keys)",
            figure: String(format: "%.0f ops/s", Double(options.keys) / seconds)))

    // 3. Point ranges.
    var latencies: [UInt64] = []
    latencies.reserveCapacity(options.queries)
    for _ in 0..<options.queries {
        let k = key(Int.random(in: 0..<options.keys, using: &rng))
        let t = now()
        let response = try store!.range(RangeRequest(key: k))
        latencies.append(now() - t)
        precondition(response.kvs.count == 1)
    }
    latencies.sort()
    rows.append(
        Row(
            name: "point range p50 / p99",
            figure: String(format: "%.1f / %.1f µs", percentile(latencies, 0.5), percentile(latencies, 0.99))))

    // 4. Prefix ranges: a 7-byte prefix covers 256 consecutive keys (values included).
    latencies.removeAll(keepingCapacity: true)
    let prefixQueries = max(1, options.queries / 10)
    var returned = 0
    for _ in 0..<prefixQueries {
        let first = Int.random(in: 0..<max(1, options.keys / 256), using: &rng) * 256
        let prefix = Array(key(first)[0..<7])
        let end = Array(key(first + 256)[0..<7])
        let t = now()
        let response = try store!.range(RangeRequest(key: prefix, rangeEnd: end))
        latencies.append(now() - t)
        returned += response.kvs.count
    }
    latencies.sort()
    rows.append(
        Row(
            name: "prefix range (\(returned / prefixQueries) kvs) p50 / p99",
            figure: String(format: "%.1f / %.1f µs", percentile(latencies, 0.5), percentile(latencies, 0.99))))

    // 5. Reopen with N keys and serve a first read.
    let info = store!.environment.info
    store = nil
    start = now()
    store = try MVCCStore(path: path, configuration: configuration)
    let state = try store!.state()
    _ = try store!.range(RangeRequest(key: key(options.keys / 2)))
    seconds = Double(now() - start) / 1e9
    precondition(state.appliedIndex == index)
    rows.append(
        Row(name: "reopen + first read (\(options.keys) keys)", figure: String(format: "%.1f ms", seconds * 1000)))
    // 6. Compaction: first over the whole history (one pass over the N-key index), then, after
    // 10 batches of 1000 updates, over what was written since (10k revisions to drop).
    func compact() throws -> Double {
        let current = try store!.state().currentRevision as Int64
        index += 1
        let start = now()
        _ = try store!.apply([.compact(CompactionRequest(revision: current))], index: index)
        return Double(now() - start) / 1e6
    }
    let full = try compact()
    rows.append(Row(name: "compact all history (\(options.keys) keys)", figure: String(format: "%.0f ms", full)))
    let updates = min(10_000, options.keys)
    for b in 0..<(updates / 1000) {
        let batch = (0..<1000).map { i in WriteOperation.put(PutRequest(key: key(b * 1000 + i), value: value)) }
        index += 1
        _ = try store!.apply(batch, index: index)
    }
    let incremental = try compact()
    rows.append(
        Row(name: "compact after \(updates) updates", figure: String(format: "%.1f ms", incremental)))
    // 7. Sliced compaction (compactionSliceRevisions = 1000): the compact itself, then each slice.
    store = nil
    var sliced = configuration
    sliced.compactionSliceRevisions = 1000
    store = try MVCCStore(path: path, configuration: sliced)
    for b in 0..<(updates / 1000) {
        let batch = (0..<1000).map { i in WriteOperation.put(PutRequest(key: key(b * 1000 + i), value: value)) }
        index += 1
        _ = try store!.apply(batch, index: index)
    }
    let slicedCompact = try compact()
    var slices: [UInt64] = []
    while try store!.compactionIsPending() {
        let t = now()
        try store!.compactPending(limit: 1000)
        slices.append(now() - t)
    }
    slices.sort()
    rows.append(
        Row(
            name: "sliced compact after \(updates) updates",
            figure: String(
                format: "%.1f ms, then %d slices p50 %.1f / max %.1f ms", slicedCompact, slices.count,
                slices.isEmpty ? 0 : percentile(slices, 0.5) / 1000, Double(slices.last ?? 0) / 1e6)))
    rows.append(Row(name: "database size", figure: String(format: "%.0f MiB used", Double(info.usedBytes) / 1048576)))
    store = nil
} catch {
    print("mvcc-bench failed: \(error)")
    exit(1)
}
if options.dir == nil { try? FileManager.default.removeItem(atPath: base) }

print("mvcc-bench: \(options.keys) keys, 8-byte keys, 256-byte values, sync \(options.noSync ? "off" : "on")")
let width = rows.map(\.name.count).max() ?? 0
print(String(repeating: "-", count: width + 24))
for row in rows {
    print(row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.figure)
}
