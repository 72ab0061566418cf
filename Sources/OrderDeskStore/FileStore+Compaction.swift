import Glibc
import OrderDeskCore

extension FileStore {
    /// Folds the journal into a new snapshot and starts an empty journal, keeping the folded
    /// journal in `archive/` as the audit log. Runs under `LOCK_EX`; does nothing when the journal
    /// is already empty.
    ///
    /// Every step is checked and durable, and a crash between any two steps is harmless: replay
    /// skips events the snapshot already holds, and the next change finishes the job.
    public func compact() throws(OrderDeskError) {
        if let broken { throw broken }
        try lock.acquire(.exclusive, timeout: options.lockTimeout, store: location)
        defer { lock.release() }
        Self.removeStaleTemporaries(layout)
        removedTemporaries = true
        unreported += try catchUp()
        try compactLocked()
    }

    /// The compaction steps (those of the store contract, with step 0 added):
    ///
    /// 0. Hard-link `journal.jsonl` as `archive/journal-<first>-<last>.jsonl` (or copy it where
    ///    links are not possible) and `fsync` `archive/`.
    /// 1. Write `snapshot.json.tmp.<pid>`, created with `O_EXCL`, mode 0600.
    /// 2. `fsync` it and close it.
    /// 3. `rename` it over `snapshot.json`, then `fsync` the directory.
    /// 4. Start a fresh journal the same way: an empty temp file, `rename`, `fsync` the directory.
    ///
    /// The test hooks in ``FileStoreOptions`` stop it right after a step, in-process or with
    /// `_exit(99)`.
    func compactLocked() throws(OrderDeskError) {
        let journalInfo = try Self.io { () throws(SystemError) in try POSIX.status(layout.journal) }
        let journalBytes = Int64(journalInfo?.st_size ?? 0)
        guard journalInfo == nil || journalBytes > 0 || snapshotSeq < state.seq else { return }

        // Step 0: keep the events about to be folded as the audit log.
        if let journalInfo, let first = journal.cursor.firstSeq, let last = journal.cursor.lastSeq {
            try cutTornTail(size: journalBytes)
            try archiveJournal(first: first, last: last, identity: FileIdentity(journalInfo))
        }
        if stop(after: 0) { return }
        try writeSnapshotAndFreshJournal()
    }

    /// Steps 1 to 4 of compaction (and of an upgrade): the state as a new snapshot in place of
    /// the old one, then a fresh, empty journal. Under `LOCK_EX`; the hooks stop it after a step.
    func writeSnapshotAndFreshJournal() throws(OrderDeskError) {
        // Step 1: the new snapshot, in a temp file.
        let bytes: [UInt8]
        do {
            bytes = SnapshotReader.seal(try codec.encodeSnapshot(state))
        } catch {
            throw .storeIO(path: layout.snapshot, operation: "write", reason: error.problem)
        }
        let temporary = layout.temporary(for: layout.snapshot)
        let fd = try Self.io { () throws(SystemError) in
            try POSIX.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600, operation: "create")
        }
        var closed = false
        do throws(SystemError) {
            _ = fchmod(fd, 0o600)
            try POSIX.writeAll(fd, bytes, path: temporary)
            if stop(after: 1) {
                POSIX.closeQuietly(fd)
                return
            }
            // Step 2: durable, and closed with the result checked.
            try POSIX.fsync(fd, path: temporary)
            closed = true
            try POSIX.close(fd, path: temporary)
        } catch {
            if !closed { POSIX.closeQuietly(fd) }
            try? POSIX.unlink(temporary)
            throw error.storeError
        }
        if stop(after: 2) { return }

        // Step 3: the new snapshot takes the old one's place.
        try Self.io { () throws(SystemError) in
            do throws(SystemError) {
                try POSIX.rename(temporary, to: layout.snapshot)
            } catch {
                try? POSIX.unlink(temporary)
                throw error
            }
            try POSIX.fsyncDirectory(layout.directory)
        }
        snapshotSeq = state.seq
        snapshotIdentity = try Self.io { () throws(SystemError) in try POSIX.status(layout.snapshot) }
            .map(FileIdentity.init)
        keepWrittenSnapshot()
        if stop(after: 3) { return }

        // Step 4: a fresh, empty journal.
        let identity = try Self.io { () throws(SystemError) -> FileIdentity? in
            try Self.startFreshJournal(layout)
            return try POSIX.status(layout.journal).map(FileIdentity.init)
        }
        journal.cursor = JournalCursor(identity: identity)
        _ = stop(after: 4)
    }

    /// Cuts a torn last line off the journal, so that the archive holds whole lines only.
    private func cutTornTail(size: Int64) throws(OrderDeskError) {
        guard size > journal.cursor.offset else { return }
        try keepTornTail()
        try Self.io { () throws(SystemError) in
            let fd = try POSIX.open(layout.journal, O_WRONLY)
            defer { POSIX.closeQuietly(fd) }
            try POSIX.truncate(fd, to: journal.cursor.offset, path: layout.journal)
            try POSIX.fdatasync(fd, path: layout.journal)
        }
        journal.cursor.tornAt = nil
    }

    /// Step 0: links the journal into `archive/` under the range of sequence numbers it holds.
    private func archiveJournal(first: Int, last: Int, identity: FileIdentity) throws(OrderDeskError) {
        try Self.io { () throws(SystemError) in
            if try POSIX.makeDirectory(layout.archive) {
                try POSIX.fsyncDirectory(layout.directory)
            }
            var copy = 1
            while true {
                let target = layout.archiveFile(first: first, last: last, copy: copy)
                if let existing = try POSIX.status(target) {
                    // Linked already by a compaction that was interrupted.
                    if FileIdentity(existing) == identity { break }
                    copy += 1
                    continue
                }
                do throws(SystemError) {
                    try POSIX.link(layout.journal, to: target)
                    break
                } catch let failure where failure.code == EEXIST {
                    copy += 1
                } catch {
                    // No hard links on this file system: keep a durable copy instead.
                    let bytes = try POSIX.readFile(layout.journal) ?? []
                    try POSIX.replaceDurably(
                        target, with: bytes, temporary: layout.temporary(for: target), directory: layout.archive)
                    break
                }
            }
            try POSIX.fsyncDirectory(layout.archive)
        }
    }

    /// The test hooks: true when compaction (or an upgrade) must stop here as if the process had died.
    func stop(after step: Int) -> Bool {
        if options.exitAfterStep == step { _exit(99) }
        guard options.simulatedCrashAfterStep == step else { return false }
        broken = .storeIO(
            path: location, operation: "compact", reason: "compaction stopped after step \(step) for a test")
        stoppedAfterStep = step
        return true
    }
}

extension FileStore {
    /// Replaces the journal with an empty one, durably: a temporary file, a rename over the
    /// journal, then the directory synced (compaction's last step, and the upgrade's).
    static func startFreshJournal(_ layout: StoreLayout) throws(SystemError) {
        let temporary = layout.temporary(for: layout.journal)
        try POSIX.createDurably(temporary, [])
        do throws(SystemError) {
            try POSIX.rename(temporary, to: layout.journal)
        } catch {
            try? POSIX.unlink(temporary)
            throw error
        }
        try POSIX.fsyncDirectory(layout.directory)
    }
}
