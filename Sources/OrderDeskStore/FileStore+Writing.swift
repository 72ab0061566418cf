import Glibc
import OrderDeskCore

extension FileStore {
    /// Appends whole journal lines durably and returns the offset they start at. Call under
    /// `LOCK_EX`, right after catching up.
    ///
    /// A torn tail is cut off first. The bytes go out in one `write` (looping only on partial
    /// writes), then `fdatasync`; a journal file created here also gets its directory synced.
    /// On any failure the journal is cut back to its previous length and the error is thrown:
    /// the change is not acknowledged.
    func append(_ bytes: [UInt8], finishingCompaction: Bool = true) throws(OrderDeskError) -> Int64 {
        let path = layout.journal
        if finishingCompaction { try finishInterruptedCompaction() }

        var created = false
        let fd = try Self.io { () throws(SystemError) -> Int32 in
            if let fd = try POSIX.openIfPresent(path, O_WRONLY) { return fd }
            let fd = try POSIX.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600, operation: "create")
            _ = fchmod(fd, 0o600)
            created = true
            return fd
        }
        defer { POSIX.closeQuietly(fd) }
        let info = try Self.io { () throws(SystemError) in try POSIX.fstat(fd, path: path) }
        let identity = FileIdentity(info)
        guard created || identity == cursor.identity else {
            throw .storeIO(path: path, operation: "append to", reason: "the journal was replaced while the store was locked")
        }
        let start = cursor.offset
        let size = Int64(info.st_size)
        guard size >= start else {
            throw .storeIO(path: path, operation: "append to", reason: "the journal is shorter than already read")
        }
        if size > start { try keepCompleteTornLine(size: size) }
        do throws(SystemError) {
            if size > start {
                // The torn tail of a crashed write: only ever removed here, under LOCK_EX.
                try POSIX.truncate(fd, to: start, path: path)
            }
            if let fault = options.appendFault {
                try POSIX.writeAll(fd, Array(bytes.prefix(bytes.count / 2)), at: start, path: path)
                throw SystemError(operation: "write to", path: path, code: fault)
            }
            try POSIX.writeAll(fd, bytes, at: start, path: path)
            try POSIX.fdatasync(fd, path: path)
            if created { try POSIX.fsyncDirectory(layout.directory) }
        } catch {
            try? POSIX.truncate(fd, to: start, path: path)
            try? POSIX.fdatasync(fd, path: path)
            throw error.storeError
        }
        if size > start {
            let notice = "\(StoreLayout.journalName): ignored a torn last line at byte \(start) "
            warnings.removeAll { $0.hasPrefix(notice) }
        }
        cursor.tornAt = nil
        if created { cursor.identity = identity }
        return start
    }

    /// A compaction that stopped after archiving this journal file: finish it first, so that
    /// the archive keeps only the events its name says. Call under `LOCK_EX`, while the state
    /// in memory is the store's (it becomes the snapshot).
    func finishInterruptedCompaction() throws(OrderDeskError) {
        let path = layout.journal
        if let info = try Self.io({ () throws(SystemError) in try POSIX.status(path) }), info.st_nlink > 1,
            isArchived(FileIdentity(info))
        {
            do {
                try compactLocked()
            } catch {
                warnings.append("an interrupted compaction could not be finished: \(error.message)")
            }
        }
    }

    /// Before a torn tail is cut: when it ends with a newline it is a whole line whose checksum
    /// failed, which no interrupted append leaves (the line and its newline go out in one write).
    /// It may hold a change that was acknowledged, so the journal is copied into `quarantine/`
    /// first; when that copy cannot be made, nothing is cut and the change is refused.
    func keepCompleteTornLine(size: Int64) throws(OrderDeskError) {
        let path = layout.journal
        let last = try Self.io { () throws(SystemError) -> [UInt8] in
            let fd = try POSIX.open(path, O_RDONLY)
            defer { POSIX.closeQuietly(fd) }
            return try POSIX.read(fd, from: size - 1, count: 1, path: path)
        }
        guard last == [0x0A] else { return }
        guard Quarantine.copy(path, layout: layout) != nil else {
            throw .storeIO(
                path: path, operation: "keep a copy of the damaged last line of",
                reason: "the copy into \(StoreLayout.quarantineName)/ failed, so the line was not removed")
        }
    }

    /// Removes lines appended from `start` on whose events could not be applied, then reads the
    /// store again, since the state may have been partly changed.
    func takeBack(to start: Int64) {
        if let fd = try? POSIX.open(layout.journal, O_WRONLY) {
            try? POSIX.truncate(fd, to: start, path: layout.journal)
            try? POSIX.fdatasync(fd, path: layout.journal)
            POSIX.closeQuietly(fd)
        }
        do {
            adopt(try Self.load(layout, codec: codec))
        } catch {
            broken = .storeIO(
                path: location, operation: "read", reason: "the store must be opened again after a failed change")
        }
    }

    /// Takes over a fresh reading of the store.
    func adopt(_ loaded: Loaded) {
        state = loaded.state
        cursor = loaded.cursor
        snapshotIdentity = loaded.snapshotIdentity
        snapshotSeq = loaded.snapshotSeq
        for warning in loaded.warnings where !warnings.contains(warning) { warnings.append(warning) }
    }

    /// Whether a file in `archive/` is this very file (a hard link to it).
    func isArchived(_ identity: FileIdentity) -> Bool {
        guard let files = try? AuditLogReader.archiveFiles(layout) else { return false }
        return files.contains { file in
            (try? POSIX.status(file.path)).flatMap { $0 }.map(FileIdentity.init) == identity
        }
    }
}
