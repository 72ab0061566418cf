import Glibc
import OrderDeskCore

/// A store kept in a directory (the README's "Where things live" lists its files):
///
/// | file | |
/// |---|---|
/// | `store.lock` | held with `flock`: exclusive for a change, shared for a read |
/// | `snapshot.json` | the whole state as of sequence number `seq` |
/// | `journal.jsonl` | one event per line after the snapshot, each with a CRC-32 |
/// | `archive/` | journals folded into the snapshot by compaction: the older audit log; the files of a version-1 store, kept by its upgrade |
/// | `quarantine/` | byte-exact copies of files found damaged |
/// | `demo` | present (empty) in a demo store |
///
/// The store is read once when opened; afterwards ``refresh()`` and ``commit(agent:now:_:)``
/// read only the journal bytes other processes appended since. A damaged or newer-format store
/// is refused and left untouched, with a copy of the bad file in `quarantine/`; a store of
/// version 1 is upgraded to version 2 when opened (see `FileStore+Upgrade`).
///
/// An instance is meant for one thread. Two instances on one directory (even in one process)
/// coordinate through the lock like two processes.
public final class FileStore: OrderStore {
    /// The state as of the last read or change.
    public internal(set) var state: StoreState
    /// Whether the store was created as a demo store (it has a `demo` marker file).
    public let isDemo: Bool
    /// The store directory.
    public var location: String { layout.directory }
    /// Problems noticed that did not stop the store from working, in plain words
    /// (a torn last journal line, a failed compaction). The caller may show and clear them.
    public var warnings: [String]

    let layout: StoreLayout
    let lock: StoreLock
    let codec: StoreCodec
    var options: FileStoreOptions
    /// The journal file, how far it has been read, and the numbering of new events.
    var journal: Journal
    /// The snapshot file read, to tell when another process wrote a new one.
    var snapshotIdentity: FileIdentity?
    /// The sequence number of the snapshot on disk.
    var snapshotSeq: Int
    /// Other sessions' events caught up during a commit, for the next refresh.
    var unreported: [Event] = []
    /// Whether stale temporary files have been looked for (once per instance, under `LOCK_EX`).
    var removedTemporaries = false
    /// Set when the store was found damaged after opening: every later call reports it.
    var broken: OrderDeskError?
    /// The group commit in progress (under `LOCK_EX`), if any: see ``beginGroup()``.
    var group: PendingGroup?
    /// The step after which a test hook stopped a compaction or an upgrade, if one did.
    var stoppedAfterStep: Int?

    init(layout: StoreLayout, lock: StoreLock, codec: StoreCodec, options: FileStoreOptions, loaded: Loaded) {
        self.layout = layout
        self.lock = lock
        self.codec = codec
        self.options = options
        self.state = loaded.state
        self.isDemo = loaded.isDemo
        self.warnings = loaded.warnings
        self.journal = Journal(layout: layout, cursor: loaded.cursor)
        self.snapshotIdentity = loaded.snapshotIdentity
        self.snapshotSeq = loaded.snapshotSeq
    }

    // MARK: Opening and creating

    /// Opens the store in `path`, reading the snapshot and the journal once. A store of version 1
    /// is upgraded to version 2 first, under `LOCK_EX`, keeping its files in `archive/` (see
    /// `FileStore+Upgrade`); ``warnings`` then say so.
    ///
    /// Throws ``OrderDeskError/storeMissing(path:)`` when there is no store,
    /// ``OrderDeskError/storeLocked(path:)`` when another process holds the lock for more than
    /// about 10 s, ``OrderDeskError/storeCorrupt(file:position:problem:quarantine:)`` or
    /// ``OrderDeskError/storeTooNew(file:version:supported:)`` when it must be refused.
    public static func open(at path: String) throws(OrderDeskError) -> FileStore {
        try open(at: path, options: FileStoreOptions())
    }

