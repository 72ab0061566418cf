import Foundation
import Glibc
import OrderDeskCore
import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// In-process halves of the torture proofs (issue 5); the process-level ones are
/// `OrderDeskShellTests/CrashTests`.
///
/// - The fuzz corpus in `scripts/fuzz/corpus` (seeds and every input that once crashed a target)
///   is replayed through the same checks as the libFuzzer targets in `scripts/fuzz/targets`.
/// - A sweep of single-bit flips over every byte of a journal and a snapshot, opened and written
///   in-process: each one refused with its position, or a torn tail tolerated, never silently
///   taken as good data.
///
/// Each test prints its figure. `ORDERDESK_TORTURE=long` widens the sweep.
@Suite("Torture: fuzz corpus replay and bit-flip sweep", .serialized)
struct TortureTests {
    static let long = ProcessInfo.processInfo.environment["ORDERDESK_TORTURE"] == "long"

    /// `scripts/fuzz` in this checkout.
    static let fuzzDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/scripts/fuzz"
    }()

    static func corpus(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let directory = fuzzDirectory + "/corpus/" + target
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        return names.compactMap { name in
            FileManager.default.contents(atPath: directory + "/" + name).map { (name, [UInt8]($0)) }
        }
    }

    static func figure(_ text: String) {
        // "4 corruption sweep: …" → the shared reporter, which adds "[torture] ".
        let parts = text.split(separator: ":", maxSplits: 1)
        Torture.figure(String(parts[0]), parts.count > 1 ? String(parts[1].dropFirst()) : "")
    }

    // MARK: Fuzz corpus replay

    /// What `scripts/fuzz/targets/command.swift` checks, for one input.
    static func commandProblems(_ bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        let line = String(decoding: bytes, as: UTF8.self)
        let scan = Tokenizer.scan(line)
        do {
            let words = try Tokenizer.words(line)
            if scan.openQuote != nil { problems.append("words() accepted an open quote") }
            if words != scan.words { problems.append("words() and scan() disagree") }
        } catch {
            if scan.openQuote == nil { problems.append("words() refused a line with no open quote") }
        }
        for word in scan.words where (try? Tokenizer.words(Tokenizer.quote(word))) != [word] {
            problems.append("quote(\(word.debugDescription)) = \(Tokenizer.quote(word).debugDescription) does not read back")
        }
        func describe(_ line: String) -> String {
            do {
                guard let command = try Command.parse(line) else { return "nothing" }
                return "command \(command)"
            } catch {
                return "error \(error.message)"
            }
        }
        // Quoted words stay quoted (a quoted '--x' is a value); a bare "-" word that would need
        // quotes cannot be written bare again, so such lines are not re-quoted.
        if scan.openQuote == nil, let tokens = try? Tokenizer.tokens(line),
            !tokens.contains(where: { !$0.quoted && $0.text.hasPrefix("-") && Tokenizer.quote($0.text) != $0.text })
        {
            func forceQuote(_ word: String) -> String {
                "'" + word.unicodeScalars.map { $0 == "'" ? "'\\''" : String($0) }.joined() + "'"
            }
            let requoted = tokens.map { $0.quoted ? forceQuote($0.text) : Tokenizer.quote($0.text) }.joined(separator: " ")
            if describe(line) != describe(requoted) { problems.append("re-quoted words parse differently: \(requoted.debugDescription)") }
        }
        _ = Completion.candidates(for: line, state: TrainingStore.make())
        return problems
    }

    /// What `scripts/fuzz/targets/snapshot.swift` checks, for one input.
    static func snapshotProblems(_ bytes: [UInt8], codec: StoreCodec) -> [String] {
        let snapshot: Snapshot
        do {
            snapshot = try SnapshotReader.check(bytes, file: "snapshot.json", codec: codec)
        } catch {
            return error.position.isEmpty || error.problem.isEmpty ? ["a refusal without position or problem"] : []
        }
        do {
            let written = SnapshotReader.seal(try codec.encodeSnapshot(snapshot.state))
            let reread = try SnapshotReader.check(written, file: "snapshot.json", codec: codec)
            let again = SnapshotReader.seal(try codec.encodeSnapshot(reread.state))
            return again == written && reread.seq == snapshot.seq ? [] : ["the snapshot does not survive being written again"]
        } catch {
            return ["an accepted snapshot cannot be written and read again: \(error)"]
        }
    }

    /// What `scripts/fuzz/targets/journal.swift` checks, for one input (first byte: the mode).
    static func journalProblems(_ input: [UInt8], base: StoreState, codec: StoreCodec) -> [String] {
        guard let mode = input.first else { return [] }
        var bytes: [UInt8] = []
        if mode & 1 == 0 {
            bytes = Array(input.dropFirst())
        } else {
            let lines = Array(input.dropFirst()).split(separator: 0x0A, omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                if line.count >= 2, line.last == UInt8(ascii: "}") {
                    let crc = CRC32.checksum(Array(line))
                    bytes += Array(line.dropLast()) + Array(#","crc":""#.utf8) + Array(CRC32.hex(crc).utf8) + Array("\"}".utf8)
                } else {
                    bytes += line
                }
                if index < lines.count - 1 { bytes.append(0x0A) }
            }
        }
        let chunk: JournalScanner.Chunk
        do {
            chunk = try JournalScanner.scan(bytes, firstLine: 1, baseByte: 0, file: "journal.jsonl", codec: codec)
        } catch {
            return error.position.isEmpty || error.problem.isEmpty ? ["a refusal without position or problem"] : []
        }
        var problems: [String] = []
        if chunk.goodLength > 0 && bytes[chunk.goodLength - 1] != 0x0A { problems.append("good bytes do not end a line") }
        if chunk.torn == nil && chunk.goodLength != bytes.count { problems.append("bytes neither good nor torn") }
        var state = base
        var cursor = JournalCursor()
        guard let applied = try? cursor.absorb(chunk, into: &state, file: "journal.jsonl") else { return problems }
        if state.seq != base.seq + applied.count { problems.append("replay skipped or repeated events") }
        for event in applied {
            guard let line = try? codec.journalLine(event), let back = try? codec.decodeJournalLine(line.dropLast()),
                back == event
            else {
                problems.append("event \(event.seq) does not survive being written again")
                continue
            }
        }
        if !applied.isEmpty {
            let written = try? codec.encodeSnapshot(state)
            if written.flatMap({ try? SnapshotReader.check(SnapshotReader.seal($0), file: "snapshot.json", codec: codec) }) == nil {
                problems.append("the replayed state cannot be written as a snapshot and read again")
            }
        }
        return problems
    }

    /// Every input kept in `scripts/fuzz/corpus` passes the fuzz targets' checks.
    @Test func theFuzzCorpusReplaysCleanly() throws {
        let codec = StoreCodec()
        let commands = Self.corpus("command")
        let snapshots = Self.corpus("snapshot")
        let journals = Self.corpus("journal")
        #expect(!commands.isEmpty && !snapshots.isEmpty && !journals.isEmpty, "no corpus in \(Self.fuzzDirectory)/corpus")
        let baseBytes = try #require(FileManager.default.contents(atPath: Self.fuzzDirectory + "/journal-base.json"))
        let base = try SnapshotReader.check([UInt8](baseBytes), file: "journal-base.json", codec: codec).state
        var failures: [String] = []
        for (name, bytes) in commands {
            failures += Self.commandProblems(bytes).map { "command/\(name): \($0)" }
        }
        for (name, bytes) in snapshots {
            failures += Self.snapshotProblems(bytes, codec: codec).map { "snapshot/\(name): \($0)" }
        }
        for (name, bytes) in journals {
            failures += Self.journalProblems(bytes, base: base, codec: codec).map { "journal/\(name): \($0)" }
        }
        #expect(failures.isEmpty, "\(failures)")
        Self.figure(
            "7 fuzz corpus replay: \(commands.count) command lines, \(snapshots.count) snapshots, \(journals.count) journals; failures \(failures.count)"
        )
    }

    /// Inputs that once crashed a target (`scripts/fuzz/crashes`, see its README): a checksummed
    /// journal line whose numbers overflowed `StoreState.apply`'s arithmetic. Replay now uses
    /// checked arithmetic and money saturates, so they are refused or read without a trap.
    @Test func knownCrashesAreRefused() throws {
        let codec = StoreCodec()
        let baseBytes = try #require(FileManager.default.contents(atPath: Self.fuzzDirectory + "/journal-base.json"))
        let base = try SnapshotReader.check([UInt8](baseBytes), file: "journal-base.json", codec: codec).state
        let directory = Self.fuzzDirectory + "/crashes/journal"
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() {
            let bytes = [UInt8](FileManager.default.contents(atPath: directory + "/" + name) ?? Data())
            #expect(Self.journalProblems(bytes, base: base, codec: codec).isEmpty, "\(name)")
        }
    }

    // MARK: Bit-flip sweep

    /// A store with six events, in a fresh directory.
    static func store() throws -> (TemporaryDirectory, [UInt8], [UInt8], [Range<Int>]) {
        let dir = TemporaryDirectory()
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(
            store,
            [
                Fixture.autoRestockOff(), Fixture.cancelFirst(), Fixture.feedback(1), Fixture.feedback(2), Fixture.defaultRefund("credit"),
                Fixture.feedback(3),
            ])
        let journal = try #require(Fixture.bytes(dir.store + "/journal.jsonl"))
        let snapshot = try #require(Fixture.bytes(dir.store + "/snapshot.json"))
        var lines: [Range<Int>] = []
        var start = 0
        for (i, byte) in journal.enumerated() where byte == 0x0A {
            lines.append(start..<(i + 1))
            start = i + 1
        }
        return (dir, snapshot, journal, lines)
    }

    /// Every byte of the journal (every 3rd in the short run) with one bit flipped, opened and then
    /// written in-process. Rules: damage before the last line, a damaged newline, a split line or a
    /// NUL is refused naming the line, with a byte-identical quarantine copy and the journal left
    /// alone; a damaged last line is a torn tail: the first five events load, and the next change
    /// keeps a copy in quarantine and cuts it. A checksum digit that only changes case reads the same.
    @Test func everyBitFlipInTheJournalIsCaught() throws {
        let (dir, _, journal, lines) = try Self.store()
        defer { dir.remove() }
        let path = dir.store + "/journal.jsonl"
        let k = lines.count
        let step = Self.long ? 1 : 3
        var random = SystemRandomNumberGenerator()
        var counts = (refused: 0, torn: 0, harmless: 0)
        var failures: [String] = []
        for position in stride(from: 0, to: journal.count, by: step) {
            let bit = UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            var bytes = journal
            bytes[position] ^= bit
            Fixture.write(path, bytes)
            try? FileManager.default.removeItem(atPath: dir.store + "/quarantine")
            let line = lines.firstIndex { $0.contains(position) }! + 1
            let end = lines[line - 1].upperBound
            let caseOnly =
                ((end - 11)..<(end - 3)).contains(position) && bit == 0x20
                && (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(journal[position])
            // Every line of this journal ends with its newline, so every flip is damage: a crash
            // leaves only a last line without its newline. (Before issue 13 a flip inside the last
            // line was tolerated as a torn tail: `line < k || position == end - 1 || ...`.)
            let damage = line <= k
            do {
                let store = try FileStore.open(at: dir.store)
                if caseOnly {
                    counts.harmless += 1
                    if store.state.seq != 6 { failures.append("byte \(position): case-only change lost events") }
                } else if damage {
                    failures.append("byte \(position) bit \(bit) (line \(line)): damage was opened (seq \(store.state.seq))")
                } else {
                    counts.torn += 1
                    if store.state.seq != 5 { failures.append("byte \(position): torn tail, seq \(store.state.seq) instead of 5") }
                    try Fixture.commit(store, [Fixture.feedback(9)])
                    let after = Fixture.bytes(path) ?? []
                    let kept = Array(journal[0..<lines[k - 1].lowerBound])
                    if Array(after.prefix(kept.count)) != kept { failures.append("byte \(position): earlier lines changed") }
                    let copies = Fixture.files(dir.store + "/quarantine")
                    if copies.count != 1 || Fixture.bytes(dir.store + "/quarantine/" + copies[0]) != bytes {
                        failures.append("byte \(position): the cut line was not kept in quarantine")
                    }
                }
            } catch {
                guard case .storeCorrupt(let file, let at, _, let quarantine)? = error as? OrderDeskError else {
                    failures.append("byte \(position): \(error)")
                    continue
                }
                counts.refused += 1
                if !damage && !caseOnly { failures.append("byte \(position) bit \(bit): a torn tail was refused: \(error)") }
                if file != path || !at.hasPrefix("line \(line) ") {
                    failures.append("byte \(position) (line \(line)): refused at \(at) of \(file)")
                }
                if Fixture.bytes(path) != bytes { failures.append("byte \(position): the journal was changed") }
                if quarantine.flatMap(Fixture.bytes) != bytes { failures.append("byte \(position): bad quarantine copy") }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(30))")
        Self.figure(
            "4 corruption sweep (in-process): journal of \(journal.count) bytes, \(k) lines, one flipped bit at every \(step == 1 ? "" : "\(step)rd ")byte: "
                + "refused \(counts.refused), tolerated as a torn tail \(counts.torn), case-only checksum digit read the same \(counts.harmless); failed \(failures.count)"
        )
    }

    /// Bytes of the snapshot (every 7th in the short run) with one bit flipped: every one refused,
    /// the file untouched (a digit of `version` turned higher reads as a newer store, not copied).
    @Test func everyBitFlipInTheSnapshotIsCaught() throws {
        let (dir, snapshot, _, _) = try Self.store()
        defer { dir.remove() }
        let path = dir.store + "/snapshot.json"
        let step = Self.long ? 1 : 7
        var random = SystemRandomNumberGenerator()
        var counts = (corrupt: 0, tooNew: 0)
        var failures: [String] = []
        for position in stride(from: 0, to: snapshot.count, by: step) {
            let bit = UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            var bytes = snapshot
            bytes[position] ^= bit
            Fixture.write(path, bytes)
            do {
                let store = try FileStore.open(at: dir.store)
                failures.append("byte \(position) bit \(bit): opened (seq \(store.state.seq))")
            } catch {
                switch error {
                case .storeCorrupt(let file, _, _, let quarantine), .storeEdited(let file, _, _, let quarantine):
                    // A flip inside the document is refused as an edit (the checksum does not
                    // match), with the same quarantine copy (issue 13).
                    counts.corrupt += 1
                    if file != path || quarantine.flatMap(Fixture.bytes) != bytes {
                        failures.append("byte \(position): bad refusal \(error)")
                    }
                case .storeTooNew:
                    counts.tooNew += 1
                default:
                    failures.append("byte \(position): \(error)")
                }
                if Fixture.bytes(path) != bytes { failures.append("byte \(position): the snapshot was changed") }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(30))")
        Self.figure(
            "4 corruption sweep (in-process): snapshot of \(snapshot.count) bytes, one flipped bit at every \(step == 1 ? "" : "\(step)th ")byte: "
                + "refused as damaged \(counts.corrupt), as too new \(counts.tooNew), opened 0; failed \(failures.count)")
    }
}
