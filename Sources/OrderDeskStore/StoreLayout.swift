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

    /// The sequence range in an archive file name such as `journal-1-240.jsonl` (or
    /// `v1-journal-1-240.jsonl`, a version-1 journal kept by an upgrade), or nil.
    static func archiveRange(of name: String) -> ClosedRange<Int>? {
        var name = Substring(name)
        if name.hasPrefix(v1Prefix) { name = name.dropFirst(v1Prefix.count) }
        guard name.hasPrefix("journal-"), name.hasSuffix(".jsonl"), !isTemporary(String(name)) else { return nil }
        let parts = name.dropFirst("journal-".count).dropLast(".jsonl".count).split(separator: "-")
        guard parts.count == 2 || parts.count == 3, let first = Int(parts[0]), let last = Int(parts[1]),
            first <= last
        else { return nil }
        return first...last
    }

    // MARK: What an upgrade from version 1 keeps

    /// The prefix of the files an upgrade keeps in `archive/`, byte for byte, from a store of
    /// version 1: `v1-snapshot-<seq>.json` and `v1-journal-<first>-<last>.jsonl`.
    static let v1Prefix = "v1-"

    /// Where an upgrade keeps the version-1 snapshot at `seq`.
    func v1SnapshotFile(seq: Int, copy: Int = 1) -> String {
        archive + "/\(Self.v1Prefix)snapshot-\(seq)" + (copy > 1 ? "-\(copy)" : "") + ".json"
    }

    /// Where an upgrade keeps the version-1 journal holding events `first...last`.
    func v1JournalFile(first: Int, last: Int, copy: Int = 1) -> String {
        archive + "/\(Self.v1Prefix)journal-\(first)-\(last)" + (copy > 1 ? "-\(copy)" : "") + ".jsonl"
    }

    /// The sequence number in the name of a kept version-1 snapshot (`v1-snapshot-240.json`).
    static func v1SnapshotSeq(of name: String) -> Int? {
        let prefix = v1Prefix + "snapshot-"
        guard name.hasPrefix(prefix), name.hasSuffix(".json"), !isTemporary(name) else { return nil }
        let parts = name.dropFirst(prefix.count).dropLast(".json".count).split(separator: "-")
        guard parts.count == 1 || parts.count == 2 else { return nil }
        return Int(parts[0])
    }

    /// Whether an archive file holds version-1 journal lines: a version-1 journal kept by the
    /// upgrade, or a journal archived by a compaction of version 1 (its events are at most
    /// `v1Through`, the last event of the store when it was upgraded).
    static func holdsV1Lines(_ name: String, v1Through: Int?) -> Bool {
        if name.hasPrefix(v1Prefix) { return true }
        guard let v1Through, let range = archiveRange(of: name) else { return false }
        return range.upperBound <= v1Through
    }
}
