import Glibc

/// Directory operations of the log.
enum Directory {
    /// Creates `path` (one level) unless it exists; a created directory is made durable in its
    /// parent, or a crash could lose the whole log directory along with its synced contents.
    static func ensure(_ path: String) throws(LogStorageError) {
        if path.withCString({ mkdir($0, 0o755) }) == 0 {
            let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
                .joined(separator: "/")
            try sync(parent.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : parent)
        } else if errno != EEXIST {
            throw .io(operation: "mkdir", path: path, errno: errno)
        }
    }

    /// The names of the entries of `path` (without "." and "..").
    static func list(_ path: String) throws(LogStorageError) -> [String] {
        guard let dir = path.withCString({ opendir($0) }) else {
            throw .io(operation: "opendir", path: path, errno: errno)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Makes the directory's entries (created or removed files) durable.
    static func sync(_ path: String) throws(LogStorageError) {
        let fd = path.withCString { Glibc.open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if fd < 0 { throw .io(operation: "open directory", path: path, errno: errno) }
        defer { _ = Glibc.close(fd) }
        if fsync(fd) != 0 { throw .io(operation: "fsync directory", path: path, errno: errno) }
    }

    /// Removes a file.
    static func remove(_ path: String) throws(LogStorageError) {
        if path.withCString({ unlink($0) }) != 0 { throw .io(operation: "unlink", path: path, errno: errno) }
    }
}
