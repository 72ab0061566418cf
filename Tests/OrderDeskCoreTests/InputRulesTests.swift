import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore

/// Limits on text the desk sends or keeps: long bodies and control characters are refused,
/// with errors that say what to change, and nothing is changed.
@Suite struct InputRulesTests {
    func refusal(_ line: String) -> OrderDeskError? {
        do {
            _ = try Desktop().plan(line)
            return nil
        } catch let error as OrderDeskError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func aNoticeBodyHasAtMostTenThousandCharacters() throws {
        let body = String(repeating: "a", count: InputRules.noticeLimit)
        #expect(refusal("notify #1001 '\(body)'") == nil)
        #expect(refusal("notify #1001 '\(body)b'") == .textTooLong(what: "the notice text", length: 10_001, limit: 10_000))
        #expect(
            OrderDeskError.textTooLong(what: "the notice text", length: 10_001, limit: 10_000).message
                == "the notice text is 10001 characters; shorten it to at most 10000")
    }

    @Test(arguments: ["\u{0}", "\u{1B}[2J", "\u{7}", "\u{9B}", "\u{202E}", "\r", "\u{7F}"])
    func controlCharactersNeverGoToCustomers(control: String) {
        let first = control.unicodeScalars.first!.value
        #expect(refusal("notify #1001 'Hello\(control)there'") == .controlCharacter(what: "the notice text", scalar: first))
        #expect(
            refusal("cancel #1001 --reason inventory --offer '10%\(control) off'")
                == .controlCharacter(what: "the --offer text", scalar: first))
        #expect(
            refusal("cancel #1001 --reason customer --note 'x\(control)'") == .controlCharacter(what: "the staff note", scalar: first))
        #expect(refusal("refund #1005 1.00 --note 'x\(control)'") == .controlCharacter(what: "the staff note", scalar: first))
        #expect(refusal("recreate #1007 --note 'x\(control)'") == .controlCharacter(what: "the staff note", scalar: first))
        #expect(
            refusal("feedback #1001 --rating 3 'x\(control)'") == .controlCharacter(what: "the feedback text", scalar: first))
    }

    @Test func bodiesMayHoldNewlinesAndTabs() {
        #expect(refusal("notify #1001 'Hello,\n\tthe parcel left today.\nBest'") == nil)
        #expect(refusal("feedback #1001 --rating 5 'Great\nthanks'") == nil)
        // A note is one line.
        #expect(refusal("cancel #1001 --reason customer --note 'a\nb'") == .controlCharacter(what: "the staff note", scalar: 0x0A))
    }

    @Test func theMessageNamesTheCharacter() {
        #expect(
            OrderDeskError.controlCharacter(what: "the notice text", scalar: 0).message
                == "the notice text holds a control character (U+0000); remove it and type the text again")
    }

    @Test func anOfferHasALimit() {
        let offer = String(repeating: "x", count: InputRules.offerLimit + 1)
        #expect(
            refusal("cancel #1001 --reason inventory --offer '\(offer)'")
                == .textTooLong(what: "the --offer text", length: 256, limit: 255))
    }

    @Test func agentNamesAreOneShortLine() throws {
        try InputRules.agentName("Ann-Marie O'Neil")
        #expect(throws: OrderDeskError.self) { try InputRules.agentName("eve\u{1B}]0;x\u{7}") }
        #expect(throws: OrderDeskError.self) { try InputRules.agentName(String(repeating: "a", count: 65)) }
    }

    /// `restock #N A=1 A=1` said "only 0 can still go back"; a SKU named twice is now refused,
    /// with the way to write it.
    @Test func aSKUNamedTwiceInRestockIsRefused() {
        #expect(refusal("restock #1007 NOTE-A5=1 NOTE-A5=1") == .repeatedSKU(order: "#1007", sku: "NOTE-A5"))
        #expect(refusal("restock #1007 NOTE-A5 note-a5=1") == .repeatedSKU(order: "#1007", sku: "note-a5"))
        #expect(
            OrderDeskError.repeatedSKU(order: "#1007", sku: "NOTE-A5").message
                == "NOTE-A5 is named more than once for #1007; name each SKU once with the total, such as NOTE-A5=2")
    }
}
