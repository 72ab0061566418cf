// libFuzzer target: the store loader's journal reader (JournalScanner, checksums, the codec,
// sequence checks and replay onto a state).
//
// The first input byte picks a mode:
// - even: the rest is the journal file as it is (checksums must be right to get far);
// - odd: each line of the rest that looks like a JSON object gets a correct `"crc"` member
//   appended, so that mutations reach the event decoder and replay.
// The journal follows the snapshot in `$FUZZ_JOURNAL_BASE` (scripts/fuzz/journal-base.json, the
// one the seed journals were written against), or the sample store's when it is not set.
//
// Besides "never crashes", it checks:
// - only the last line may be ignored as torn; the good bytes end on a line boundary;
// - a refusal names a position and a problem;
// - every event applied can be written as a journal line again and reads back the same;
// - the state after replay can be written as a snapshot (compaction) and read back;
// - each line reads the same through the fast reader and the reference (JSONDecoder): the same
//   event, or the same refusal.
import Glibc
import OrderDeskCore
import OrderDeskPractice

@testable import OrderDeskStore

nonisolated(unsafe) let codec = StoreCodec()
nonisolated(unsafe) let referenceCodec = StoreCodec(.reference)

/// The fast codec's reading of each line against the reference's (Foundation's JSONDecoder over
/// the Codable model): the same event, or the same refusal.
func requireSameReading(_ bytes: [UInt8]) {
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
        let fast = Result { () throws(StoreCodec.Problem) in try codec.decodeJournalLine(line) }
        let reference = Result { () throws(StoreCodec.Problem) in try referenceCodec.decodeJournalLine(line) }
        switch (fast, reference) {
        case (.success(let a), .success(let b)):
            require(
                a == b && (try? referenceCodec.journalLine(a)) == (try? referenceCodec.journalLine(b)),
                "the fast reader reads a different event from the reference")
        case (.failure(let a), .failure(let b)):
            require(a == b, "the fast reader refuses a line differently from the reference: \(a) / \(b)")
        case (.success, .failure(let b)):
            fail("the fast reader accepts a line the reference refuses: \(b)")
        case (.failure(let a), .success):
            fail("the fast reader refuses a line the reference accepts: \(a)")
        }
    }
}
let base: StoreState = {
    guard let path = getenv("FUZZ_JOURNAL_BASE").map({ String(cString: $0) }) else { return TrainingStore.make() }
    guard let file = fopen(path, "rb") else { fatalError("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    do {
        return try SnapshotReader.check(bytes, file: path, codec: codec).state
    } catch {
        fatalError("\(path) is not a usable snapshot: \(error)")
    }
}()

/// Appends `,"crc":"xxxxxxxx"}` to a line that ends with `}`, as the store writes it.
func withChecksum(_ line: ArraySlice<UInt8>) -> [UInt8] {
    guard line.count >= 2, line.last == UInt8(ascii: "}") else { return Array(line) }
    let crc = CRC32.checksum(Array(line))
    var out = Array(line.dropLast())
    out += Array(#","crc":""#.utf8)
    out += Array(CRC32.hex(crc).utf8)
    out += Array("\"}".utf8)
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    var bytes: [UInt8]
    if input[0] & 1 == 0 {
        bytes = Array(input.dropFirst())
    } else {
        bytes = []
        let rest = Array(input.dropFirst())
        let lines = rest.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            bytes += withChecksum(line)
            if index < lines.count - 1 { bytes.append(0x0A) }
        }
    }

    requireSameReading(bytes)
    let chunk: JournalScanner.Chunk
    do {
        chunk = try JournalScanner.scan(bytes, firstLine: 1, baseByte: 0, file: "journal.jsonl", codec: codec)
    } catch {
        require(!error.position.isEmpty && !error.problem.isEmpty, "a refusal without position or problem")
        return 0
    }
    require(chunk.goodLength <= bytes.count, "good length past the end")
    require(chunk.goodLength == 0 || bytes[chunk.goodLength - 1] == 0x0A, "good bytes do not end a line")
    if let torn = chunk.torn {
        require(Int(torn.byte) == chunk.goodLength, "the torn tail is not right after the good lines")
        require(Int(torn.byte) + torn.length >= bytes.count - 1, "a torn line that is not the last one")
        require(bytes.last != 0x0A, "a complete last line (with its newline) taken as torn: that is damage")
    } else {
        require(chunk.goodLength == bytes.count, "bytes neither good nor torn")
    }

    var state = base
    var cursor = JournalCursor()
    let applied: [Event]
    do {
        applied = try cursor.absorb(chunk, into: &state, file: "journal.jsonl")
    } catch {
        require(!error.position.isEmpty && !error.problem.isEmpty, "a refusal without position or problem")
        return 0
    }
    require(state.seq == base.seq + applied.count, "replay skipped or repeated events")
    for event in applied {
        let line: [UInt8]
        do {
            line = try codec.journalLine(event)
        } catch {
            fail("an applied event cannot be written again: \(error)")
        }
        let back: Event
        do {
            back = try codec.decodeJournalLine(line.dropLast())
        } catch {
            fail("a journal line written from an applied event is refused: \(error)\n" + String(decoding: line, as: UTF8.self))
        }
        require(back == event, "event \(event.seq) reads back differently")
    }
    if !applied.isEmpty {
        let written: [UInt8]
        do {
            written = SnapshotReader.seal(try codec.encodeSnapshot(state))
        } catch {
            fail("the replayed state cannot be written as a snapshot: \(error)")
        }
        do {
            let reread = try SnapshotReader.check(written, file: "snapshot.json", codec: codec)
            require(reread.seq == state.seq && reread.orders.count == state.orders.count, "the snapshot lost data")
        } catch {
            fail("the snapshot of a replayed state is refused: \(error.position): \(error.problem)")
        }
    }
    return 0
}
