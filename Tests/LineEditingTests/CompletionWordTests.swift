import Testing

@testable import LineEditing

@Suite struct CompletionWordTests {
    @Test func wordIsTextAfterLastUnquotedSpace() {
        #expect(CompletionWord(textBeforeCursor: "order add cu").typed == "cu")
        #expect(CompletionWord(textBeforeCursor: "cu").typed == "cu")
        #expect(CompletionWord(textBeforeCursor: "").typed == "")
        #expect(CompletionWord(textBeforeCursor: "order ").typed == "")
    }

    @Test func spacesInsideQuotesDoNotSplit() {
        let word = CompletionWord(textBeforeCursor: "add \"Jöns Är")
        #expect(word.typed == "\"Jöns Är")
        #expect(word.quote == "\"")
        #expect(word.stem == "Jöns Är")
        #expect(CompletionWord(textBeforeCursor: "note 'a b' c").typed == "c")
    }
}
