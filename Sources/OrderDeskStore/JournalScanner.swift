import OrderDeskCore

/// Splits journal bytes into lines, checks each line's checksum and decodes its event.
///
/// A last line without its newline is what a crash mid-append leaves (the line and its newline go
/// out in one write): it is returned as the torn tail, not an error. A complete line (ending in a
/// newline) with a bad checksum or content is damage anywhere, the last line included: no crash
/// leaves one.
enum JournalScanner {
    /// One line of the journal, located in the file.
    struct Line {
        /// 1-based line number in the file.
        var number: Int
        /// Offset of the line's first byte in the file.
        var byte: Int64
        /// The line's bytes in the buffer, without the newline.
        var range: Range<Int>
        /// Whether a newline ends it.
        var terminated: Bool
    }

    /// An event read from a line.
    struct Entry {
        var line: Int
        var byte: Int64
        var event: Event
    }

    /// A last line that was ignored.
    struct TornTail: Equatable {
        var line: Int
        var byte: Int64
        var length: Int
        var problem: String
    }

    /// What a run of journal bytes held.
    struct Chunk {
        var entries: [Entry] = []
        /// Bytes taken by complete, good lines (the torn tail is not counted).
        var goodLength = 0
        var torn: TornTail?
    }

    /// The lines of `bytes`, which start at `baseByte` of the file, on line `firstLine`.
    static func lines(in bytes: [UInt8], firstLine: Int, baseByte: Int64) -> [Line] {
        var lines: [Line] = []
        var start = 0
        var number = firstLine
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A)
            let stop = end ?? bytes.count
            lines.append(
                Line(number: number, byte: baseByte + Int64(start), range: start..<stop, terminated: end != nil))
            number += 1
            start = stop + 1
        }
        return lines
    }

    /// Reads every line; throws for a bad line that is not the last one.
    static func scan(
        _ bytes: [UInt8], firstLine: Int, baseByte: Int64, file: String, codec: StoreCodec
    ) throws(StoreDamage) -> Chunk {
        var chunk = Chunk()
        let all = lines(in: bytes, firstLine: firstLine, baseByte: baseByte)
        for line in all {
            guard line.terminated else {
                if let problem = notTorn(bytes[line.range], byte: line.byte, codec: codec) {
                    throw StoreDamage(file: file, position: StoreDamage.linePosition(line: line.number, byte: line.byte), problem: problem)
                }
                chunk.torn = TornTail(
                    line: line.number, byte: line.byte, length: line.range.count,
                    problem: "no newline at its end (an unfinished write)")
                break
            }
            do {
                let event = try codec.decodeJournalLine(bytes[line.range])
                chunk.entries.append(Entry(line: line.number, byte: line.byte, event: event))
                chunk.goodLength = line.range.upperBound + 1
            } catch {
                throw StoreDamage.journal(file, line: line.number, byte: line.byte, error)
            }
        }
        return chunk
    }

    /// Why a last line without a newline (`tail`, starting at `byte` of the file) is not what a
    /// crash mid-append leaves, or nil when it may be.
    ///
    /// A write cut short leaves the start of a line: never NUL bytes, and never a whole, valid
    /// event followed by more bytes (that is a damaged newline, which would otherwise silently
    /// take a good event, and with a damaged second-to-last newline two, down with the tail).
    static func notTorn(_ tail: ArraySlice<UInt8>, byte: Int64, codec: StoreCodec) -> String? {
        notTorn(tail, byte: byte) { (try? codec.decodeJournalLine($0)) != nil }
    }

    /// ``notTorn(_:byte:codec:)`` with the test of a whole, good line given (lines of version 1).
    static func notTorn(_ tail: ArraySlice<UInt8>, byte: Int64, decodes: (ArraySlice<UInt8>) -> Bool) -> String? {
        if let nul = tail.firstIndex(of: 0) {
            return
                "a NUL byte at byte \(byte + Int64(nul - tail.startIndex)) in the last line: a write cut short leaves the start of a line, never zeros, so the file system lost data here (if the machine lost power during the last change, cutting the file at byte \(byte) lets the store open)"
        }
        // A line ends with `,"crc":"` + 8 hex digits + `"}`; only there can a complete event end.
        let crcMember = Array(#","crc":""#.utf8)
        let ending = crcMember.count + 8 + 2
        var from = tail.startIndex
        while let close = tail[from...].firstIndex(of: UInt8(ascii: "}")) {
            let end = close + 1
            from = end
            guard end < tail.endIndex, end - tail.startIndex > ending,
                tail[(end - ending)..<(end - ending + crcMember.count)].elementsEqual(crcMember),
                decodes(tail[tail.startIndex..<end])
            else { continue }
            return
                "a complete event ends at byte \(byte + Int64(end - tail.startIndex)), but \(tail.endIndex - end) more byte(s) follow instead of a newline: the newline was damaged after the line was written"
        }
        return nil
    }
}
