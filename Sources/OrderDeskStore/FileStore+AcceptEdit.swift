import Glibc
import OrderDeskCore

extension FileStore {
    /// Accepts an edit of `snapshot.json` made outside OrderDesk (`orderdesk store accept-edit`):
    /// lists what it changed, records it as a `store.edit_accepted` event by `agent`, and
    /// rewrites the snapshot with its checksum. With `dryRun`, only lists.
    ///
    /// Under `LOCK_EX`: reads the edited snapshot (it must still be a valid store document),
    /// compares it with the snapshot as written (see ``SnapshotEdit``), replays the journal on
    /// top of it (its events must fit the edited state), appends the event durably and compacts,
    /// which writes the new snapshot with its trailer. A crash before the compaction leaves the
    /// edit refused as before, with the event in the journal: running the command again records
    /// it a second time. Throws ``OrderDeskError/storeNotEdited(file:)`` when the snapshot carries
    /// a good checksum.
    public static func acceptEdit(at path: String, agent: String, now: Timestamp, dryRun: Bool)
        throws(OrderDeskError) -> SnapshotEdit
    {
        try acceptEdit(at: path, agent: agent, now: now, dryRun: dryRun, options: FileStoreOptions())
    }

    static func acceptEdit(at path: String, agent: String, now: Timestamp, dryRun: Bool, options: FileStoreOptions)
        throws(OrderDeskError) -> SnapshotEdit
    {
        ignoreFileSizeSignal()
        let layout = StoreLayout(path)
        guard let file = try io({ () throws(SystemError) in try POSIX.readFileWithInfo(layout.snapshot) }) else {
            throw .storeMissing(path: layout.directory)
        }
        let lock = try io { () throws(SystemError) in try StoreLock(path: layout.lock, create: true) }
        try lock.acquire(.exclusive, timeout: options.lockTimeout, store: layout.directory)
        defer { lock.release() }
        // Read again under the lock.
        guard let (bytes, info) = try io({ () throws(SystemError) in try POSIX.readFileWithInfo(layout.snapshot) }) else {
            throw .storeMissing(path: layout.directory)
        }
        _ = file
        let codec = StoreCodec()
        let edited: Snapshot
        do {
            edited = try SnapshotReader.check(bytes, file: layout.snapshot, codec: codec)
        } catch {
            if let version = error.olderVersion {
                throw .storeCorrupt(
                    file: layout.snapshot, position: "field version",
                    problem:
                        "this is a snapshot of store version \(version), and only version-\(Snapshot.currentVersion) snapshots have their edits accepted here; an edited version-\(version) store is not upgraded either. Put back the snapshot as OrderDesk wrote it (\(StoreLayout.writtenSnapshotName)) and open the store, which upgrades it, then make the edit again; or accept the edit with the OrderDesk of version \(version) first",
                    quarantine: nil)
            }
            throw refusal(for: error, layout: layout)
        }
        if (try? SnapshotReader.check(bytes, file: layout.snapshot, codec: codec, requireSeal: true)) != nil {
            throw .storeNotEdited(file: layout.snapshot)
        }

        var edit: SnapshotEdit
        switch writtenState(layout, codec: codec, seq: edited.seq, edited: FileIdentity(info)) {
        case .success(let written): edit = SnapshotEdit.between(written, edited.state)
        case .failure(let reason):
            edit = SnapshotEdit()
            edit.unlisted = reason.text
        }

        // The journal after the edited snapshot must still fit it.
        var loaded = Loaded(
            state: edited.state, isDemo: false, warnings: [], cursor: JournalCursor(),
            snapshotIdentity: FileIdentity(info), snapshotSeq: edited.seq)
        do throws(LoadFailure) {
            if let journal = try LoadFailure.wrap({ () throws(SystemError) in try POSIX.readFileWithInfo(layout.journal) }) {
                loaded.cursor.identity = FileIdentity(journal.info)
                _ = try absorbJournal(
                    journal.bytes, layout: layout, codec: codec, state: &loaded.state, cursor: &loaded.cursor,
                    warnings: &loaded.warnings)
            }
            let end = max(edited.seq, loaded.cursor.lastSeq ?? 0)
            if let damage = JournalMark.missing(
                end: end, mark: try JournalMark.read(layout), journalBytes: loaded.cursor.offset, layout: layout)
            {
                throw LoadFailure.damage(damage)
            }
            loaded.isDemo = try LoadFailure.wrap { () throws(SystemError) in try POSIX.status(layout.demoMarker) } != nil
        } catch {
            switch error {
            case .missing: throw .storeMissing(path: layout.directory)
            case .system(let failure): throw failure.storeError
            case .damage(let damage): throw refusal(for: damage, layout: layout)
            }
        }
        guard !dryRun else { return edit }

        let store = FileStore(layout: layout, lock: lock, codec: codec, options: options, loaded: loaded)
        let (events, lines) = try store.journal.lines(
            recording: [edit.change], after: store.state, agent: agent, now: now, batch: nil, codec: codec)
        let start = try store.append(lines, finishingCompaction: false)
        for event in events {
            do {
                try store.state.apply(event)
            } catch {
                store.journal.cut(to: start)
                throw .storeIO(
                    path: layout.journal, operation: "record the edit in",
                    reason: "event \(error.seq) does not fit the store (\(error.problem)); it was taken back")
            }
        }
        _ = store.journal.recorded(
            bytes: lines.count, events: events.count, firstSeq: events.first?.seq, lastSeq: events.last?.seq, at: start)
        try store.compactLocked()
        edit.event = events.last
        return edit
    }

