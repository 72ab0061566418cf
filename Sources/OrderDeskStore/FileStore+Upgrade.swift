import Glibc
import OrderDeskCore

/// Opening a store of version 1 upgrades it to version 2, losing nothing.
///
/// Under `LOCK_EX`, the version-1 snapshot and journal are read and checked as strictly as any
/// store (checksums, sequence numbers, events that fit, the acknowledged mark), translated by
/// ``V1Translator`` and replayed. Then, with the steps and test hooks of compaction:
///
/// 0. the version-1 files are kept in `archive/`, byte for byte (hard links, or durable copies
///    where links are not possible): `v1-snapshot-<seq>.json` and, when the journal holds events,
///    `v1-journal-<first>-<last>.jsonl` (a journal holding only a torn line goes to `quarantine/`
///    as any torn line does); `archive/` is synced;
/// 1.–3. the translated state is written as a version-2 snapshot (a temp file, `fsync`, `rename`,
///    `fsync` of the directory): the upgrade's point of no return;
/// 4. a fresh, empty journal takes the old one's place.
///
/// A crash before step 3 leaves the version-1 store as it was (plus the links of step 0, which no
/// version reads as part of the store; the next open reuses them). A crash between steps 3 and 4
/// leaves the version-2 snapshot beside the version-1 journal, whose events it holds already: the
/// next open sees that the journal is the one kept in `archive/` and finishes step 4.
///
/// The audit log keeps the version-1 events: `AuditLogReader` reads the kept and archived
/// version-1 journals and translates their events on the way (``V1Translator/folded(_:in:)``).
extension FileStore {
    /// Opens a store that needs the upgrade (its snapshot is of version 1) or whose upgrade
    /// stopped before its fresh journal: takes `LOCK_EX` (the shared lock held is given up
    /// first), looks again, and upgrades or finishes. Another process may have done it meanwhile:
    /// the store then simply opens.
    static func openUpgrading(layout: StoreLayout, lock: StoreLock, codec: StoreCodec, options: FileStoreOptions)
        throws(OrderDeskError) -> FileStore
    {
        lock.release()
        try lock.acquire(.exclusive, timeout: options.lockTimeout, store: layout.directory)
        removeStaleTemporaries(layout)
        do {
            let (loaded, finished) = try loadFinishingUpgrade(layout, codec: codec)
            let store = FileStore(layout: layout, lock: lock, codec: codec, options: options, loaded: loaded)
            store.removedTemporaries = true
            if finished {
                store.warnings.append(
                    "finished the upgrade from version 1 that stopped before its fresh \(StoreLayout.journalName) (the version-1 journal is kept in \(StoreLayout.archiveName)/)"
                )
            }
            return store
        } catch {
            switch error {
            case .missing: throw .storeMissing(path: layout.directory)
            case .system(let failure): throw failure.storeError
            case .damage(let damage):
                // Still of version 1: upgrade it now.
                guard damage.olderVersion == 1 else { throw refusal(for: damage, layout: layout) }
            }
        }

        let reading: V1Store.Reading
        do {
            reading = try V1Store.read(layout)
        } catch {
            switch error {
            case .missing: throw .storeMissing(path: layout.directory)
            case .system(let failure): throw failure.storeError
            case .damage(let damage): throw refusal(for: damage, layout: layout)
            }
        }
        let isDemo = try io { () throws(SystemError) in try POSIX.status(layout.demoMarker) } != nil
        let store = FileStore(
            layout: layout, lock: lock, codec: codec, options: options,
            loaded: Loaded(
                state: reading.state, isDemo: isDemo, warnings: [], cursor: reading.cursor,
                snapshotIdentity: reading.snapshotIdentity, snapshotSeq: reading.snapshotSeq))
        store.removedTemporaries = true
        let kept = try store.upgradeLocked(reading)
        if let broken = store.broken { throw broken }
        var warnings = [
            "upgraded the store from version 1 to version 2 (transactions on every order); the version-1 files are kept in \(StoreLayout.archiveName)/ (\(kept.joined(separator: ", "))), and 'log' still shows their history"
        ]
        warnings += reading.notes
        let problems = LedgerAudit.findings(in: store.state)
        if !problems.isEmpty {
            let orders = Set(problems.map(\.order)).sorted()
            warnings.append(
                "version 1 let money go wrong on \(orders.count == 1 ? "order" : "orders") \(orders.joined(separator: ", ")): 'orderdesk store verify' lists the amounts; nothing was hidden or repaired"
            )
        }
        store.warnings = warnings
        return store
    }

