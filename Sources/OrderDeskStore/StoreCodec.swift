import Foundation
import OrderDeskCore

/// The one place where store documents become bytes and back: the snapshot and journal lines.
///
/// Two ways to do it, with the same results:
/// - **fast** (the default): a purpose-built reader and writer over bytes (``FastStoreDecoder``,
///   ``FastStoreEncoder``), about ten times faster than Foundation's coders;
/// - **reference**: Foundation's `JSONDecoder` and `JSONEncoder` over the model's `Codable`
///   conformance, the definition of the format.
///
/// The fast reader takes on only what it is sure to read as the reference does; for anything
/// else (damage, but also unusual valid JSON such as escaped member names or `1.0` for a whole
/// number) it steps aside and the reference decodes the same bytes, so that refusals and their
/// positions are the reference's. Differential tests (`FastCodecTests`) hold the two to the same
/// states and the same bytes. One instance per store; not thread-safe.
final class StoreCodec {
    enum Mode: Sendable {
        case fast, reference
    }

    let mode: Mode
    /// What was wrong with a document or line, and where, when known.
    struct Problem: Error, Sendable, Equatable {
        /// Byte offset inside the document or line, for syntax errors.
        var byte: Int?
        /// The JSON path of a field that did not decode (`orders[3].total_price`).
        var field: String?
        var problem: String
    }

    /// `format`, `version` and `seq` of a snapshot, read on their own to explain a refusal.
    struct SnapshotHeader: Decodable {
        var format: String?
        var version: Int?
        var seq: Int?
    }

