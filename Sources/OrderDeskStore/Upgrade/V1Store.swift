import Foundation
import OrderDeskCore

/// Reading the files of a version-1 store: its snapshot, its journal lines and the journals kept
/// in `archive/`, checked as strictly as a store of today (checksums, sequence numbers, events
/// that fit), then translated by ``V1Translator``.
enum V1Store {
    /// A version-1 store read and translated, not yet written as version 2.
    struct Reading {
        var snapshotIdentity: FileIdentity
        var snapshotSeq: Int
        /// The journal file, if any, and what it held.
        var journal: (identity: FileIdentity, bytes: Int64)?
        var cursor: JournalCursor
        /// The store as version 2: the snapshot translated, the journal's events translated and applied.
        var state: StoreState
        /// What the translation could not carry over, and a torn last line, in plain words.
        var notes: [String]
    }

    /// Reads and translates the version-1 store in `layout`. Call under a lock.
    static func read(_ layout: StoreLayout) throws(LoadFailure) -> Reading {
        guard
            let (bytes, info) = try LoadFailure.wrap({ () throws(SystemError) in try POSIX.readFileWithInfo(layout.snapshot) })
        else { throw .missing }
        let v1: V1.Snapshot
        do {
            v1 = try snapshot(bytes, file: layout.snapshot)
        } catch {
            throw .damage(error)
        }
        let journal = try LoadFailure.wrap { () throws(SystemError) in try POSIX.readFileWithInfo(layout.journal) }
        var events: [(line: JournalScanner.Line, event: V1.Event)] = []
        var torn: JournalScanner.Line?
        if let journal {
            let lines = JournalScanner.lines(in: journal.bytes, firstLine: 1, baseByte: 0)
            for line in lines {
                let position = StoreDamage.linePosition(line: line.number, byte: line.byte)
                guard line.terminated else {
                    if let problem = JournalScanner.notTorn(journal.bytes[line.range], byte: line.byte, decodes: decodes) {
                        throw .damage(StoreDamage(file: layout.journal, position: position, problem: problem))
                    }
                    torn = line
                    break
                }
                do {
                    events.append((line, try event(journal.bytes[line.range])))
                } catch {
                    throw .damage(StoreDamage.journal(layout.journal, line: line.number, byte: line.byte, error))
                }
            }
        }

        var translator = V1Translator(nextID: largestID(v1, events.map(\.event)) + 1)
        var state = translator.state(v1)
        var cursor = JournalCursor(identity: journal.map { FileIdentity($0.info) })
        for (line, e) in events {
            let position = StoreDamage.linePosition(line: line.number, byte: line.byte)
            if let last = cursor.lastSeq {
                guard e.seq == last + 1 else {
                    throw .damage(
                        StoreDamage(
                            file: layout.journal, position: position,
                            problem: "sequence gap: event \(e.seq) follows event \(last); expected \(last + 1)"))
                }
            } else {
                guard e.seq >= 1, e.seq <= state.seq + 1 else {
                    throw .damage(
                        StoreDamage(
                            file: layout.journal, position: position,
                            problem: "sequence gap: the journal starts at event \(e.seq) but the snapshot ends at event \(state.seq)"))
                }
                cursor.firstSeq = e.seq
            }
            cursor.lastSeq = e.seq
            cursor.lines += 1
            cursor.offset = Int64(line.range.upperBound + 1)
            // Events the snapshot holds already (a compaction of version 1 stopped half-way).
            guard e.seq > state.seq else { continue }
            let translated = translator.forward(e, state: state)
            do {
                try state.apply(translated)
            } catch {
                throw .damage(
                    StoreDamage(
                        file: layout.journal, position: position,
                        problem: "event \(e.seq) (\(translated.type)) does not fit the store: \(error.problem)"))
            }
        }
        let end = max(v1.seq, cursor.lastSeq ?? 0)
        if let damage = JournalMark.missing(
            end: end, mark: try JournalMark.read(layout), journalBytes: Int64(journal?.bytes.count ?? 0), layout: layout)
        {
            throw .damage(damage)
        }
        var notes = translator.notes
        if let torn {
            cursor.tornAt = torn.byte
            notes.append(
                "the version-1 \(StoreLayout.journalName) ended in a torn line at byte \(torn.byte) (line \(torn.number)), left by a crash mid-write; it was ignored, and kept with the rest of that journal"
            )
        }
        return Reading(
            snapshotIdentity: FileIdentity(info), snapshotSeq: v1.seq,
            journal: journal.map { (FileIdentity($0.info), Int64($0.bytes.count)) }, cursor: cursor, state: state, notes: notes)
    }