    /// Reads the store, first finishing an upgrade that stopped between its new snapshot and its
    /// fresh journal (see the type's notes). Call under `LOCK_EX`.
    private static func loadFinishingUpgrade(_ layout: StoreLayout, codec: StoreCodec) throws(LoadFailure)
        -> (Loaded, finished: Bool)
    {
        do {
            return (try load(layout, codec: codec), false)
        } catch {
            guard case .damage(let damage) = error, damage.olderVersion == nil,
                let kept = try? keptV1Journal(layout),
                let (snapshot, _) = try? SnapshotReader.read(layout, codec: codec),
                snapshot.seq >= kept.upperBound
            else { throw error }
        }
        // The journal is the version-1 journal the upgrade kept, and the snapshot holds its events.
        try LoadFailure.wrap { () throws(SystemError) in try startFreshJournal(layout) }
        return (try load(layout, codec: codec), true)
    }

    /// The events of the version-1 journal kept in `archive/` when `journal.jsonl` is still that
    /// very file (the same inode, or the same bytes where links are not possible), or nil.
    static func keptV1Journal(_ layout: StoreLayout) throws(SystemError) -> ClosedRange<Int>? {
        guard let journal = try POSIX.status(layout.journal), journal.st_size > 0 else { return nil }
        var bytes: [UInt8]?
        for name in try POSIX.listDirectory(layout.archive) where name.hasPrefix(StoreLayout.v1Prefix + "journal-") {
            guard let range = StoreLayout.archiveRange(of: name) else { continue }
            let path = layout.archive + "/" + name
            guard let info = try POSIX.status(path), info.st_size == journal.st_size else { continue }
            if FileIdentity(info) == FileIdentity(journal) { return range }
            if bytes == nil { bytes = try POSIX.readFile(layout.journal) }
            if let bytes, try POSIX.readFile(path) == bytes { return range }
        }
        return nil
    }

    /// Whether the store in `layout` is one whose upgrade stopped before its fresh journal.
    static func upgradeInterrupted(_ layout: StoreLayout) -> Bool {
        ((try? keptV1Journal(layout)) ?? nil) != nil
    }

    /// The upgrade's steps (see the type's notes), with this instance holding the translated
    /// state. Returns the names of the files kept in `archive/`. Call under `LOCK_EX`.
    func upgradeLocked(_ reading: V1Store.Reading) throws(OrderDeskError) -> [String] {
        // Step 0: the version-1 files, byte for byte, in archive/.
        let layout = self.layout
        var kept: [String] = []
        try Self.io { () throws(SystemError) in
            if try POSIX.makeDirectory(layout.archive) {
                try POSIX.fsyncDirectory(layout.directory)
            }
            kept.append(
                try Self.keep(layout.snapshot, identity: reading.snapshotIdentity, in: layout.archive) {
                    layout.v1SnapshotFile(seq: reading.snapshotSeq, copy: $0)
                })
            if let journal = reading.journal, journal.bytes > 0 {
                if let first = reading.cursor.firstSeq, let last = reading.cursor.lastSeq {
                    kept.append(
                        try Self.keep(layout.journal, identity: journal.identity, in: layout.archive) {
                            layout.v1JournalFile(first: first, last: last, copy: $0)
                        })
                }
            }
            try POSIX.fsyncDirectory(layout.archive)
        }
        if let journal = reading.journal, journal.bytes > 0, reading.cursor.lastSeq == nil {
            // Only a torn line: kept where every torn line goes.
            try keepTornTail()
        }
        if stop(after: 0) { return kept }
        try writeSnapshotAndFreshJournal()
        return kept
    }

    /// Keeps `source` in `directory` under the first free name `name(copy)` (1, 2, …): a hard
    /// link, or a durable copy where links are not possible. A name that already holds this very
    /// file (linked by an upgrade that stopped) or the same bytes is reused. Returns the file name.
    private static func keep(
        _ source: String, identity: FileIdentity, in directory: String, as name: (Int) -> String
    ) throws(SystemError) -> String {
        var copy = 1
        while true {
            let target = name(copy)
            let file = String(target.split(separator: "/").last ?? "")
            if let existing = try POSIX.status(target) {
                if FileIdentity(existing) == identity { return file }
                if let bytes = try POSIX.readFile(source), try POSIX.readFile(target) == bytes { return file }
                copy += 1
                continue
            }
            do throws(SystemError) {
                try POSIX.link(source, to: target)
                return file
            } catch let failure where failure.code == EEXIST {
                copy += 1
            } catch {
                let bytes = try POSIX.readFile(source) ?? []
                try POSIX.replaceDurably(target, with: bytes, temporary: "\(target).tmp.\(getpid())", directory: directory)
                return file
            }
        }
    }
}
