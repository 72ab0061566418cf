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
    func append(_ bytes: [UInt8]) throws(OrderDeskError) -> Int64 {
        let path = layout.journal
        // A compaction that stopped after archiving this journal file: finish it first, so that
        // the archive keeps only the events its name says.
        if let info = try Self.io({ () throws(SystemError) in try POSIX.status(path) }), info.st_nlink > 1,
            isArchived(FileIdentity(info))
        {
            do {
                try compactLocked()
            } catch {
                warnings.append("an interrupted compaction could not be finished: \(error.message)")
            }
        }

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
