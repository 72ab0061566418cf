import Testing

@testable import OrderDeskCore

/// Error messages quote what was typed cleaned and cut short, and say what to write.
@Suite struct ErrorMessageTests {
    /// A 10,000-character order name was echoed in full.
    @Test func aLongTypedValueIsCutWithAnEllipsis() throws {
        let long = "#" + String(repeating: "9x", count: 5_000)
        var message = ""
        do { _ = try Command.parse("show '\(long)'") } catch { message = error.message }
        #expect(
            message == "'" + String(long.prefix(40))
                + "…' is not an order name; write it as the shop does (#1001, Her2065) or its number (1001), without spaces")
        for error in [
            OrderDeskError.unknownCommand(long, suggestion: nil), .unknownSKU(long, suggestion: nil), .badDate(long),
            .badAmount(long, currency: "EUR", decimals: 2), .unknownFlag(command: "show", flag: long, suggestion: nil),
            .unexpectedArgument(command: "show", argument: long), .badRating(long), .unknownReason(long),
        ] {
            #expect(error.message.count < 200, "\(error.message.prefix(80))")
            #expect(error.message.contains("…"))
        }
    }

    @Test func typedControlCharactersAreCleaned() {
        let message = OrderDeskError.badOrderName("#1\u{1B}]52;c;eA==\u{7}2").message
        #expect(message == "'#12' is not an order name; write it as the shop does (#1001, Her2065) or its number (1001), without spaces")
    }

    /// JPY said "at most 0 decimals, such as 12".
    @Test func zeroDecimalCurrenciesAskForWholeAmounts() {
        #expect(
            OrderDeskError.badAmount("12.5", currency: "JPY", decimals: 0).message
                == "'12.5' is not an amount in JPY; JPY has whole amounts only, such as 1200")
        #expect(
            OrderDeskError.badAmount("1.234", currency: "EUR", decimals: 2).message
                == "'1.234' is not an amount in EUR; write a positive decimal with at most 2 decimals, such as 12.50")
        #expect(OrderDeskError.badAmount("x", currency: "KWD", decimals: 3).message.hasSuffix("at most 3 decimals, such as 12.500"))
    }

    /// `yesterday` works; the message says so.
    @Test func theDateMessageListsYesterday() throws {
        #expect(try DateSpec.parse("yesterday") == .daysAgo(1))
        #expect(OrderDeskError.badDate("someday").message.contains("today, yesterday,"))
    }
}
