import Testing

@testable import LineEditing

@Suite struct CompletionPlanTests {
    let commands = ["add", "address", "cancel", "customer", "list"]

    @Test func uniqueCandidateInsertsRestAndSpace() {
        #expect(CompletionPlan.make(textBeforeCursor: "can", candidates: commands) == .insert("cel "))
        #expect(CompletionPlan.make(textBeforeCursor: "x list", candidates: commands) == .insert(" "))
    }

    @Test func severalCandidatesInsertCommonPrefixThenList() {
        #expect(CompletionPlan.make(textBeforeCursor: "a", candidates: commands) == .insert("dd"))
        #expect(CompletionPlan.make(textBeforeCursor: "add", candidates: commands) == .list(["add", "address"]))
        #expect(CompletionPlan.make(textBeforeCursor: "", candidates: commands) == .list(commands))
    }

    @Test func candidatesNotMatchingAreDroppedAndNoneBeeps() {
        #expect(CompletionPlan.make(textBeforeCursor: "c", candidates: commands) == .list(["cancel", "customer"]))
        #expect(CompletionPlan.make(textBeforeCursor: "zz", candidates: commands) == .beep)
        #expect(CompletionPlan.make(textBeforeCursor: "a", candidates: []) == .beep)
        #expect(CompletionPlan.make(textBeforeCursor: "l", candidates: ["list", "list"]) == .insert("ist "))
    }

    @Test func listKeepsTheGivenOrder() {
        #expect(
            CompletionPlan.make(textBeforeCursor: "item", candidates: ["item2", "item10", "item1"])
                == .list(["item2", "item10", "item1"]))
    }

    @Test func nonASCIIWords() {
        #expect(CompletionPlan.make(textBeforeCursor: "Ö", candidates: ["Öl", "Äpfel"]) == .insert("l "))
        #expect(CompletionPlan.make(textBeforeCursor: "Jö", candidates: ["Jöns Ärlig", "Jönsson"]) == .insert("ns"))
    }

    @Test func quotesAreClosedAndAddedForSpaces() {
        let names = ["Jöns Ärlig", "Jönsson"]
        #expect(CompletionPlan.make(textBeforeCursor: "add \"Jöns Ä", candidates: names) == .insert("rlig\" "))
        #expect(CompletionPlan.make(textBeforeCursor: "add 'Jönss", candidates: names) == .insert("on' "))
        #expect(CompletionPlan.make(textBeforeCursor: "add Jöns Ä", candidates: ["Ärlig"]) == .insert("rlig "))
        #expect(
            CompletionPlan.make(textBeforeCursor: "add Jöns", candidates: ["Jöns Ärlig"])
                == .replace(deletingScalars: 4, with: "\"Jöns Ärlig\" "))
    }

    @Test func caseInsensitiveMatchesReplaceTheWord() {
        #expect(
            CompletionPlan.make(textBeforeCursor: "jö", candidates: ["Jöns Ärlig", "Jönsson"])
                == .replace(deletingScalars: 2, with: "Jöns"))
        #expect(CompletionPlan.make(textBeforeCursor: "LI", candidates: commands) == .replace(deletingScalars: 2, with: "list "))
    }

    @Test func commonPrefix() {
        #expect(CompletionPlan.commonPrefix([]) == "")
        #expect(CompletionPlan.commonPrefix(["add"]) == "add")
        #expect(CompletionPlan.commonPrefix(["add", "address"]) == "add")
        #expect(CompletionPlan.commonPrefix(["cancel", "customer"]) == "c")
        #expect(CompletionPlan.commonPrefix(["Ärlig", "Ärm", "Ä"]) == "Ä")
        #expect(CompletionPlan.commonPrefix(["x", "y"]) == "")
    }
}
