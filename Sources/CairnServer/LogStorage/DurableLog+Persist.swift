import Raft

extension DurableLog {
    /// Writes `records` at the end of the log with one pwrite and (if `sync`) one fdatasync, then
    /// applies them to the in-memory state with the same code replay uses (`apply`), so that what
    /// a reopen sees is what the running log saw.
    func persist(_ records: [LogRecord], sync: Bool = true) throws(LogStorageError) {
        var body: [UInt8] = []
        var estimate = 0
        for case let .entry(entry) in records { estimate += entry.data.count }
        body.reserveCapacity(estimate + 48 * records.count + 256)
        var offsets: [Int] = []
        offsets.reserveCapacity(records.count)
        for record in records {
            offsets.append(body.count)
            RecordFrame.append(record, to: &body)
        }
        do throws(LogStorageError) {
            var segment: SegmentFile
            if let last = segments.last,
                !(last.writeOffset > last.headerEnd && last.writeOffset + Int64(body.count) > last.capacity)
            {
                segment = last
            } else {
                // A save goes to one segment whole: a record never spans two files, and the save
                // stays a single write with a single sync.
                segment = try startSegment(minimumCapacity: Int64(body.count) + 4096)
            }
            var buffer: [UInt8] = []
            if segment.writeOffset == 0 { buffer = headerPrefix(sequence: segment.sequence) }
            let bodyStart = segment.writeOffset + Int64(buffer.count)
            buffer.append(contentsOf: body)
            let end = segment.writeOffset + Int64(buffer.count)
            if end > segment.capacity {
                // Only a segment holding nothing but its header gets here: the save is larger than
                // a segment, so this segment grows to hold it.
                try segment.file.preallocate(end, zeroFill: options.zeroFillSegments)
                segment.capacity = end
            }
            try segment.file.write(buffer, at: segment.writeOffset)
            if sync {
                try segment.file.dataSync()
                noteSync(.data)
            }
            if segment.writeOffset == 0 { segment.headerEnd = bodyStart }
            segment.writeOffset = end
            for (record, offset) in zip(records, offsets) {
                try apply(record, in: segment, at: bodyStart + Int64(offset), firstSegment: false)
            }
        } catch {
            // After a failed write or fdatasync the kernel may have dropped the dirty pages while
            // marking them clean; nothing written since the last good sync can be trusted.
            state = .failed
            throw error
        }
    }

    /// The records every segment starts with: its header and a copy of the current hard state and
    /// snapshot, so that the segments before it can be deleted.
    func headerPrefix(sequence: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        let records: [LogRecord] = [
            .segmentHeader(SegmentHeader(sequence: sequence, previousIndex: lastIndexValue, previousTerm: lastTerm)),
            .hardState(hardState),
            .snapshot(currentSnapshot, .state),
        ]
        for record in records { RecordFrame.append(record, to: &bytes) }
        return bytes
    }

    /// Creates and preallocates the next segment file and makes its existence durable (file fsync
    /// and directory fsync), before any record in it is acknowledged.
    func startSegment(minimumCapacity: Int64) throws(LogStorageError) -> SegmentFile {
        let sequence = (segments.last?.sequence ?? 0) + 1
        let path = directory + "/" + SegmentFile.fileName(sequence: sequence)
        let file = try FileHandle.create(path)
        let capacity = max(options.segmentSize, (minimumCapacity + 4095) & ~4095)
        try file.preallocate(capacity, zeroFill: options.zeroFillSegments)
        try file.fullSync()
        noteSync(.newFile)
        try Directory.sync(directory)
        noteSync(.directory)
        let segment = SegmentFile(
            sequence: sequence, file: file, capacity: capacity, writeOffset: 0, previousIndex: lastIndexValue)
        segments.append(segment)
        return segment
    }

    func noteSync(_ kind: SyncKind) {
        switch kind {
        case .data: syncCounts.data += 1
        case .newFile: syncCounts.newFile += 1
        case .directory: syncCounts.directory += 1
        }
        options.syncObserver?(kind)
    }

    /// Deletes the oldest segments when a later one can take over as the start of replay: it must
    /// hold every live entry's record and no truncation may reach back before it. The record that
    /// made them obsolete (compaction or applied snapshot) is durable already and lives in the
    /// last segment, which is always kept.
    func dropObsoleteSegments() throws(LogStorageError) {
        guard segments.count > 1, let last = segments.last else { return }
        let limit = metas.first?.segment ?? last.sequence
        guard let keep = segments.lastIndex(where: { $0.sequence <= limit && $0.canStartReplay }), keep > 0 else {
            return
        }
        let obsolete = segments[..<keep]
        segments.removeFirst(keep)
        // Oldest first, so that a crash part-way leaves a contiguous run of segments.
        for segment in obsolete {
            segment.file.close()
            try Directory.remove(segment.path)
        }
        try Directory.sync(directory)
        noteSync(.directory)
    }

