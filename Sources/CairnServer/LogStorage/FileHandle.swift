import Glibc

/// A thin owner of a file descriptor with the few positioned-I/O calls the log needs; every
/// failure becomes a `LogStorageError.io` naming the call and the path.
final class FileHandle {
    /// The file's path, for error messages.
    let path: String
    private(set) var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close() }

    /// Opens an existing file for reading and writing.
    static func open(_ path: String) throws(LogStorageError) -> FileHandle {
        let fd = path.withCString { Glibc.open($0, O_RDWR | O_CLOEXEC) }
        if fd < 0 { throw .io(operation: "open", path: path, errno: errno) }
        return FileHandle(path: path, fd: fd)
    }

    /// Creates a new file (failing if it exists).
    static func create(_ path: String) throws(LogStorageError) -> FileHandle {
        let fd = path.withCString { Glibc.open($0, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        if fd < 0 { throw .io(operation: "create", path: path, errno: errno) }
        return FileHandle(path: path, fd: fd)
    }

    /// Opens `path`, creating it if missing.
    static func openOrCreate(_ path: String) throws(LogStorageError) -> FileHandle {
        let fd = path.withCString { Glibc.open($0, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        if fd < 0 { throw .io(operation: "open", path: path, errno: errno) }
        return FileHandle(path: path, fd: fd)
    }

    /// Takes an exclusive advisory lock on the file, failing at once if another process holds it.
    func lockExclusively() throws(LogStorageError) {
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK { throw .locked(path) }
            throw .io(operation: "flock", path: path, errno: errno)
        }
    }

    /// Closes the descriptor (idempotent).
    func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    /// The file's size in bytes.
    func size() throws(LogStorageError) -> Int64 {
        var st = stat()
        if fstat(fd, &st) != 0 { throw .io(operation: "fstat", path: path, errno: errno) }
        return Int64(st.st_size)
    }

    /// Reads up to `count` bytes at `offset` (fewer only at the end of the file).
    func read(at offset: Int64, count: Int) throws(LogStorageError) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        var done = 0
        var failure: Int32 = 0
        result.withUnsafeMutableBytes { buffer in
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                done += n
            }
        }
        if failure != 0 { throw .io(operation: "pread", path: path, errno: failure) }
        if done < count { result.removeLast(count - done) }
        return result
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int64) throws(LogStorageError) {
        var done = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += n
            }
        }
        if failure != 0 { throw .io(operation: "pwrite", path: path, errno: failure) }
    }

    /// Extends the file to `size` bytes of zeros. With `zeroFill` the zeros are written, which costs
    /// a write of the whole range once but makes later fdatasyncs pure data flushes; otherwise they
    /// are reserved with fallocate (see `DurableLogOptions.zeroFillSegments`).
    func preallocate(_ size: Int64, zeroFill: Bool) throws(LogStorageError) {
        guard zeroFill else { return try preallocate(size) }
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var offset = try self.size()
        while offset < size {
            let count = Int(min(Int64(zeros.count), size - offset))
            try write(count == zeros.count ? zeros : Array(zeros[..<count]), at: offset)
            offset += Int64(count)
        }
    }

    /// Reserves `size` bytes of zeros on disk so that appends do not change the file's size (and
    /// fdatasync then has no size metadata to write, as etcd's preallocated WAL files).
    func preallocate(_ size: Int64) throws(LogStorageError) {
        let rc = posix_fallocate(fd, 0, off_t(size))
        if rc == 0 { return }
        // Filesystems without fallocate: a sparse extension still keeps the size fixed.
        if rc == EOPNOTSUPP || rc == EINVAL {
            if ftruncate(fd, off_t(size)) != 0 { throw .io(operation: "ftruncate", path: path, errno: errno) }
            return
        }
        throw .io(operation: "posix_fallocate", path: path, errno: rc)
    }

    /// Cuts the file to `size` bytes.
    func truncate(_ size: Int64) throws(LogStorageError) {
        if ftruncate(fd, off_t(size)) != 0 { throw .io(operation: "ftruncate", path: path, errno: errno) }
    }

    /// Flushes the file's data (and the metadata needed to read it back).
    func dataSync() throws(LogStorageError) {
        if fdatasync(fd) != 0 { throw .io(operation: "fdatasync", path: path, errno: errno) }
    }

    /// Flushes the file's data and all its metadata.
    func fullSync() throws(LogStorageError) {
        if fsync(fd) != 0 { throw .io(operation: "fsync", path: path, errno: errno) }
    }
}