    /// `,"crc":"` + 8 hex digits + `"}`.
    static let checksumSuffixLength = 18
    private static let checksumPrefix = Array(#","crc":""#.utf8)

    private let snapshotEncoder: JSONEncoder
    private let eventEncoder: JSONEncoder
    private let decoder = JSONDecoder()

    init(_ mode: Mode = .fast) {
        self.mode = mode
        snapshotEncoder = JSONEncoder()
        snapshotEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        eventEncoder = JSONEncoder()
        eventEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    // MARK: Snapshot

    /// The snapshot document for a state, keys sorted, ending in a newline.
    func encodeSnapshot(_ state: StoreState) throws(Problem) -> [UInt8] {
        if mode == .fast {
            // Room for the newline and the checksum trailer (`SnapshotReader.seal`), so that
            // neither makes a copy of the whole document.
            var bytes = FastStoreEncoder.snapshot(state, extra: 64)
            bytes.append(0x0A)
            return bytes
        }
        do {
            var bytes = [UInt8](try snapshotEncoder.encode(Snapshot(state)))
            bytes.append(0x0A)
            return bytes
        } catch {
            throw Problem(problem: "could not encode the snapshot: \(error)")
        }
    }

    /// Decodes a snapshot document (format and version are checked by the caller).
    func decodeSnapshot(_ bytes: [UInt8]) throws(Problem) -> Snapshot {
        try decodeSnapshot(bytes[...])
    }

    /// Decodes a snapshot document held in part of a buffer, offsets counted from its start.
    func decodeSnapshot(_ bytes: ArraySlice<UInt8>) throws(Problem) -> Snapshot {
        if mode == .fast, let snapshot = try? FastStoreDecoder.snapshot(bytes) { return snapshot }
        do {
            return try decoder.decode(Snapshot.self, from: Data(bytes))
        } catch {
            throw Self.explain(error, in: Array(bytes))
        }
    }

    /// The header fields of a document that may not decode as a whole; nil if not even that.
    func decodeHeader(_ bytes: [UInt8]) -> SnapshotHeader? {
        decodeHeader(bytes[...])
    }

    func decodeHeader(_ bytes: ArraySlice<UInt8>) -> SnapshotHeader? {
        try? decoder.decode(SnapshotHeader.self, from: Data(bytes))
    }

    // MARK: Journal lines

    /// The journal line for an event: its JSON object with `"crc":"xxxxxxxx"` as the last member,
    /// the CRC-32 of the object as encoded without it, then a newline.
    func journalLine(_ event: Event) throws(Problem) -> [UInt8] {
        var bytes: [UInt8]
        if mode == .fast {
            bytes = FastStoreEncoder.event(event)
        } else {
            do {
                bytes = [UInt8](try eventEncoder.encode(event))
            } catch {
                throw Problem(problem: "could not encode event \(event.seq): \(error)")
            }
        }
        guard bytes.count >= 2, bytes.last == UInt8(ascii: "}"), bytes.first == UInt8(ascii: "{") else {
            throw Problem(problem: "event \(event.seq) did not encode as a JSON object")
        }
        let crc = CRC32.checksum(bytes)
        bytes.removeLast()
        bytes += Self.checksumPrefix
        bytes += Array(CRC32.hex(crc).utf8)
        bytes += [UInt8(ascii: "\""), UInt8(ascii: "}"), 0x0A]
        return bytes
    }

    /// Decodes an event's JSON object that carries no checksum (a server store's `events.body`).
    func decodeEvent(_ bytes: ArraySlice<UInt8>) throws(Problem) -> Event {
        if mode == .fast, let event = try? FastStoreDecoder.event(bytes) { return event }
        do {
            return try decoder.decode(Event.self, from: Data(bytes))
        } catch {
            throw Self.explain(error, in: Array(bytes))
        }
    }

    /// Checks a line's checksum (the line without its newline) and decodes its event.
    func decodeJournalLine(_ line: ArraySlice<UInt8>) throws(Problem) -> Event {
        try Self.checkChecksum(line)
        if mode == .fast, let event = try? FastStoreDecoder.event(line) { return event }
        do {
            return try decoder.decode(Event.self, from: Data(line))
        } catch {
            throw Self.explain(error, in: Array(line))
        }
    }

    /// Verifies that a line ends in `,"crc":"XXXXXXXX"}` matching the CRC-32 of the rest with `}`.
    static func checkChecksum(_ line: ArraySlice<UInt8>) throws(Problem) {
        let n = line.count
        guard n > checksumSuffixLength else {
            throw Problem(problem: n == 0 ? "an empty line" : "no checksum at the end of the line")
        }
        let suffixStart = line.endIndex - checksumSuffixLength
        let digitsStart = suffixStart + checksumPrefix.count
        guard line[suffixStart..<digitsStart].elementsEqual(checksumPrefix),
            line[line.endIndex - 2] == UInt8(ascii: "\""), line[line.endIndex - 1] == UInt8(ascii: "}")
        else {
            throw Problem(problem: "no checksum at the end of the line (it must end with ,\"crc\":\"xxxxxxxx\"})")
        }
        guard let written = UInt32(String(decoding: line[digitsStart..<(digitsStart + 8)], as: UTF8.self), radix: 16)
        else {
            throw Problem(problem: "the checksum is not 8 hex digits")
        }
        var crc = CRC32()
        crc.update(line[line.startIndex..<suffixStart])
        crc.update(CollectionOfOne(UInt8(ascii: "}")))
        guard crc.value == written else {
            throw Problem(
                problem: "bad checksum: the line says \(CRC32.hex(written)) but its content gives \(CRC32.hex(crc.value))"
            )
        }
    }

    // MARK: Explaining failures

    /// Turns a decoding error into a position and plain words.
    static func explain(_ error: any Error, in bytes: [UInt8]) -> Problem {
        guard let error = error as? DecodingError else {
            return Problem(problem: "\(error)")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            if let failure = JSONSyntax.firstError(in: bytes) {
                return Problem(byte: failure.offset, problem: "not valid JSON: \(failure.problem)")
            }
            return Problem(problem: "not valid JSON: \(context.debugDescription)")
        case .dataCorrupted(let context):
            return Problem(field: path(context.codingPath), problem: context.debugDescription)
        case .keyNotFound(let key, let context):
            return Problem(field: path(context.codingPath + [key]), problem: "missing")
        case .typeMismatch(let type, let context):
            return Problem(field: path(context.codingPath), problem: "not a \(typeName(type))")
        case .valueNotFound(let type, let context):
            return Problem(field: path(context.codingPath), problem: "null where a \(typeName(type)) is needed")
        @unknown default:
            return Problem(problem: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "string"
        case is Int.Type, is Int64.Type: return "whole number"
        case is Bool.Type: return "true/false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "list" }
            if name.hasPrefix("Dictionary") { return "object" }
            return name
        }
    }

    /// `orders[3].total_price` for a coding path.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let i = key.intValue {
                text += "[\(i)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "(top level)" : text
    }
}