    /// Opens the store in `path` with tunables and test hooks (for tests).
    @_spi(StoreTesting) public static func open(at path: String, options: FileStoreOptions) throws(OrderDeskError)
        -> FileStore
    {
        ignoreFileSizeSignal()
        let layout = StoreLayout(path)
        let directory = try io { () throws(SystemError) in try POSIX.status(layout.directory) }
        guard let directory, (directory.st_mode & S_IFMT) == S_IFDIR else {
            throw .storeMissing(path: layout.directory)
        }
        // Do not leave a lock file in a directory that holds no store.
        let hasSnapshot = try io { () throws(SystemError) in try POSIX.status(layout.snapshot) } != nil
        let hasJournal = try io { () throws(SystemError) in try POSIX.status(layout.journal) } != nil
        guard hasSnapshot || hasJournal else { throw .storeMissing(path: layout.directory) }

        let lock = try io { () throws(SystemError) in try StoreLock(path: layout.lock, create: true) }
        try lock.acquire(.shared, timeout: options.lockTimeout, store: layout.directory)
        defer { lock.release() }
        let codec = StoreCodec()
        do {
            let loaded = try load(layout, codec: codec)
            return FileStore(layout: layout, lock: lock, codec: codec, options: options, loaded: loaded)
        } catch {
            switch error {
            case .missing: throw .storeMissing(path: layout.directory)
            case .system(let failure): throw failure.storeError
            case .damage(let damage):
                // A store of version 1 is upgraded (see FileStore+Upgrade), as is one whose
                // upgrade stopped half-way; anything else is refused.
                if damage.olderVersion == 1 || upgradeInterrupted(layout) {
                    return try openUpgrading(layout: layout, lock: lock, codec: codec, options: options)
                }
                throw refusal(for: damage, layout: layout)
            }
        }
    }

    /// Creates a store in `path` holding `state`: the directories (mode 0700) as needed, the lock
    /// file, a durable snapshot, an empty journal, and for a demo store the `demo` marker.
    ///
    /// Throws ``OrderDeskError/storeExists(path:)`` when a store is already there.
    public static func create(at path: String, state: StoreState, isDemo: Bool = false) throws(OrderDeskError)
        -> FileStore
    {
        try create(at: path, state: state, isDemo: isDemo, options: FileStoreOptions())
    }

    static func create(at path: String, state: StoreState, isDemo: Bool, options: FileStoreOptions)
        throws(OrderDeskError) -> FileStore
    {
        ignoreFileSizeSignal()
        let layout = StoreLayout(path)
        try io { () throws(SystemError) in try makeStoreDirectory(layout.directory) }
        let lock = try io { () throws(SystemError) in try StoreLock(path: layout.lock, create: true) }
        try lock.acquire(.exclusive, timeout: options.lockTimeout, store: layout.directory)
        defer { lock.release() }

        if try io({ () throws(SystemError) in try POSIX.status(layout.snapshot) }) != nil {
            throw .storeExists(path: layout.directory)
        }
        if let journal = try io({ () throws(SystemError) in try POSIX.status(layout.journal) }), journal.st_size > 0 {
            throw .storeExists(path: layout.directory)
        }
        removeStaleTemporaries(layout)
        let codec = StoreCodec()
        let bytes: [UInt8]
        do {
            bytes = SnapshotReader.seal(try codec.encodeSnapshot(state))
        } catch {
            throw .storeIO(path: layout.snapshot, operation: "write", reason: error.problem)
        }
        let journal = try io { () throws(SystemError) -> FileIdentity in
            // The marker goes first: a store whose snapshot exists is completely marked.
            if isDemo {
                if try POSIX.status(layout.demoMarker) == nil { try POSIX.createDurably(layout.demoMarker, []) }
            } else {
                try POSIX.unlink(layout.demoMarker)
            }
            // A mark left by a store that was here before would refuse this one, and its copy of
            // the snapshot as written is not this store's.
            try POSIX.unlink(layout.mark)
            try POSIX.unlink(layout.writtenSnapshot)
            try POSIX.replaceDurably(
                layout.snapshot, with: bytes, temporary: layout.temporary(for: layout.snapshot),
                directory: layout.directory)
            if try POSIX.status(layout.journal) == nil {
                try POSIX.createDurably(layout.journal, [])
            }
            try POSIX.fsyncDirectory(layout.directory)
            guard let info = try POSIX.status(layout.journal) else {
                throw SystemError(operation: "create", path: layout.journal, code: ENOENT)
            }
            return FileIdentity(info)
        }
        let snapshot = try io { () throws(SystemError) in try POSIX.status(layout.snapshot) }
        let loaded = Loaded(
            state: state, isDemo: isDemo, warnings: [], cursor: JournalCursor(identity: journal),
            snapshotIdentity: snapshot.map(FileIdentity.init), snapshotSeq: state.seq)
        return FileStore(layout: layout, lock: lock, codec: codec, options: options, loaded: loaded)
    }

    // MARK: The protocol

    public func refresh() throws(OrderDeskError) -> [Event] {
        if let broken { throw broken }
        if group != nil {
            // The exclusive lock is held for the group: nobody else can have written since.
            defer { unreported = [] }
            return unreported
        }
        try lock.acquire(.shared, timeout: options.lockTimeout, store: location)
        defer { lock.release() }
        let new = unreported + (try catchUp())
        unreported = []
        return new
    }

