import Glibc
import OrderDeskCore

extension FileStore {
    /// What reading a store from disk produced.
    struct Loaded {
        var state: StoreState
        var isDemo: Bool
        var warnings: [String]
        var cursor: JournalCursor
        var snapshotIdentity: FileIdentity?
        var snapshotSeq: Int
    }

    /// Reads the whole store: the snapshot, then every journal event after it. Call under a lock.
    static func load(_ layout: StoreLayout, codec: StoreCodec) throws(LoadFailure) -> Loaded {
        guard let (snapshot, snapshotIdentity) = try SnapshotReader.read(layout, codec: codec) else {
            if try LoadFailure.wrap({ () throws(SystemError) in try POSIX.status(layout.journal) }) != nil {
                throw .damage(
                    StoreDamage(
                        file: layout.journal, position: "byte 0",
                        problem: "there is no \(StoreLayout.snapshotName) to go with this journal (it was deleted or never written)"
                    ))
            }
            throw .missing
        }
        var loaded = Loaded(
            state: snapshot.state, isDemo: false, warnings: [], cursor: JournalCursor(),
            snapshotIdentity: snapshotIdentity, snapshotSeq: snapshot.seq)
        let journal = try LoadFailure.wrap { () throws(SystemError) -> (bytes: [UInt8], info: stat)? in
            try POSIX.readFileWithInfo(layout.journal)
        }
        if let journal {
            loaded.cursor.identity = FileIdentity(journal.info)
            _ = try absorbJournal(
                journal.bytes, layout: layout, codec: codec, state: &loaded.state, cursor: &loaded.cursor,
                warnings: &loaded.warnings)
        }
        let end = max(loaded.snapshotSeq, loaded.cursor.lastSeq ?? 0)
        if let damage = JournalMark.missing(
            end: end, mark: try JournalMark.read(layout), journalBytes: Int64(journal?.bytes.count ?? 0), layout: layout)
        {
            throw .damage(damage)
        }
        loaded.isDemo = try LoadFailure.wrap { () throws(SystemError) in try POSIX.status(layout.demoMarker) } != nil
        return loaded
    }

    /// Applies journal bytes read at `cursor` and notes a torn last line once.
    static func absorbJournal(
        _ bytes: [UInt8], layout: StoreLayout, codec: StoreCodec, state: inout StoreState,
        cursor: inout JournalCursor, warnings: inout [String]
    ) throws(LoadFailure) -> [Event] {
        do {
            let chunk = try JournalScanner.scan(
                bytes, firstLine: cursor.lines + 1, baseByte: cursor.offset, file: layout.journal, codec: codec)
            let applied = try cursor.absorb(chunk, into: &state, file: layout.journal)
            if let torn = chunk.torn {
                if cursor.tornAt != torn.byte {
                    cursor.tornAt = torn.byte
                    warnings.append(
                        "\(StoreLayout.journalName): ignored a torn last line at byte \(torn.byte) (line \(torn.line): \(torn.problem)), left by a crash mid-write; the next change removes it after a copy into \(StoreLayout.quarantineName)/"
                    )
                }
            } else {
                cursor.tornAt = nil
            }
            return applied
        } catch {
            throw .damage(error)
        }
    }

    /// Reads what other processes appended since this instance last looked. Call under a lock.
    ///
    /// When the journal was replaced (another process compacted), a newer snapshot is adopted
    /// and the new journal is read from its start, skipping events already applied.
    func catchUp() throws(OrderDeskError) -> [Event] {
        do {
            return try advance()
        } catch {
            let failure: OrderDeskError
            switch error {
            case .system(let system): throw system.storeError  // nothing was applied; may pass
            case .missing: failure = .storeMissing(path: location)
            case .damage(let damage): failure = Self.refusal(for: damage, layout: layout)
            }
            // The in-memory state may be half-updated: refuse to go on with it.
            broken = failure
            throw failure
        }
    }

    /// Reads what was appended, then checks that the journal did not lose acknowledged lines.
    private func advance() throws(LoadFailure) -> [Event] {
        let events = try readAppended()
        if let damage = JournalMark.missing(
            end: max(snapshotSeq, journal.cursor.lastSeq ?? 0), mark: try JournalMark.read(layout),
            journalBytes: journal.cursor.offset, layout: layout)
        {
            throw .damage(damage)
        }
        return events
    }

    private func readAppended() throws(LoadFailure) -> [Event] {
        let path = layout.journal
        guard let fd = try LoadFailure.wrap({ () throws(SystemError) in try POSIX.openIfPresent(path, O_RDONLY) }) else {
            if journal.cursor.identity == nil && journal.cursor.offset == 0 { return [] }
            throw .damage(
                StoreDamage(
                    file: path, position: "byte 0",
                    problem: "\(StoreLayout.journalName) has disappeared; it held events up to \(journal.cursor.lastSeq ?? state.seq)",
                    quarantinable: false))
        }
        defer { POSIX.closeQuietly(fd) }
        let info = try LoadFailure.wrap { () throws(SystemError) in try POSIX.fstat(fd, path: path) }
        let identity = FileIdentity(info)
        let size = Int64(info.st_size)
        var folded: [Event] = []
        if identity != journal.cursor.identity || size < journal.cursor.offset {
            folded = try adoptNewerSnapshot()
            journal.cursor = JournalCursor(identity: identity)
        }
        guard size > journal.cursor.offset || journal.cursor.tornAt != nil else { return folded }
        let bytes = try LoadFailure.wrap { () throws(SystemError) in
            try POSIX.readToEnd(fd, from: journal.cursor.offset, expected: Int(size - journal.cursor.offset), path: path)
        }
        let applied = try Self.absorbJournal(
            bytes, layout: layout, codec: codec, state: &state, cursor: &journal.cursor, warnings: &warnings)
        return folded + applied
    }

    /// After another process compacted: reads the snapshot if it was rewritten, and adopts it when
    /// it is ahead of this instance. Returns the events it folded in (from `archive/`, best effort)
    /// so that the caller can still tell the agent what changed.
    private func adoptNewerSnapshot() throws(LoadFailure) -> [Event] {
        guard let info = try LoadFailure.wrap({ () throws(SystemError) in try POSIX.status(layout.snapshot) }) else {
            throw .damage(
                StoreDamage(
                    file: layout.snapshot, position: "byte 0",
                    problem: "\(StoreLayout.snapshotName) has disappeared", quarantinable: false))
        }
        guard FileIdentity(info) != snapshotIdentity else { return [] }
        guard let (snapshot, identity) = try SnapshotReader.read(layout, codec: codec) else {
            throw .damage(
                StoreDamage(
                    file: layout.snapshot, position: "byte 0",
                    problem: "\(StoreLayout.snapshotName) has disappeared", quarantinable: false))
        }
        snapshotIdentity = identity
        snapshotSeq = snapshot.seq
        guard snapshot.seq > state.seq else { return [] }
        let folded = AuditLogReader.archivedEvents(layout, codec: codec, after: state.seq, through: snapshot.seq)
        state = snapshot.state
        return folded
    }
}
