import Glibc
import OrderDeskCore

/// The last acknowledged sequence number, kept in `journal.seq` beside the journal, so that a
/// journal that lost whole lines (cut at a line boundary, emptied, or an older copy put back) is
/// told from a shorter store.
///
/// A writer updates it only **after** the journal's `fdatasync`: the mark can be behind the
/// journal (a crash between the two leaves it so, and that loads fine), and ahead of it only when
/// the journal lost lines.
///
/// The mark itself is written without a sync of its own: the lines it vouches for are durable
/// before it is even written, so whenever the kernel writes it back it is never ahead of the
/// journal on disk, and a power loss can only leave it behind (which loads fine). A second
/// `fdatasync` per commit would roughly double the cost of a durable commit here (measured: see
/// the store notes in the README) and buy only a mark that is current a few seconds sooner. The store's last event is the journal's last event or, with an empty
/// journal, the snapshot's `seq`; compaction therefore never needs to touch the mark. The file
/// holds the number in decimal and a newline; a store without the file (created before it
/// existed) is not checked until its next change writes one.
enum JournalMark {
    /// Reads the mark; nil when there is none yet. An empty file is none yet too: ``write(_:layout:)``
    /// creates the file and then writes it, and a writer killed between the two leaves it empty
    /// (the journal's lines are still checked by their checksums).
    static func read(_ layout: StoreLayout) throws(LoadFailure) -> Int? {
        guard let bytes = try LoadFailure.wrap({ () throws(SystemError) in try POSIX.readFile(layout.mark) }), !bytes.isEmpty else {
            return nil
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        guard let seq = Int(text), seq >= 0, text.utf8.count <= 19 else {
            throw .damage(
                StoreDamage(
                    file: layout.mark, position: "byte 0",
                    problem: "this is not a sequence number (the file holds the last acknowledged event's number and a newline)"))
        }
        return seq
    }

    /// Records `seq` as acknowledged: one `pwrite` at the start of the file, not synced (see
    /// above). Call under `LOCK_EX`, after the journal lines up to `seq` were synced. The numbers
    /// only grow, so the file never needs cutting.
    static func write(_ seq: Int, layout: StoreLayout) throws(SystemError) {
        let path = layout.mark
        let fd: Int32
        if let existing = try POSIX.openIfPresent(path, O_WRONLY) {
            fd = existing
        } else {
            fd = try POSIX.open(path, O_WRONLY | O_CREAT, mode: 0o600, operation: "create")
            _ = fchmod(fd, 0o600)
        }
        defer { POSIX.closeQuietly(fd) }
        try POSIX.writeAll(fd, Array("\(seq)\n".utf8), at: 0, path: path)
    }

    /// The damage when the store ends at event `end` (journal bytes `journalBytes`) but event
    /// `mark` was acknowledged; nil when the mark is not ahead.
    static func missing(end: Int, mark: Int?, journalBytes: Int64, layout: StoreLayout) -> StoreDamage? {
        guard let mark, mark > end else { return nil }
        let events = mark == end + 1 ? "event \(mark) is" : "events \(end + 1) to \(mark) are"
        return StoreDamage(
            file: layout.journal, position: "byte \(journalBytes)",
            problem:
                "\(events) missing: the store ends at event \(end), but \(StoreLayout.markName) says event \(mark) was acknowledged; the journal lost whole lines (cut, emptied or replaced by an older copy). Restore the journal from a backup"
        )
    }
}
