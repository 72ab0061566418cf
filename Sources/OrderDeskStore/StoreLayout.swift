import Glibc

/// The paths of a store directory's files.
struct StoreLayout: Sendable {
    static let lockName = "store.lock"
    static let snapshotName = "snapshot.json"
    static let journalName = "journal.jsonl"
    /// A hard link to the snapshot as OrderDesk last wrote it (see ``SnapshotEdit``).
    static let writtenSnapshotName = "snapshot.written.json"
    /// The last acknowledged sequence number (see ``JournalMark``).
    static let markName = "journal.seq"
    static let quarantineName = "quarantine"
    static let archiveName = "archive"
    /// An empty file whose presence marks a demo store.
    static let demoName = "demo"

    /// The store directory, without a trailing slash.
    let directory: String

    init(_ directory: String) {
        var path = directory
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.directory = path.isEmpty ? "." : path
    }

    func file(_ name: String) -> String { directory == "/" ? "/" + name : directory + "/" + name }

    var lock: String { file(Self.lockName) }
    var snapshot: String { file(Self.snapshotName) }
    var journal: String { file(Self.journalName) }
    var mark: String { file(Self.markName) }
    var writtenSnapshot: String { file(Self.writtenSnapshotName) }
    var quarantine: String { file(Self.quarantineName) }
    var archive: String { file(Self.archiveName) }
    var demoMarker: String { file(Self.demoName) }

    /// This process's temporary name for a file being replaced: `snapshot.json.tmp.<pid>`.
    func temporary(for path: String) -> String { "\(path).tmp.\(getpid())" }

    /// Whether a name in the store (or archive) directory is a temporary file.
    static func isTemporary(_ name: String) -> Bool { name.contains(".tmp.") }

    /// The archive file for the journal events `first...last`.
    func archiveFile(first: Int, last: Int, copy: Int = 1) -> String {
        archive + "/journal-\(first)-\(last)" + (copy > 1 ? "-\(copy)" : "") + ".jsonl"
    }

    /// The sequence range in an archive file name such as `journal-1-240.jsonl`, or nil.
    static func archiveRange(of name: String) -> ClosedRange<Int>? {
        guard name.hasPrefix("journal-"), name.hasSuffix(".jsonl"), !isTemporary(name) else { return nil }
        let parts = name.dropFirst("journal-".count).dropLast(".jsonl".count).split(separator: "-")
        guard parts.count == 2 || parts.count == 3, let first = Int(parts[0]), let last = Int(parts[1]),
            first <= last
        else { return nil }
        return first...last
    }
}
