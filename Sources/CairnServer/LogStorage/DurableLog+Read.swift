import Raft

extension DurableLog {
    /// The entries in `[low, high)` (a range inside the log), limited as `LogStorage.entries`.
    func readEntries(_ low: LogIndex, _ high: LogIndex, maxSize: UInt64) throws(LogStorageError) -> [Entry] {
        var result: [Entry] = []
        var size: UInt64 = 0
        var index = low
        while index < high {
            let meta = metas[Int(index.rawValue - dummyIndex.rawValue) - 1]
            size += UInt64(meta.payloadSize)
            // At least one entry, so that a single large entry still makes progress.
            if !result.isEmpty && size > maxSize { break }
            if let data = meta.data {
                result.append(Entry(term: meta.term, index: index, type: meta.type, data: data))
            } else {
                result.append(try readBack(index, meta))
            }
            index += 1
        }
        return result
    }

    /// Reads an entry whose payload is no longer cached from its segment, verifying its record.
    func readBack(_ index: LogIndex, _ meta: EntryMeta) throws(LogStorageError) -> Entry {
        guard let first = segments.first, meta.segment >= first.sequence,
            case let segment = segments[Int(meta.segment - first.sequence)], segment.sequence == meta.segment
        else {
            throw .inconsistent(file: directory, offset: meta.offset, reason: "entry \(index)'s segment is gone")
        }
        func corrupt(_ reason: String) -> LogStorageError {
            .corruptRecord(file: segment.path, offset: meta.offset, reason: "reading back entry \(index): \(reason)")
        }
        let size = RecordFrame.framedSize(payloadCount: 17 + meta.payloadSize)
        let bytes = try segment.file.read(at: meta.offset, count: size)
        guard case let .record(type, payload, _) = RecordFrame.parse(bytes, at: 0) else {
            throw corrupt("the record does not verify")
        }
        let record: LogRecord
        do {
            record = try LogRecord.decode(type: type, payload: bytes[payload])
        } catch {
            throw corrupt(error.reason)
        }
        guard case let .entry(entry) = record, entry.index == index, entry.term == meta.term else {
            throw corrupt("the record holds something else")
        }
        return entry
    }
}
