import Foundation
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

@Suite("Journal lines, checksums, JSON errors")
struct CodecTests {
    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.hex(0xAB) == "000000ab")
    }

    @Test func aJournalLineIsTheEventWithItsChecksumLast() throws {
        let event = Event(seq: 7, at: Fixture.now, agent: "ana", change: Fixture.autoRestockOff())
        let line = Fixture.line(event)
        #expect(line.last == 0x0A)
        #expect(line.filter { $0 == 0x0A }.count == 1)
        let text = String(decoding: line.dropLast(), as: UTF8.self)
        let suffix = try #require(text.range(of: #","crc":""#, options: .backwards))
        let digits = String(text[suffix.upperBound...].dropLast(2))
        #expect(digits.count == 8)
        #expect(text.hasSuffix("\"}"))
        let body = String(text[..<suffix.lowerBound]) + "}"
        #expect(CRC32.hex(CRC32.checksum(Array(body.utf8))) == digits)
        // Plain JSON that jq and friends read.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["seq"] as? Int == 7)
        #expect(object["type"] as? String == "setting.changed")
        #expect(object["at"] as? String == "2026-11-26T17:58:12Z")
        #expect(object["crc"] as? String == digits)
        #expect(try StoreCodec().decodeJournalLine(line.dropLast()) == event)
    }

    @Test func aChangedByteFailsTheChecksum() throws {
        var line = Fixture.line(Event(seq: 1, at: Fixture.now, agent: "ana", change: Fixture.feedback(1)))
        line.removeLast()
        line[10] ^= 0x01
        #expect(throws: StoreCodec.Problem.self) { try StoreCodec().decodeJournalLine(line[...]) }
        #expect(throws: StoreCodec.Problem.self) { try StoreCodec().decodeJournalLine(Array("{}".utf8)[...]) }
    }

    @Test func syntaxErrorsAreLocated() {
        #expect(JSONSyntax.firstError(in: Array(#"{"a":[1,2,{"b":null}],"c":"d\n"}"#.utf8)) == nil)
        #expect(JSONSyntax.firstError(in: Array(#"{"a":[1,2,x]}"#.utf8))?.offset == 10)
        #expect(JSONSyntax.firstError(in: Array(#"{"a":1"#.utf8))?.offset == 6)
        #expect(JSONSyntax.firstError(in: Array(#"{"a":"abc"#.utf8))?.offset == 9)
        #expect(JSONSyntax.firstError(in: Array(#"{"a":1} x"#.utf8))?.offset == 8)
        #expect(JSONSyntax.firstError(in: Array(#"{"a":01}"#.utf8))?.offset == 6)
        #expect(JSONSyntax.firstError(in: [0x22, 0xFF, 0x22])?.offset == 1)
    }
}
