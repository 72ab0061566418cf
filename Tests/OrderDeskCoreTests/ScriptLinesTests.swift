import Testing

@testable import OrderDeskCore

/// The rules every script input shares: LF and CRLF, a last line without a line end, bytes that
/// are not UTF-8, lines over 64 KiB, and bytes arriving in pieces.
@Suite struct ScriptLinesSplitTests {
    @Test func lineEndsOfEveryKind() {
        #expect(ScriptLines.split(Array("a\r\nb\nc".utf8)) == [.line("a"), .line("b"), .line("c")])
        #expect(ScriptLines.split(Array("a\n\nb\n".utf8)) == [.line("a"), .line(""), .line("b")])
        #expect(ScriptLines.split(Array("".utf8)).isEmpty)
        #expect(ScriptLines.split(Array("x\r".utf8)) == [.line("x")])
    }

    @Test func aByteThatIsNotUTF8RefusesItsLineOnly() {
        let bytes = Array("ok\n".utf8) + Array("caf".utf8) + [0xE9] + Array("\nnext\n".utf8)
        #expect(ScriptLines.split(bytes) == [.line("ok"), .refused(.lineNotUTF8(column: 4)), .line("next")])
    }

    @Test func aLongLineIsRefusedAndDroppedAsItComes() {
        var lines = ScriptLines()
        let chunk = [UInt8](repeating: 0x78, count: 40_000)
        for _ in 0..<100 { lines.append(chunk) }  // 4 MB without a line end
        #expect(lines.next(ended: false) == nil)
        lines.append(Array("\nshow #1001\n".utf8))
        #expect(lines.next(ended: false) == .refused(.lineTooLong(limit: ScriptLines.maximumLength)))
        #expect(lines.next(ended: false) == .line("show #1001"))
        #expect(lines.next(ended: true) == nil)
    }

    @Test func bytesInPiecesGiveTheSameLines() {
        let text = Array("cancel #1001 --reason customer\r\nshow 1001\nnotify #1 'Zoë — ok'\n".utf8)
        for size in [1, 2, 3, 7, 64] {
            var lines = ScriptLines()
            var items: [ScriptLines.Item] = []
            var i = 0
            while i < text.count {
                lines.append(text[i..<min(i + size, text.count)])
                i += size
                while let item = lines.next(ended: false) { items.append(item) }
            }
            while let item = lines.next(ended: true) { items.append(item) }
            #expect(items == ScriptLines.split(text), "pieces of \(size)")
        }
    }
}
