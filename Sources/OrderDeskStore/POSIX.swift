import Glibc

/// Thin, checked wrappers around the system calls the store needs.
///
/// Every call checks its return code, retries on `EINTR`, and reports failure as a
/// ``SystemError`` naming the path. Nothing here buffers: bytes go straight to the kernel.
enum POSIX {
    /// `open(2)`; `mode` only matters with `O_CREAT`.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600, operation: String = "open")
        throws(SystemError) -> Int32
    {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw SystemError(operation: operation, path: path, code: errno)
        }
    }

    /// `open(2)`, or nil when the file does not exist.
    static func openIfPresent(_ path: String, _ flags: Int32, operation: String = "open") throws(SystemError) -> Int32? {
        do {
            return try open(path, flags, operation: operation)
        } catch {
            if error.code == ENOENT { return nil }
            throw error
        }
    }

    /// `close(2)`, checked: on some file systems a delayed write error shows up here.
    static func close(_ fd: Int32, path: String) throws(SystemError) {
        if Glibc.close(fd) != 0 && errno != EINTR {
            throw SystemError(operation: "close", path: path, code: errno)
        }
    }

    /// Closes a descriptor on a path where the result no longer matters (cleanup after a failure).
    static func closeQuietly(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Writes all bytes, at `offset` if given (`pwrite`), else at the file position.
    /// Loops on partial writes and `EINTR`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64? = nil, path: String)
        throws(SystemError)
    {
        var done = 0
        while done < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[done...])
            let n: Int
            if let offset {
                n = pwrite(fd, rest.baseAddress, rest.count, off_t(offset) + off_t(done))
            } else {
                n = write(fd, rest.baseAddress, rest.count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(operation: "write to", path: path, code: errno)
            }
            if n == 0 { throw SystemError(operation: "write to", path: path, code: EIO) }
            done += n
        }
    }

    /// Writes all bytes of an array.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int64? = nil, path: String) throws(SystemError) {
        let result: Result<Void, SystemError> = bytes.withUnsafeBytes { raw in
            do throws(SystemError) {
                try writeAll(fd, raw, at: offset, path: path)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Reads `count` bytes starting at `offset` (fewer if the file ends first).
    static func read(_ fd: Int32, from offset: Int64, count: Int, path: String) throws(SystemError) -> [UInt8] {
        guard count > 0 else { return [] }
        var failure: SystemError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = SystemError(operation: "read", path: path, code: errno)
                    break
                }
                if n == 0 { break }
                done += n
            }
            initialized = done
        }
        if let failure { throw failure }
        return bytes
    }

    /// Asks for transparent huge pages behind a big buffer about to be filled (a snapshot of
    /// 100 MB): one page fault per 2 MB instead of per 4 KB. Only a hint; ignored where THP is off.
    static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        let huge = 2 << 20
        guard buffer.count >= 4 * huge, let base = buffer.baseAddress else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(huge - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_HUGEPAGE)
    }

    /// Reads a whole file; nil when it does not exist.
    static func readFile(_ path: String) throws(SystemError) -> [UInt8]? {
        try readFileWithInfo(path)?.bytes
    }

    /// Reads a whole file and its `stat`; nil when it does not exist.
    static func readFileWithInfo(_ path: String) throws(SystemError) -> (bytes: [UInt8], info: stat)? {
        guard let fd = try openIfPresent(path, O_RDONLY) else { return nil }
        defer { closeQuietly(fd) }
        let info = try fstat(fd, path: path)
        return (try readToEnd(fd, from: 0, expected: Int(info.st_size), path: path), info)
    }

    /// Reads from `offset` to the end of the file; `expected` is the size hint from `fstat`.
    static func readToEnd(_ fd: Int32, from offset: Int64, expected: Int, path: String) throws(SystemError) -> [UInt8] {
        var bytes = try read(fd, from: offset, count: max(0, expected), path: path)
        // The file may have grown since fstat (it should not under the lock); read to the end.
        while true {
            let more = try read(fd, from: offset + Int64(bytes.count), count: 65_536, path: path)
            if more.isEmpty { break }
            bytes += more
        }
        return bytes
    }

    /// `fstat(2)`.
    static func fstat(_ fd: Int32, path: String) throws(SystemError) -> stat {
        var info = stat()
        if Glibc.fstat(fd, &info) != 0 {
            throw SystemError(operation: "examine", path: path, code: errno)
        }
        return info
    }

    /// `stat(2)`, or nil when the path does not exist.
    static func status(_ path: String) throws(SystemError) -> stat? {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { return nil }
            throw SystemError(operation: "examine", path: path, code: errno)
        }
        return info
    }

    /// `fsync(2)`: data and metadata.
    static func fsync(_ fd: Int32, path: String) throws(SystemError) {
        while Glibc.fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw SystemError(operation: "sync", path: path, code: errno)
        }
    }

    /// `fdatasync(2)`: data, and the size when it changed.
    static func fdatasync(_ fd: Int32, path: String) throws(SystemError) {
        while Glibc.fdatasync(fd) != 0 {
            if errno == EINTR { continue }
            throw SystemError(operation: "sync", path: path, code: errno)
        }
    }

    /// Makes a directory's entries durable (a created, renamed or linked name).
    static func fsyncDirectory(_ path: String) throws(SystemError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { closeQuietly(fd) }
        try fsync(fd, path: path)
    }

    /// `ftruncate(2)`.
    static func truncate(_ fd: Int32, to length: Int64, path: String) throws(SystemError) {
        while Glibc.ftruncate(fd, off_t(length)) != 0 {
            if errno == EINTR { continue }
            throw SystemError(operation: "truncate", path: path, code: errno)
        }
    }

    /// `rename(2)`.
    static func rename(_ from: String, to: String) throws(SystemError) {
        if Glibc.rename(from, to) != 0 {
            throw SystemError(operation: "rename \(from) to", path: to, code: errno)
        }
    }

    /// `link(2)`.
    static func link(_ from: String, to: String) throws(SystemError) {
        if Glibc.link(from, to) != 0 {
            throw SystemError(operation: "link \(from) as", path: to, code: errno)
        }
    }

    /// `unlink(2)`; a missing file is not an error.
    static func unlink(_ path: String) throws(SystemError) {
        if Glibc.unlink(path) != 0 && errno != ENOENT {
            throw SystemError(operation: "remove", path: path, code: errno)
        }
    }

    /// Creates a directory with `mode`; returns false when it already existed.
    @discardableResult
    static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws(SystemError) -> Bool {
        if mkdir(path, mode) == 0 {
            // The umask may have removed bits; the store wants exactly this mode.
            _ = chmod(path, mode)
            return true
        }
        if errno == EEXIST {
            var info = stat()
            if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { return false }
            throw SystemError(operation: "create the directory", path: path, code: ENOTDIR)
        }
        throw SystemError(operation: "create the directory", path: path, code: errno)
    }

    /// The names in a directory (without `.` and `..`); empty when it does not exist.
    static func listDirectory(_ path: String) throws(SystemError) -> [String] {
        guard let dir = opendir(path) else {
            if errno == ENOENT { return [] }
            throw SystemError(operation: "list", path: path, code: errno)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Seconds on the monotonic clock, for timeouts.
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

extension POSIX {
    /// Creates `path` (which must not exist) with mode 0600, writes `bytes`, `fsync`s and closes it,
    /// checking every step. On failure the partial file is removed.
    static func createDurably(_ path: String, _ bytes: [UInt8]) throws(SystemError) {
        let fd = try open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600, operation: "create")
        var closed = false
        do throws(SystemError) {
            _ = fchmod(fd, 0o600)
            try writeAll(fd, bytes, path: path)
            try fsync(fd, path: path)
            closed = true
            try close(fd, path: path)
        } catch {
            if !closed { closeQuietly(fd) }
            try? unlink(path)
            throw error
        }
    }

    /// Replaces `path` with `bytes` atomically and durably: a temp file made with `O_EXCL`,
    /// `fsync`, `rename`, then `fsync` of the directory.
    static func replaceDurably(_ path: String, with bytes: [UInt8], temporary: String, directory: String)
        throws(SystemError)
    {
        try createDurably(temporary, bytes)
        do throws(SystemError) {
            try rename(temporary, to: path)
        } catch {
            try? unlink(temporary)
            throw error
        }
        try fsyncDirectory(directory)
    }
}
