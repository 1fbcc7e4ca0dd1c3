import Raft
import Testing

@testable import CairnServer

@Suite struct DurableLogLockTests {
    @Test func aSecondOpenOfTheSameDirectoryIsRefused() throws {
        try withTemporaryDirectory { dir in
            let log = try DurableLog(directory: dir, options: smallSegments)
            #expect(throws: LogStorageError.locked(dir + "/LOCK")) {
                try DurableLog(directory: dir, options: smallSegments)
            }
            log.close()
            let reopened = try DurableLog(directory: dir, options: smallSegments)
            reopened.close()
        }
    }
}
