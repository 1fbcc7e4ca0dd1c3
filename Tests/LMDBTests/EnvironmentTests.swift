import Foundation
import LMDB
import Testing

@Suite struct EnvironmentTests {
    @Test func putGetDeleteAndReadOwnWrites() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv")
        try env.write { (txn) throws in
            try txn.put(db, key: "a".bytes, value: "1".bytes)
            #expect(try txn.get(db, key: "a".bytes) == "1".bytes)
            try txn.put(db, key: "b".bytes, value: [])
        }
        try env.read { (txn) throws in
            #expect(try txn.get(db, key: "a".bytes) == "1".bytes)
            #expect(try txn.get(db, key: "b".bytes) == [])
            #expect(try txn.get(db, key: "c".bytes) == nil)
            #expect(try txn.statistics(db).entries == 2)
        }
        try env.write { (txn) throws in
            #expect(try txn.delete(db, key: "a".bytes))
            #expect(try !txn.delete(db, key: "a".bytes))
            #expect(try !txn.insert(db, key: "b".bytes, value: "x".bytes))
            #expect(try txn.insert(db, key: "c".bytes, value: "3".bytes))
        }
        try env.read { (txn) throws in
            #expect(try txn.get(db, key: "a".bytes) == nil)
            #expect(try txn.get(db, key: "b".bytes) == [])
            #expect(try txn.get(db, key: "c".bytes) == "3".bytes)
        }
    }

    struct Boom: Error {}

    @Test func throwingWriteIsRolledBack() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv")
        #expect(throws: Boom.self) {
            try env.write { (txn) throws in
                try txn.put(db, key: "a".bytes, value: "1".bytes)
                throw Boom()
            }
        }
        try env.read { (txn) throws in #expect(try txn.get(db, key: "a".bytes) == nil) }
    }

    @Test func dataSurvivesReopen() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let env = try Environment(path: dir.path)
            let db = try env.openDatabase("kv")
            try env.write { (txn) throws in try txn.put(db, key: "k".bytes, value: "v".bytes) }
        }
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv", create: false)
        try env.read { (txn) throws in #expect(try txn.get(db, key: "k".bytes) == "v".bytes) }
        #expect(throws: LMDBError.notFound) { try env.openDatabase("missing", create: false) }
    }

    @Test func cursorsMoveAndSeek() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv")
        let keys = ["b", "d", "f", "h"]
        try env.write { (txn) throws in
            for k in keys { try txn.put(db, key: k.bytes, value: (k + k).bytes) }
        }
        try env.read { (txn) throws in
            try txn.withCursor(db) { (cursor) throws in
                #expect(try cursor.first().map { Array($0.key) } == "b".bytes)
                #expect(try cursor.next().map { Array($0.key) } == "d".bytes)
                #expect(try cursor.prev().map { Array($0.key) } == "b".bytes)
                #expect(try cursor.prev() == nil)
                #expect(try cursor.last().map { Array($0.value) } == "hh".bytes)
                #expect(try cursor.next() == nil)
                #expect(try cursor.seek("c".bytes).map { Array($0.key) } == "d".bytes)
                #expect(try cursor.seek("d".bytes).map { Array($0.key) } == "d".bytes)
                #expect(try cursor.seek("i".bytes) == nil)
                #expect(try cursor.seekExact("e".bytes) == nil)
                #expect(try cursor.seekExact("f".bytes).map { Array($0.value) } == "ff".bytes)
                #expect(try cursor.seekBefore("f".bytes).map { Array($0.key) } == "d".bytes)
                #expect(try cursor.seekBefore("z".bytes).map { Array($0.key) } == "h".bytes)
                #expect(try cursor.seekBefore("a".bytes) == nil)
            }
            var seen: [String] = []
            try txn.forEach(db, from: "c".bytes, to: "h".bytes) { key, _ in
                seen.append(String(decoding: key, as: UTF8.self))
                return true
            }
            #expect(seen == ["d", "f"])
            seen = []
            try txn.forEach(db, from: []) { key, _ in
                seen.append(String(decoding: key, as: UTF8.self))
                return seen.count < 3
            }
            #expect(seen == ["b", "d", "f"])
        }
        try env.write { (txn) throws in
            try txn.withCursor(db) { (cursor) throws in
                _ = try cursor.seek("d".bytes)
                try cursor.deleteCurrent()
                #expect(try cursor.current().map { Array($0.key) } == "f".bytes)
            }
        }
        try env.read { (txn) throws in #expect(try txn.statistics(db).entries == 3) }
    }

    @Test func dupSortDatabases() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("dups", flags: .dupSort)
        try env.write { (txn) throws in
            for v in ["3", "1", "2"] { try txn.put(db, key: "k".bytes, value: v.bytes) }
            try txn.put(db, key: "m".bytes, value: "9".bytes)
            #expect(try !txn.insert(db, key: "k".bytes, value: "2".bytes))
            #expect(try txn.insert(db, key: "k".bytes, value: "4".bytes))
        }
        try env.read { (txn) throws in
            try txn.withCursor(db) { (cursor) throws in
                #expect(try cursor.seekExact("k".bytes).map { Array($0.value) } == "1".bytes)
                #expect(try cursor.duplicateCount() == 4)
                #expect(try cursor.nextDuplicate().map { Array($0.value) } == "2".bytes)
                #expect(try cursor.lastDuplicate().map { Array($0.value) } == "4".bytes)
                #expect(try cursor.nextDuplicate() == nil)
                #expect(try cursor.prevDuplicate().map { Array($0.value) } == "3".bytes)
                #expect(try cursor.firstDuplicate().map { Array($0.value) } == "1".bytes)
                #expect(try cursor.nextKey().map { Array($0.key) } == "m".bytes)
                #expect(try cursor.prevKey().map { Array($0.value) } == "4".bytes)
                #expect(try cursor.seek(key: "k".bytes, value: "25".bytes).map { Array($0.value) } == "3".bytes)
            }
        }
        try env.write { (txn) throws in
            #expect(try txn.delete(db, key: "k".bytes, value: "2".bytes))
            #expect(try !txn.delete(db, key: "k".bytes, value: "2".bytes))
        }
        try env.read { (txn) throws in
            #expect(try txn.statistics(db).entries == 4)
            try txn.withCursor(db) { (cursor) throws in
                _ = try cursor.seekExact("k".bytes)
                #expect(try cursor.duplicateCount() == 3)
            }
        }
    }

    @Test func mapGrowsFromATinyMap() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.path, options: .init(mapSize: 64 << 10, noSync: true))
        let db = try env.openDatabase("kv")
        let value = [UInt8](repeating: 7, count: 3000)
        // One big transaction (fills the map mid-write) and many small ones.
        try env.write { (txn) throws in
            for i in 0..<500 { try txn.put(db, key: Array("big\(i)".utf8), value: value) }
        }
        for i in 0..<200 {
            try env.write { (txn) throws in try txn.put(db, key: Array("small\(i)".utf8), value: value) }
        }
        #expect(env.mapGrowthCount > 0)
        #expect(env.info.mapSize > 64 << 10)
        try env.read { (txn) throws in
            #expect(try txn.statistics(db).entries == 700)
            #expect(try txn.get(db, key: "big499".bytes) == value)
        }
    }

    @Test func concurrentReadersSeeConsistentSnapshots() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.path, options: .init(mapSize: 64 << 10, noSync: true))
        let db = try env.openDatabase("kv")
        try env.write { (txn) throws in
            try txn.put(db, key: "a".bytes, value: [0, 0, 0, 0, 0, 0, 0, 0])
            try txn.put(db, key: "b".bytes, value: [0, 0, 0, 0, 0, 0, 0, 0])
        }
        let failures = Counter()
        let reads = Counter()
        // One writer bumps a and b together (growing the map as it goes); six readers check
        // that every snapshot has a == b.
        DispatchQueue.concurrentPerform(iterations: 7) { worker in
            if worker == 0 {
                for i in 1...300 {
                    let bytes = withUnsafeBytes(of: UInt64(i)) { Array($0) }
                    try? env.write { (txn) throws in
                        try txn.put(db, key: "a".bytes, value: bytes)
                        try txn.put(db, key: Array("filler\(i)".utf8), value: [UInt8](repeating: 1, count: 2000))
                        try txn.put(db, key: "b".bytes, value: bytes)
                    }
                }
            } else {
                for _ in 0..<300 {
                    let same =
                        (try? env.read { (txn) throws in
                            try txn.get(db, key: "a".bytes) == txn.get(db, key: "b".bytes)
                        }) ?? false
                    if !same { failures.increment() }
                    reads.increment()
                }
            }
        }
        #expect(failures.value == 0)
        #expect(reads.value == 1800)
        #expect(env.mapGrowthCount > 0)
    }

    @Test(arguments: [false, true]) func copyMakesAConsistentReplica(compact: Bool) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.sub("source"), options: .init(noSync: true))
        let db = try env.openDatabase("kv")
        try env.write { (txn) throws in
            for i in 0..<2000 { try txn.put(db, key: Array("key\(i)".utf8), value: [UInt8](repeating: 1, count: 500)) }
        }
        try env.write { (txn) throws in
            for i in 0..<1500 { try txn.delete(db, key: Array("key\(i)".utf8)) }
        }
        try env.copy(to: dir.sub("copy"), compact: compact)
        let copy = try Environment(path: dir.sub("copy"))
        let copyDB = try copy.openDatabase("kv", create: false)
        try copy.read { (txn) throws in
            #expect(try txn.statistics(copyDB).entries == 500)
            #expect(try txn.get(copyDB, key: "key1999".bytes) == [UInt8](repeating: 1, count: 500))
            #expect(try txn.get(copyDB, key: "key0".bytes) == nil)
        }
        let sourceSize = try FileManager.default.attributesOfItem(atPath: dir.sub("source/data.mdb"))[.size] as! Int
        let copySize = try FileManager.default.attributesOfItem(atPath: dir.sub("copy/data.mdb"))[.size] as! Int
        if compact {
            #expect(copySize < sourceSize)
        } else {
            #expect(copySize <= sourceSize)
        }
    }

    @Test func errorsCarryCodeAndMessage() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv")
        #expect(env.maxKeySize == 511)
        let tooLong = [UInt8](repeating: 1, count: env.maxKeySize + 1)
        do {
            try env.write { (txn) throws in try txn.put(db, key: tooLong, value: []) }
            Issue.record("a 512-byte key was accepted")
        } catch let error as LMDBError {
            #expect(error == .badValueSize)
            #expect(error.code == -30781)
            #expect(error.message.contains("MDB_BAD_VALSIZE"))
            #expect(error.description.contains("-30781"))
        }
        #expect(throws: LMDBError.badValueSize) {
            try env.write { (txn) throws in try txn.put(db, key: [], value: [1]) }
        }
        #expect(LMDBError.mapFull.message.contains("MDB_MAP_FULL"))
        #expect(LMDBError.system(ENOENT).message == String(cString: strerror(ENOENT)))
        // Too many named databases.
        let small = try Environment(path: dir.sub("small"), options: .init(maxDatabases: 1))
        _ = try small.openDatabase("one")
        #expect(throws: LMDBError.databasesFull) { try small.openDatabase("two") }
        // A file that is not an environment.
        let bogus = dir.sub("bogus")
        try FileManager.default.createDirectory(atPath: bogus, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 16384).write(to: URL(fileURLWithPath: bogus + "/data.mdb"))
        #expect(throws: LMDBError.self) { try Environment(path: bogus) }
    }
}

