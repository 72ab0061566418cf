import Testing

@testable import LineEditing

@Suite struct PromptMarkupTests {
    @Test func plainPromptIsUnchanged() {
        #expect(PromptMarkup.mark("orderdesk> ") == "orderdesk> ")
        #expect(PromptMarkup.mark("köp> ") == "köp> ")
    }

    @Test func escapeSequencesAreWrappedInMarkers() {
        #expect(
            PromptMarkup.mark("\u{1B}[1;32morderdesk\u{1B}[0m> ")
                == "\u{01}\u{1B}[1;32m\u{01}orderdesk\u{01}\u{1B}[0m\u{01}> ")
        #expect(PromptMarkup.mark("\u{1B}]0;title\u{07}> ") == "\u{01}\u{1B}]0;title\u{07}\u{01}> ")
        #expect(PromptMarkup.mark("x\u{1B}") == "x\u{01}\u{1B}\u{01}")
    }
}
