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
        let snapshot = checkSnapshot()
        let replayed = checkJournal(from: snapshot)
        if snapshot != nil, let damage = JournalMark.missing(end: report.seq, mark: mark, journalBytes: report.journalBytes, layout: layout)
        {
            problem(damage)
        }
        if let replayed, report.isClean {
            report.money = LedgerAudit.findings(in: replayed).map { VerifyReport.MoneyProblem(order: $0.order, problem: $0.problem) }
            report.moneyChecked = true
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

    /// The snapshot as read: of this version, or of version 1 (upgraded when the store is next
    /// opened, and checked here as that upgrade will read it, in memory).
    private enum SnapshotRead {
        case current(StoreState)
        case v1(V1.Snapshot)
    }

    private mutating func checkSnapshot() -> SnapshotRead? {
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
            report.version = snapshot.version
            report.snapshotSeq = snapshot.seq
            report.seq = snapshot.seq
            report.orders = snapshot.orders.count
            return .current(snapshot.state)
        } catch {
            guard error.olderVersion == 1 else {
                problem(error)
                return nil
            }
        }
        do {
            let v1 = try V1Store.snapshot(file.bytes, file: layout.snapshot)
            report.version = 1
            report.snapshotSeq = v1.seq
            report.seq = v1.seq
            report.orders = v1.orders.count
            report.notes.append(
                "store version 1: OrderDesk upgrades it to version \(Snapshot.currentVersion) the next time it opens the store (any command but 'store verify'), keeping the version-1 files in \(StoreLayout.archiveName)/; checked here as the upgrade will read it, in memory, and nothing was written"
            )
            return .v1(v1)
        } catch {
            problem(error)
            return nil
        }
    }

    /// Checks every journal line and replays it on the snapshot; returns the state replayed, or
    /// nil when the snapshot or a line did not allow it.
    private mutating func checkJournal(from snapshot: SnapshotRead?) -> StoreState? {
        let file: (bytes: [UInt8], info: stat)?
        do {
            file = try POSIX.readFileWithInfo(layout.journal)
        } catch {
            problem(layout.journal, "byte 0", "cannot be read: \(error.reason)")
            return nil
        }
        let bytes = file?.bytes ?? []
        let lines = JournalScanner.lines(in: bytes, firstLine: 1, baseByte: 0)
        // A store of version 1: its lines are translated as the upgrade will, with ids above
        // every id in the store (those of the journal's events too).
        var translator: V1Translator?
        var replay: StoreState?
        switch snapshot {
        case .current(let state): replay = state
        case .v1(let v1):
            let events = lines.filter(\.terminated).compactMap { try? V1Store.event(bytes[$0.range]) }
            var t = V1Translator(nextID: V1Store.largestID(v1, events) + 1)
            replay = t.state(v1)
            translator = t
        case nil: break
        }
        guard let file else {
            report.notes.append("there is no \(StoreLayout.journalName) yet; the first change creates it")
            return replay
        }
        checkMode(layout.journal, file.info, expected: 0o600)
        report.journalBytes = Int64(file.bytes.count)
        var lastSeq: Int?
        var first = true
        for (index, line) in lines.enumerated() {
            let isLast = index == lines.count - 1
            let position = StoreDamage.linePosition(line: line.number, byte: line.byte)
            let seq: Int
            var event: Event?
            var v1Event: V1.Event?
            do throws(StoreCodec.Problem) {
                guard line.terminated else {
                    throw StoreCodec.Problem(problem: "no newline at its end (an unfinished write)")
                }
                if translator != nil {
                    let e = try V1Store.event(file.bytes[line.range])
                    seq = e.seq
                    v1Event = e
                } else {
                    let e = try codec.decodeJournalLine(file.bytes[line.range])
                    seq = e.seq
                    event = e
                }
            } catch {
                // Only a last line without its newline can be torn (see JournalScanner).
                let torn = isLast && !line.terminated
                let notTorn =
                    translator != nil
                    ? JournalScanner.notTorn(file.bytes[line.range], byte: line.byte, decodes: V1Store.decodes)
                    : JournalScanner.notTorn(file.bytes[line.range], byte: line.byte, codec: codec)
                if torn, let damage = notTorn {
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
            if let last = lastSeq, seq != last + 1 {
                problem(layout.journal, position, "sequence gap: event \(seq) follows event \(last); expected \(last + 1)")
                replay = nil
            } else if first, seq < 1 || seq > report.snapshotSeq + 1, snapshot != nil {
                problem(
                    layout.journal, position,
                    "sequence gap: the journal starts at event \(seq) but the snapshot ends at event \(report.snapshotSeq)")
                replay = nil
            }
            first = false
            lastSeq = seq
            report.seq = max(report.seq, seq)
            if var state = replay, seq > state.seq {
                let applied: Event
                if let v1Event, translator != nil {
                    applied = translator!.forward(v1Event, state: state)
                } else {
                    applied = event!
                }
                do {
                    try state.apply(applied)
                    replay = state
                } catch {
                    problem(
                        layout.journal, position,
                        "event \(seq) (\(applied.type)) does not fit the store: \(error.problem)")
                    replay = nil
                }
            }
            if let state = replay { report.orders = state.orders.count }
        }
        return replay
    }

    private mutating func checkArchive() {
        guard let files = try? AuditLogReader.archiveFiles(layout) else { return }
        // In a store of version 1 every archived line is of version 1.
        let v1Through = report.version == 1 ? Int.max : AuditLogReader.v1Through((try? POSIX.listDirectory(layout.archive)) ?? [])
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
                    // Lines from before an upgrade from version 1 are read as version 1.
                    let seq: Int
                    if StoreLayout.holdsV1Lines(String(file.path.split(separator: "/").last ?? ""), v1Through: v1Through) {
                        seq = try V1Store.event(bytes[line.range]).seq
                    } else {
                        do {
                            seq = try codec.decodeJournalLine(bytes[line.range]).seq
                        } catch {
                            // An archive of a version-1 store whose kept snapshot was removed.
                            guard let v1 = try? V1Store.event(bytes[line.range]) else { throw error }
                            seq = v1.seq
                        }
                    }
                    if let last = lastSeq, seq != last + 1 {
                        problem(file.path, position, "sequence gap: event \(seq) follows event \(last)")
                    }
                    lastSeq = seq
                    seen.insert(seq)
                    range = range.map { min($0.lowerBound, seq)...max($0.upperBound, seq) } ?? seq...seq
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
