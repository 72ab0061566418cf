import Glibc
import OrderDeskCore

/// The store's journal file: how far it has been read, how new events are numbered and encoded,
/// how their lines are appended durably, and the acknowledged mark (``JournalMark``).
///
/// Single commits and group commits both go through it: ``lines(recording:after:agent:now:codec:)``
/// numbers and encodes, ``append(_:fault:beforeCut:)`` writes and syncs, and
/// ``recorded(bytes:events:firstSeq:lastSeq:at:)`` moves the cursor past what was written and
/// records the last of it as acknowledged.
struct Journal {
    let layout: StoreLayout
    /// The journal file.
    var path: String { layout.journal }
    /// How far the journal has been read.
    var cursor: JournalCursor

    init(layout: StoreLayout, cursor: JournalCursor) {
        self.layout = layout
        self.cursor = cursor
    }

    /// The events recording `changes`, numbered after `state`'s last event (by
    /// `StoreState.events(recording:agent:at:)`), and their journal lines.
    func lines(
        recording changes: [Change], after state: StoreState, agent: String, now: Timestamp, batch: BatchOrigin?,
        codec: StoreCodec
    ) throws(OrderDeskError) -> (events: [Event], bytes: [UInt8]) {
        let events = state.events(recording: changes, agent: agent, at: now, batch: batch)
        var bytes: [UInt8] = []
        for event in events {
            do {
                bytes += try codec.journalLine(event)
            } catch {
                throw .storeIO(path: path, operation: "write to", reason: error.problem)
            }
        }
        return (events, bytes)
    }

    /// Appends whole journal lines durably at the cursor and returns the offset they start at,
    /// and whether a torn tail was cut first. Call under `LOCK_EX`, right after catching up.
    ///
    /// Bytes beyond the cursor (a torn tail) are cut first, after `beforeCut` was called with the
    /// file's size (it may throw to leave them). The bytes go out in one `write` (looping only on
    /// partial writes), then `fdatasync`; a journal file created here also gets its directory
    /// synced. On any failure the journal is cut back to its previous length and the error is
    /// thrown: the change is not acknowledged. The cursor is not moved: see
    /// ``recorded(bytes:events:firstSeq:lastSeq:at:)``.
    ///
    /// `fault` is a test hook: the write fails with this `errno` after half of the bytes.
    mutating func append(
        _ bytes: [UInt8], fault: Int32?, beforeCut: (Int64) throws(OrderDeskError) -> Void
    ) throws(OrderDeskError) -> (start: Int64, cut: Bool) {
        let path = self.path
        var created = false
        let fd = try FileStore.io { () throws(SystemError) -> Int32 in
            if let fd = try POSIX.openIfPresent(path, O_WRONLY) { return fd }
            let fd = try POSIX.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600, operation: "create")
            _ = fchmod(fd, 0o600)
            created = true
            return fd
        }
        defer { POSIX.closeQuietly(fd) }
        let info = try FileStore.io { () throws(SystemError) in try POSIX.fstat(fd, path: path) }
        let identity = FileIdentity(info)
        guard created || identity == cursor.identity else {
            throw .storeIO(path: path, operation: "append to", reason: "the journal was replaced while the store was locked")
        }
        let start = cursor.offset
        let size = Int64(info.st_size)
        guard size >= start else {
            throw .storeIO(path: path, operation: "append to", reason: "the journal is shorter than already read")
        }
        if size > start { try beforeCut(size) }
        do throws(SystemError) {
            if size > start {
                // The torn tail of a crashed write: only ever removed here, under LOCK_EX.
                try POSIX.truncate(fd, to: start, path: path)
            }
            if let fault {
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
        cursor.tornAt = nil
        if created { cursor.identity = identity }
        return (start, size > start)
    }

    /// Moves the cursor past `bytes` bytes of whole lines holding `events` events, appended at
    /// `start` by ``append(_:fault:beforeCut:)`` (and synced), then records `lastSeq` as
    /// acknowledged in `journal.seq`. Returns a warning when that mark could not be written: the
    /// change is durable all the same, and a mark left behind is harmless.
    mutating func recorded(bytes: Int, events: Int, firstSeq: Int?, lastSeq: Int?, at start: Int64) -> String? {
        cursor.offset = start + Int64(bytes)
        cursor.lines += events
        if cursor.firstSeq == nil { cursor.firstSeq = firstSeq }
        cursor.lastSeq = lastSeq
        guard let lastSeq else { return nil }
        do {
            try JournalMark.write(lastSeq, layout: layout)
            return nil
        } catch {
            return "\(StoreLayout.markName) could not be updated (the change was saved): \(error.storeError.message)"
        }
    }

    /// Cuts the journal back to `start`, best effort: lines whose events could not be applied.
    func cut(to start: Int64) {
        guard let fd = try? POSIX.open(path, O_WRONLY) else { return }
        try? POSIX.truncate(fd, to: start, path: path)
        try? POSIX.fdatasync(fd, path: path)
        POSIX.closeQuietly(fd)
    }
}