    /// Why the snapshot as written could not be used.
    struct Unlisted: Error {
        var text: String
    }

    /// The state as of `seq` that OrderDesk wrote: `snapshot.written.json`, brought forward with
    /// archived events when it is older than `seq`.
    static func writtenState(_ layout: StoreLayout, codec: StoreCodec, seq: Int, edited: FileIdentity)
        -> Result<StoreState, Unlisted>
    {
        guard let (bytes, info) = (try? POSIX.readFileWithInfo(layout.writtenSnapshot)) ?? nil else {
            return .failure(
                Unlisted(
                    text:
                        "there is no \(StoreLayout.writtenSnapshotName) (the snapshot as OrderDesk wrote it) to compare with: the store is older than that copy, or its file system has no hard links"
                ))
        }
        guard FileIdentity(info) != edited,
            let written = try? SnapshotReader.check(bytes, file: layout.writtenSnapshot, codec: codec, requireSeal: true)
        else {
            return .failure(
                Unlisted(
                    text:
                        "\(StoreLayout.writtenSnapshotName) was changed too (the snapshot was edited in place, and the two names are one file), so there is nothing to compare with"
                ))
        }
        var state = written.state
        guard state.seq <= seq else {
            return .failure(
                Unlisted(text: "the edit moved seq back from \(state.seq) to \(seq), so there is nothing to compare with"))
        }
        if state.seq < seq {
            let events = (try? AuditLogReader.read(layout, codec: codec, state: state)) ?? []
            for event in events where event.seq > state.seq && event.seq <= seq {
                guard (try? state.apply(event)) != nil else { break }
            }
            guard state.seq == seq else {
                return .failure(
                    Unlisted(
                        text: "the events between the copy (seq \(written.seq)) and the edited snapshot (seq \(seq)) are not all archived"
                    ))
            }
        }
        return .success(state)
    }

    /// Makes `snapshot.written.json` the snapshot on disk, a hard link: the baseline that
    /// `store accept-edit` compares an edit with. Best effort (a file system without hard links
    /// has none). Call under `LOCK_EX`, right after this instance wrote or checked the snapshot
    /// whose identity is `snapshotIdentity`.
    func keepWrittenSnapshot() {
        guard let info = (try? POSIX.status(layout.snapshot)) ?? nil, FileIdentity(info) == snapshotIdentity else { return }
        if let kept = (try? POSIX.status(layout.writtenSnapshot)) ?? nil, FileIdentity(kept) == snapshotIdentity { return }
        let temporary = layout.temporary(for: layout.writtenSnapshot)
        try? POSIX.unlink(temporary)
        guard (try? POSIX.link(layout.snapshot, to: temporary)) != nil else { return }
        do throws(SystemError) {
            try POSIX.rename(temporary, to: layout.writtenSnapshot)
            try POSIX.fsyncDirectory(layout.directory)
        } catch {
            try? POSIX.unlink(temporary)
        }
    }
}
