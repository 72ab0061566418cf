import Glibc
import OrderDeskCore

extension FileStore {
    /// Appends whole journal lines durably and returns the offset they start at. Call under
    /// `LOCK_EX`, right after catching up.
    ///
    /// An interrupted compaction is finished first (unless `finishingCompaction` is false), and a
    /// torn tail is cut by ``Journal/append(_:fault:beforeCut:)`` after its checks. On any failure
    /// the journal is cut back to its previous length and the error is thrown: the change is not
    /// acknowledged.
    func append(_ bytes: [UInt8], finishingCompaction: Bool = true) throws(OrderDeskError) -> Int64 {
        if finishingCompaction { try finishInterruptedCompaction() }
        let (start, cut) = try journal.append(bytes, fault: options.appendFault) { size throws(OrderDeskError) in
            try keepTornTail()
        }
        if cut {
            let notice = "\(StoreLayout.journalName): ignored a torn last line at byte \(start) "
            warnings.removeAll { $0.hasPrefix(notice) }
        }
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

    /// Before a torn tail is cut: the journal is copied into `quarantine/`, so that the bytes of
    /// the unfinished line stay available; when that copy cannot be made, nothing is cut and the
    /// change is refused.
    func keepTornTail() throws(OrderDeskError) {
        guard Quarantine.copy(layout.journal, layout: layout) != nil else {
            throw .storeIO(
                path: layout.journal, operation: "keep a copy of the torn last line of",
                reason: "the copy into \(StoreLayout.quarantineName)/ failed, so the line was not removed")
        }
    }

    /// Removes lines appended from `start` on whose events could not be applied, then reads the
    /// store again, since the state may have been partly changed.
    func takeBack(to start: Int64) {
        journal.cut(to: start)
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
        journal.cursor = loaded.cursor
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