    public func commit(
        agent: String, now: Timestamp, batch: BatchOrigin?, _ decide: (StoreState) throws(OrderDeskError) -> [Change]
    ) throws(OrderDeskError) -> [Event] {
        if let broken { throw broken }
        if group != nil { return try commitInGroup(agent: agent, now: now, batch: batch, decide) }
        try lock.acquire(.exclusive, timeout: options.lockTimeout, store: location)
        defer { lock.release() }
        removeStaleTemporariesOnce()
        unreported += try catchUp()

        let changes = try decide(state)
        guard !changes.isEmpty else { return [] }
        let (events, bytes) = try journal.lines(recording: changes, after: state, agent: agent, now: now, batch: batch, codec: codec)
        let start = try append(bytes)
        for event in events {
            do {
                try state.apply(event)
            } catch {
                // The change does not fit the state: a bug in the rules. Take it back.
                takeBack(to: start)
                throw .storeIO(
                    path: layout.journal, operation: "record the change in",
                    reason: "event \(error.seq) does not fit the store (\(error.problem)); it was taken back")
            }
        }
        if let problem = journal.recorded(
            bytes: bytes.count, events: events.count, firstSeq: events.first?.seq, lastSeq: events.last?.seq, at: start)
        {
            warnings.append(problem)
        }
        if journal.cursor.offset >= options.compactionThreshold {
            do {
                try compactLocked()
            } catch {
                warnings.append("the store could not be compacted (the change was saved): \(error.message)")
            }
        }
        return events
    }

    public func auditLog() throws(OrderDeskError) -> [Event] {
        if let broken { throw broken }
        try lock.acquire(.shared, timeout: options.lockTimeout, store: location)
        defer { lock.release() }
        do {
            return try AuditLogReader.read(layout, codec: codec, state: state)
        } catch {
            switch error {
            case .missing: throw .storeMissing(path: location)
            case .system(let failure): throw failure.storeError
            case .damage(let damage): throw Self.refusal(for: damage, layout: layout)
            }
        }
    }

    // MARK: Helpers

    /// Runs system calls, reporting a failure as ``OrderDeskError/storeIO(path:operation:reason:)``.
    static func io<T>(_ body: () throws(SystemError) -> T) throws(OrderDeskError) -> T {
        do {
            return try body()
        } catch {
            throw error.storeError
        }
    }

    /// The error for a damaged store, after copying the bad file into `quarantine/`.
    /// A store that is merely newer is not quarantined: a newer OrderDesk reads it; nor is an
    /// older one (opening upgrades it).
    static func refusal(for damage: StoreDamage, layout: StoreLayout) -> OrderDeskError {
        guard !damage.isTooNew, damage.olderVersion == nil, damage.quarantinable else { return damage.error(quarantine: nil) }
        return damage.error(quarantine: Quarantine.copy(damage.file, layout: layout))
    }

    /// Makes a write past the file-size limit (`ulimit -f`) fail with `EFBIG`, which is reported
    /// and undone like any failed write, instead of killing the process with `SIGXFSZ` halfway
    /// through an append or a compaction. Process-wide, and harmless to everything else.
    static func ignoreFileSizeSignal() {
        _ = ignoringFileSizeSignal
    }

    private static let ignoringFileSizeSignal: Void = { _ = signal(SIGXFSZ, SIG_IGN) }()

    /// Creates the store directory and its parents; the store directory gets mode 0700.
    static func makeStoreDirectory(_ path: String) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        let parts = path.split(separator: "/")
        for (index, part) in parts.enumerated() {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            let created = try POSIX.makeDirectory(prefix)
            if index == parts.count - 1, !created, try POSIX.listDirectory(prefix).isEmpty {
                _ = chmod(prefix, 0o700)
            }
        }
    }

    /// Removes temporary files left by a killed process. Only under `LOCK_EX`.
    static func removeStaleTemporaries(_ layout: StoreLayout) {
        for directory in [layout.directory, layout.archive, layout.quarantine] {
            guard let names = try? POSIX.listDirectory(directory) else { continue }
            for name in names where StoreLayout.isTemporary(name) {
                try? POSIX.unlink(directory + "/" + name)
            }
        }
    }

    /// Removes stale temporary files the first time this instance holds `LOCK_EX`.
    func removeStaleTemporariesOnce() {
        guard !removedTemporaries else { return }
        removedTemporaries = true
        Self.removeStaleTemporaries(layout)
        keepWrittenSnapshot()
    }
}

extension FileStore {
    /// Checks the store in `path` from end to end and reports every problem with its file and
    /// line or byte, plus counts. Never writes anything, never quarantines.
    public static func verify(at path: String) -> VerifyReport {
        StoreVerifier.verify(at: path, lockTimeout: FileStoreOptions().lockTimeout)
    }
}
