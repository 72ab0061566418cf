import Testing

@testable import LineEditing

@Suite struct CompletionListingTests {
    @Test func candidatesRunDownColumnsThatFitTheWidth() {
        let lines = CompletionListing.lines(for: ["a", "bb", "c", "d", "e"], width: 8)
        // Column width 4 ("bb" + 2): two columns, three rows.
        #expect(lines == ["a   d", "bb  e", "c"])
    }

    @Test func narrowTerminalGivesOneColumn() {
        #expect(CompletionListing.lines(for: ["alpha", "beta"], width: 3) == ["alpha", "beta"])
    }

    @Test func wideTerminalGivesOneRow() {
        #expect(
            CompletionListing.lines(for: ["add", "address", "Jöns Ärlig"], width: 120)
                == ["add         address     Jöns Ärlig"])  // columns of 10 + 2
    }

    @Test func longListsAreCapped() {
        let items = (1...130).map { "item\($0)" }
        let lines = CompletionListing.lines(for: items, width: 120)
        #expect(lines.last == "… 30 more")
        #expect(!lines.joined().contains("item101"))
        #expect(lines.joined().contains("item100"))
        #expect(CompletionListing.lines(for: [], width: 80).isEmpty)
    }
}