/// A thread-safe counter for the concurrency test.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

@Suite struct MoreEnvironmentTests {
    @Test func reservedPutsClearAndSync() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.path, options: .init(noSync: true, noMetaSync: true))
        let db = try env.openDatabase("kv")
        try env.write { (txn) throws in
            try "k".bytes.withUnsafeBytes { key in
                try txn.put(db, key: key, reserving: 4) { buffer in buffer.copyBytes(from: [1, 2, 3, 4]) }
            }
            try txn.put(db, key: "other".bytes, value: [9])
        }
        try env.sync()
        try env.read { (txn) throws in #expect(try txn.get(db, key: "k".bytes) == [1, 2, 3, 4]) }
        try env.write { (txn) throws in try txn.clear(db) }
        try env.read { (txn) throws in #expect(try txn.statistics(db).entries == 0) }
        #expect(env.info.usedBytes > 0 && env.info.lastTransactionID >= 3)
    }

    @Test func copyToAFileDescriptorMakesAnOpenableDataFile() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.sub("source"), options: .init(noSync: true))
        let db = try env.openDatabase("kv")
        try env.write { (txn) throws in try txn.put(db, key: "k".bytes, value: "v".bytes) }
        try FileManager.default.createDirectory(atPath: dir.sub("restored"), withIntermediateDirectories: true)
        let fd = open(dir.sub("restored/data.mdb"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        try env.copy(toFileDescriptor: fd, compact: true)
        close(fd)
        let restored = try Environment(path: dir.sub("restored"))
        let restoredDB = try restored.openDatabase("kv", create: false)
        try restored.read { (txn) throws in #expect(try txn.get(restoredDB, key: "k".bytes) == "v".bytes) }
    }

    @Test func tooManyReadersIsAnError() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.path, options: .init(maxReaders: 1))
        let db = try env.openDatabase("kv")
        try env.read { (outer) throws in
            #expect(try outer.get(db, key: "x".bytes) == nil)
            #expect(throws: LMDBError.readersFull) { try env.read { _ in } }
        }
        try env.read { _ in }  // the slot is free again
    }
}

@Suite struct DirectoryTests {
    @Test func missingParentsAreCreatedAndFailuresCarryErrno() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let env = try Environment(path: dir.sub("a/b/c"))
        #expect(env.path == dir.sub("a/b/c"))
        try Data([1]).write(to: URL(fileURLWithPath: dir.sub("file")))
        #expect(throws: LMDBError.system(ENOTDIR)) { try Environment(path: dir.sub("file/x")) }
    }
}
