import Glibc
import OrderDeskCore

/// Checks a store from end to end without changing anything: no writes, no quarantine copies,
/// no removal of temporary files. It takes the shared lock so as not to read a change half-made.
struct StoreVerifier {
    private let layout: StoreLayout
    private let codec = StoreCodec()
    private var report: VerifyReport

    private init(_ layout: StoreLayout) {
        self.layout = layout
        self.report = VerifyReport(path: layout.directory)
    }

    /// Checks the store in `path`.
    static func verify(at path: String, lockTimeout: Double) -> VerifyReport {
        var verifier = StoreVerifier(StoreLayout(path))
        verifier.run(lockTimeout: lockTimeout)
        return verifier.report
    }

    private mutating func problem(_ file: String, _ position: String, _ text: String) {
        report.problems.append(VerifyReport.Problem(file: file, position: position, problem: text))
    }

    private mutating func problem(_ damage: StoreDamage) {
        var text = damage.problem
        if case .tooNew(let version) = damage.kind {
            text = "store version \(version) is newer than this OrderDesk reads (up to \(Snapshot.currentVersion))"
        }
        if damage.kind == .edited {
            text += "; if it was edited on purpose, check the edit, then run 'orderdesk store accept-edit' to record it"
        }
        problem(damage.file, damage.position, text)
    }

    private mutating func run(lockTimeout: Double) {
        guard let directory = (try? POSIX.status(layout.directory)) ?? nil, (directory.st_mode & S_IFMT) == S_IFDIR
        else {
            problem(layout.directory, "-", "no such directory")
            return
        }
        checkMode(layout.directory, directory, expected: 0o700)

        var lock: StoreLock?
        do {
            lock = try StoreLock(path: layout.lock, create: false)
            try lock?.acquire(.shared, timeout: lockTimeout, store: layout.directory)
        } catch {
            report.notes.append(
                lock == nil
                    ? "\(StoreLayout.lockName) is missing; opening the store creates it again"
                    : "the store stayed locked by another process; this report may be out of date")
        }
        defer { lock?.release() }

        // Read before the files it vouches for, so that a change made meanwhile cannot put it ahead.
        let mark = checkMark()
        let state = checkSnapshot()
        checkJournal(from: state)
        if state != nil, let damage = JournalMark.missing(end: report.seq, mark: mark, journalBytes: report.journalBytes, layout: layout) {
            problem(damage)
        }
        checkArchive()
        checkLeftovers()
        report.isDemo = (try? POSIX.status(layout.demoMarker)) != nil
    }

    private mutating func checkMode(_ path: String, _ info: stat, expected: mode_t) {
        let mode = info.st_mode & 0o777
        if mode != expected {
            report.notes.append("\(path) has mode \(String(mode, radix: 8)), expected \(String(expected, radix: 8))")
        }
    }

    /// The last acknowledged sequence number in `journal.seq`, if any (see ``JournalMark``).
    private mutating func checkMark() -> Int? {
        do {
            return try JournalMark.read(layout)
        } catch {
            switch error {
            case .damage(let damage): problem(damage)
            case .system(let failure): problem(layout.mark, "byte 0", "cannot be read: \(failure.reason)")
            case .missing: break
            }
            return nil
        }
    }

    private mutating func checkSnapshot() -> StoreState? {
        let file: (bytes: [UInt8], info: stat)?
        do {
            file = try POSIX.readFileWithInfo(layout.snapshot)
        } catch {
            problem(layout.snapshot, "byte 0", "cannot be read: \(error.reason)")
            return nil
        }
        guard let file else {
            let journal = (try? POSIX.status(layout.journal)) ?? nil
            problem(
                layout.snapshot, "byte 0",
                journal != nil
                    ? "missing, but there is a journal: the snapshot was deleted or never written"
                    : "missing: there is no store here")
            return nil
        }
        checkMode(layout.snapshot, file.info, expected: 0o600)
        do {
            let snapshot = try SnapshotReader.check(file.bytes, file: layout.snapshot, codec: codec, requireSeal: true)
            report.snapshotSeq = snapshot.seq
            report.seq = snapshot.seq
            report.orders = snapshot.orders.count
            return snapshot.state
        } catch {
            problem(error)
            return nil
        }
    }

