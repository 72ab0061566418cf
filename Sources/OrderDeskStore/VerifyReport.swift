/// What `orderdesk store verify` found: each problem with its file and position, plus counts.
///
/// Problems make a store unusable (it would be refused); notes are worth knowing but harmless
/// (a torn last line, stale temporary files, loose file modes).
public struct VerifyReport: Sendable, Equatable, CustomStringConvertible {
    /// One thing wrong, located.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The full path of the file.
        public var file: String
        /// `line 7 (byte 1234)`, `byte 0`, `field orders[3].total_price`...
        public var position: String
        public var problem: String

        public init(file: String, position: String, problem: String) {
            self.file = file
            self.position = position
            self.problem = problem
        }

        public var description: String { "\(file), \(position): \(problem)" }
    }

    /// The store directory.
    public var path: String
    public var problems: [Problem] = []
    public var notes: [String] = []
    /// The snapshot's store version (1 for a store that opening upgrades; 0 when unknown).
    public var version = 0
    /// Orders in the state after replaying the journal (as far as it replays).
    public var orders = 0
    /// Events in `journal.jsonl` (good lines).
    public var events = 0
    /// Events kept in `archive/` by earlier compactions.
    public var archivedEvents = 0
    /// The snapshot's sequence number.
    public var snapshotSeq = 0
    /// The last sequence number (after replaying the journal).
    public var seq = 0
    /// Size of `journal.jsonl`.
    public var journalBytes: Int64 = 0
    /// Whether the journal ends in a torn line (a crash mid-write; harmless).
    public var tornTail = false
    /// Whether the store is marked as a demo store.
    public var isDemo = false

    public init(path: String) { self.path = path }

    /// No problems: the store opens and replays cleanly.
    public var isClean: Bool { problems.isEmpty }

    /// A plain-text report, one fact per line.
    public var description: String {
        var lines = ["store \(path): " + (isClean ? "OK" : "\(problems.count) problem\(problems.count == 1 ? "" : "s")")]
        lines.append(
            "  \(orders) orders, sequence \(seq) (snapshot at \(snapshotSeq)), \(events) journal events in \(journalBytes) bytes, \(archivedEvents) archived events, torn tail: \(tornTail ? "yes" : "no")"
        )
        for problem in problems { lines.append("  problem: \(problem)") }
        for note in notes { lines.append("  note: \(note)") }
        return lines.joined(separator: "\n")
    }
}
