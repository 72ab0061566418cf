/// What `orderdesk store verify` found: each problem with its file and position, plus counts.
///
/// Problems make a store unusable (it would be refused); notes are worth knowing but harmless
/// (a torn last line, stale temporary files, loose file modes). Money problems are neither:
/// they are facts about the orders (``LedgerAudit``'s findings on the replayed state, such as
/// more refunded than was captured), which the store holds faithfully and opens with.
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

    /// One broken money invariant on one order.
    public struct MoneyProblem: Sendable, Equatable, CustomStringConvertible {
        /// The order, `#1001`.
        public var order: String
        /// What is wrong, with the amounts.
        public var problem: String

        public init(order: String, problem: String) {
            self.order = order
            self.problem = problem
        }

        public var description: String { "\(order): \(problem)" }
    }

    /// The store directory.
    public var path: String
    public var problems: [Problem] = []
    public var notes: [String] = []
    /// The money invariants the orders break, once the journal replays (see ``LedgerAudit``).
    public var money: [MoneyProblem] = []
    /// Whether the money was checked (the snapshot and the journal replayed).
    public var moneyChecked = false
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

    /// Whether this is a store on a server (its events are a table, not journal files).
    public var isServer = false

    public init(path: String) { self.path = path }

    /// No problems: the store opens and replays cleanly.
    public var isClean: Bool { problems.isEmpty }

    /// A plain-text report, one fact per line; money problems in a section of their own.
    public var description: String {
        var status: [String] = []
        if !isClean { status.append("\(problems.count) problem\(problems.count == 1 ? "" : "s")") }
        if !money.isEmpty { status.append("\(money.count) money problem\(money.count == 1 ? "" : "s")") }
        var head = status.isEmpty ? "OK" : status.joined(separator: ", ")
        if isClean && !money.isEmpty { head += " (the files are sound)" }
        var lines = ["store \(path): " + head]
        if isServer {
            lines.append("  \(orders) orders, sequence \(seq), \(events) events in the events table")
        } else {
            lines.append(
                "  \(orders) orders, sequence \(seq) (snapshot at \(snapshotSeq)), \(events) journal events in \(journalBytes) bytes, \(archivedEvents) archived events, torn tail: \(tornTail ? "yes" : "no")"
            )
        }
        for problem in problems { lines.append("  problem: \(problem)") }
        if !money.isEmpty {
            lines.append(
                "  money problems (facts about the orders, not damage to the files; the store opens, and nothing was changed or hidden):"
            )
            for problem in money { lines.append("    \(problem)") }
        }
        for note in notes { lines.append("  note: \(note)") }
        return lines.joined(separator: "\n")
    }
}
