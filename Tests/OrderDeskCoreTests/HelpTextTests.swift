import Testing

@testable import OrderDeskCore

/// What the help says about amounts, dates and limits matches what the parser does.
@Suite struct HelpTextTests {
    func help(_ name: String) -> String { Help.text(for: name, style: .plain).replacingOccurrences(of: "\n", with: " ") }

    /// `.5` is read as 0.50: the help of refund says so.
    @Test func refundSaysALeadingPointIsAFraction() throws {
        #expect(help("refund").contains(".5 is 0.50"))
        #expect(help("refund").contains("1200 for JPY"))
        #expect(Money(".5") == Money("0.50"))
    }

    /// `yesterday` works in dates: the help of orders says so.
    @Test func ordersListsYesterday() throws {
        #expect(help("orders").contains("today, yesterday, or days back"))
        #expect(try DateSpec.parse("yesterday") == .daysAgo(1))
    }

    @Test func notifySaysItsLimit() {
        #expect(help("notify").contains("at most 10,000 characters"))
    }
}