    private mutating func checkJournal(from snapshotState: StoreState?) {
        let file: (bytes: [UInt8], info: stat)?
        do {
            file = try POSIX.readFileWithInfo(layout.journal)
        } catch {
            problem(layout.journal, "byte 0", "cannot be read: \(error.reason)")
            return
        }
        guard let file else {
            report.notes.append("there is no \(StoreLayout.journalName) yet; the first change creates it")
            return
        }
        checkMode(layout.journal, file.info, expected: 0o600)
        report.journalBytes = Int64(file.bytes.count)
        var replay = snapshotState
        let lines = JournalScanner.lines(in: file.bytes, firstLine: 1, baseByte: 0)
        var lastSeq: Int?
        var first = true
        for (index, line) in lines.enumerated() {
            let isLast = index == lines.count - 1
            let position = StoreDamage.linePosition(line: line.number, byte: line.byte)
            let event: Event
            do throws(StoreCodec.Problem) {
                guard line.terminated else {
                    throw StoreCodec.Problem(problem: "no newline at its end (an unfinished write)")
                }
                event = try codec.decodeJournalLine(file.bytes[line.range])
            } catch {
                // Only a last line without its newline can be torn (see JournalScanner).
                let torn = isLast && !line.terminated
                if torn, let damage = JournalScanner.notTorn(file.bytes[line.range], byte: line.byte, codec: codec) {
                    problem(layout.journal, position, damage)
                    replay = nil
                    lastSeq = nil
                } else if torn {
                    report.tornTail = true
                    report.notes.append(
                        "\(StoreLayout.journalName): the last line (\(position)) is torn (\(error.problem)), as a crash mid-write leaves it; it is ignored, and the next change removes it after a copy into \(StoreLayout.quarantineName)/"
                    )
                } else {
                    problem(StoreDamage.journal(layout.journal, line: line.number, byte: line.byte, error))
                    replay = nil
                    lastSeq = nil
                }
                first = false
                continue
            }
            report.events += 1
            let seq = event.seq
            if let last = lastSeq, seq != last + 1 {
                problem(layout.journal, position, "sequence gap: event \(seq) follows event \(last); expected \(last + 1)")
                replay = nil
            } else if first, seq < 1 || seq > report.snapshotSeq + 1, snapshotState != nil {
                problem(
                    layout.journal, position,
                    "sequence gap: the journal starts at event \(seq) but the snapshot ends at event \(report.snapshotSeq)")
                replay = nil
            }
            first = false
            lastSeq = seq
            report.seq = max(report.seq, seq)
            if var state = replay, seq > state.seq {
                do {
                    try state.apply(event)
                    replay = state
                } catch {
                    problem(
                        layout.journal, position,
                        "event \(seq) (\(event.type)) does not fit the store: \(error.problem)")
                    replay = nil
                }
            }
            if let state = replay { report.orders = state.orders.count }
        }
    }

    private mutating func checkArchive() {
        guard let files = try? AuditLogReader.archiveFiles(layout) else { return }
        var seen = Set<Int>()
        for file in files {
            guard let bytes = (try? POSIX.readFile(file.path)) ?? nil else {
                problem(file.path, "byte 0", "cannot be read")
                continue
            }
            let lines = JournalScanner.lines(in: bytes, firstLine: 1, baseByte: 0)
            var lastSeq: Int?
            var range: ClosedRange<Int>?
            for (index, line) in lines.enumerated() {
                let position = StoreDamage.linePosition(line: line.number, byte: line.byte)
                do throws(StoreCodec.Problem) {
                    guard line.terminated else {
                        throw StoreCodec.Problem(problem: "no newline at its end (an unfinished write)")
                    }
                    let event = try codec.decodeJournalLine(bytes[line.range])
                    if let last = lastSeq, event.seq != last + 1 {
                        problem(file.path, position, "sequence gap: event \(event.seq) follows event \(last)")
                    }
                    lastSeq = event.seq
                    seen.insert(event.seq)
                    range =
                        range.map { min($0.lowerBound, event.seq)...max($0.upperBound, event.seq) }
                        ?? event.seq...event.seq
                } catch {
                    if index == lines.count - 1 && !line.terminated {
                        report.notes.append("\(file.path): the last line (\(position)) is torn (\(error.problem))")
                    } else {
                        problem(StoreDamage.journal(file.path, line: line.number, byte: line.byte, error))
                        lastSeq = nil  // the bad line's sequence number is unknown: no gap to report
                    }
                }
            }
            if let range, range != file.range {
                report.notes.append("\(file.path) holds events \(range.lowerBound) to \(range.upperBound)")
            }
        }
        report.archivedEvents = seen.count
    }

    private mutating func checkLeftovers() {
        for directory in [layout.directory, layout.archive, layout.quarantine] {
            for name in (try? POSIX.listDirectory(directory)) ?? [] where StoreLayout.isTemporary(name) {
                report.notes.append(
                    "\(directory)/\(name) is a temporary file left by a stopped process; the next change removes it")
            }
        }
        for directory in [layout.archive, layout.quarantine] {
            if let info = (try? POSIX.status(directory)) ?? nil { checkMode(directory, info, expected: 0o700) }
        }
        let quarantined = ((try? POSIX.listDirectory(layout.quarantine)) ?? []).filter { !StoreLayout.isTemporary($0) }
        if !quarantined.isEmpty {
            report.notes.append(
                "\(layout.quarantine) holds \(quarantined.count) cop\(quarantined.count == 1 ? "y" : "ies") of damaged files from earlier refusals"
            )
        }
    }
}