    /// Applies one record to the in-memory state, checking that it fits the log so far. Used both
    /// by replay and after every write.
    func apply(
        _ record: LogRecord, in segment: SegmentFile, at offset: Int64, firstSegment: Bool
    )
        throws(LogStorageError)
    {
        func inconsistent(_ reason: String) -> LogStorageError {
            .inconsistent(file: segment.path, offset: offset, reason: reason)
        }
        let snapshotIndex = currentSnapshot.metadata.index
        switch record {
        case .segmentHeader:
            throw inconsistent("a segment header in the middle of a segment")

        case let .entry(entry):
            guard entry.index == lastIndexValue + 1 else {
                throw inconsistent(
                    "entry \(entry.index) does not follow the last index \(lastIndexValue) "
                        + "(a gap, or an overwrite without a truncation record)")
            }
            guard entry.index > snapshotIndex else {
                throw inconsistent("entry \(entry.index) is at or below the snapshot index \(snapshotIndex)")
            }
            guard entry.term >= lastTerm else {
                throw inconsistent("entry \(entry.index) has term \(entry.term) below its predecessor's \(lastTerm)")
            }
            metas.append(
                EntryMeta(
                    term: entry.term, type: entry.type, segment: segment.sequence, offset: offset,
                    payloadSize: entry.data.count, data: entry.data))
            cachedBytes += entry.data.count
            evictCache()

        case let .hardState(state):
            hardState = state

        case let .snapshot(snapshot, kind):
            let index = snapshot.metadata.index
            switch kind {
            case .state:
                if !firstSegment && snapshot != currentSnapshot {
                    throw inconsistent(
                        "the segment header's snapshot (index \(index)) differs from the log's (index \(snapshotIndex))"
                    )
                }
                currentSnapshot = snapshot
            case .created:
                guard index > snapshotIndex || (index == 0 && lastIndexValue == 0) else {
                    throw inconsistent("snapshot \(index) is not newer than the snapshot at \(snapshotIndex)")
                }
                guard index <= lastIndexValue else {
                    throw inconsistent("snapshot \(index) is beyond the last index \(lastIndexValue)")
                }
                if let term = termValue(index), term != snapshot.metadata.term {
                    throw inconsistent("snapshot \(index) has term \(snapshot.metadata.term), its entry has \(term)")
                }
                currentSnapshot = snapshot
            case .applied:
                guard index > snapshotIndex else {
                    throw inconsistent("snapshot \(index) is not newer than the snapshot at \(snapshotIndex)")
                }
                currentSnapshot = snapshot
                dummyIndex = index
                dummyTerm = snapshot.metadata.term
                metas.removeAll()
                cacheFloor = 0
                cachedBytes = 0
            }

        case let .truncate(after):
            guard after >= dummyIndex, after < lastIndexValue else {
                throw inconsistent("truncation after \(after) is outside the log (\(dummyIndex), \(lastIndexValue)]")
            }
            guard after >= snapshotIndex else {
                throw inconsistent(
                    "truncation after \(after) would discard entries the snapshot at \(snapshotIndex) covers")
            }
            let keep = Int(after.rawValue - dummyIndex.rawValue)
            for meta in metas[keep...] where meta.data != nil { cachedBytes -= meta.payloadSize }
            metas.removeSubrange(keep...)
            cacheFloor = min(cacheFloor, metas.count)
            for candidate in segments where candidate.previousIndex > after { candidate.canStartReplay = false }

        case let .compact(through):
            // Below the start of the first replayed segment: already done by deleting segments.
            if through <= dummyIndex { return }
            guard through <= lastIndexValue else {
                throw inconsistent("compaction through \(through) is beyond the last index \(lastIndexValue)")
            }
            let count = Int(through.rawValue - dummyIndex.rawValue)
            dummyTerm = metas[count - 1].term
            for meta in metas[..<count] where meta.data != nil { cachedBytes -= meta.payloadSize }
            metas.removeFirst(count)
            cacheFloor = max(0, cacheFloor - count)
            dummyIndex = through
        }
    }

    /// Drops cached payloads, oldest first, beyond the cache budget (the newest entry always stays).
    func evictCache() {
        while cachedBytes > options.cacheBytes && cacheFloor < metas.count - 1 {
            cachedBytes -= metas[cacheFloor].payloadSize
            metas[cacheFloor].data = nil
            cacheFloor += 1
        }
    }
}