    /// Checks and decodes a version-1 snapshot: its checksum trailer (a version-1 store's
    /// snapshot had one too), format, version, sequence number and order names.
    static func snapshot(_ bytes: [UInt8], file: String) throws(StoreDamage) -> V1.Snapshot {
        let (document, seal) = try SnapshotReader.unseal(bytes, file: file)
        let v1: V1.Snapshot
        do {
            v1 = try JSONDecoder().decode(V1.Snapshot.self, from: Data(document))
        } catch {
            throw StoreDamage.document(file, StoreCodec.explain(error, in: Array(document)))
        }
        guard v1.format == Snapshot.formatName, v1.version == 1 else {
            throw StoreDamage(
                file: file, position: "field version",
                problem: "a snapshot of format \"\(v1.format)\" version \(v1.version) is not a version-1 store")
        }
        guard v1.seq >= 0 else {
            throw StoreDamage(file: file, position: "field seq", problem: "the sequence number \(v1.seq) is negative")
        }
        var names = Set<String>()
        for (index, order) in v1.orders.enumerated() where !names.insert(order.name).inserted {
            throw StoreDamage(
                file: file, position: "field orders[\(index)].name", problem: "order \(order.name) appears more than once")
        }
        if let seal {
            try SnapshotReader.checkSeal(seal, document: document, file: file)
        } else {
            throw StoreDamage(
                file: file, position: "byte \(bytes.count)",
                problem:
                    "the file ends without OrderDesk's checksum (the line of spaces and tabs after the document), so it was rewritten by another program; a version-1 store is upgraded only as OrderDesk wrote it: put back the snapshot as written (snapshot.written.json), or accept the edit with the OrderDesk of version 1 first",
                kind: .edited)
        }
        return v1
    }

    /// The events of version-1 journal bytes (a kept or archived journal), line by line; a last
    /// line without its newline is ignored as torn, any other bad line is damage.
    static func scan(_ bytes: [UInt8], file: String) throws(StoreDamage) -> [V1.Event] {
        var events: [V1.Event] = []
        for line in JournalScanner.lines(in: bytes, firstLine: 1, baseByte: 0) {
            guard line.terminated else {
                if let problem = JournalScanner.notTorn(bytes[line.range], byte: line.byte, decodes: decodes) {
                    throw StoreDamage(file: file, position: StoreDamage.linePosition(line: line.number, byte: line.byte), problem: problem)
                }
                break
            }
            do {
                events.append(try event(bytes[line.range]))
            } catch {
                throw StoreDamage.journal(file, line: line.number, byte: line.byte, error)
            }
        }
        return events
    }

    /// Checks a version-1 journal line's checksum and decodes its event.
    static func event(_ line: ArraySlice<UInt8>) throws(StoreCodec.Problem) -> V1.Event {
        try StoreCodec.checkChecksum(line)
        do {
            return try JSONDecoder().decode(V1.Event.self, from: Data(line))
        } catch {
            throw StoreCodec.explain(error, in: Array(line))
        }
    }

    /// Whether bytes are a whole, good version-1 journal line (for telling a torn tail).
    static func decodes(_ line: ArraySlice<UInt8>) -> Bool {
        (try? event(line)) != nil
    }

    /// The largest id in a version-1 snapshot and the events after it.
    static func largestID(_ v1: V1.Snapshot, _ events: [V1.Event]) -> Int64 {
        var m: Int64 = 0
        for o in v1.orders { m = max(m, o.largestID) }
        for f in v1.feedback { m = max(m, f.id) }
        for n in v1.outbox { m = max(m, n.id) }
        for e in events { m = max(m, e.largestID) }
        return m
    }
}
