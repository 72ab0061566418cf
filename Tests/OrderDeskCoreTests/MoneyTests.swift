import Testing

@testable import OrderDeskCore

@Suite struct MoneyTests {
    @Test(arguments: [("12.50", 1250, 2), ("0", 0, 0), ("-3.1", -31, 1), ("1200", 1200, 0), ("0.005", 5, 3)])
    func parses(text: String, units: Int64, scale: Int) {
        let m = Money(text)
        #expect(m?.units == units)
        #expect(m?.scale == scale)
        #expect(m?.description == text)
    }

    @Test(arguments: ["", "-", "1.", ".5.", "1,50", "abc", "1e3", "99999999999999999999", "1.1234567"])
    func refusesNonsense(text: String) {
        #expect(Money(text) == nil)
    }

    @Test func arithmeticIsExact() {
        // 0.1 + 0.2 is exactly 0.3 here, unlike Double.
        #expect(Money("0.1")! + Money("0.2")! == Money("0.3")!)
        #expect((Money("0.10")! + Money("0.2")!).description == "0.30")
        #expect(Money("54.90")! - Money("54.9")! == .zero)
        #expect(Money("19.99")! * 3 == Money("59.97")!)
        #expect(Money("12.5")! < Money("12.51")!)
        #expect(Money("12.50")!.hashValue == Money("12.5")!.hashValue)
        #expect(Money("5")!.formatted(decimals: 2) == "5.00")
        #expect(Money("-0.5")!.formatted(decimals: 2) == "-0.50")
    }
}

@Suite struct TimestampTests {
    @Test func roundTripsISO8601() {
        let t = Timestamp(iso8601: "2026-11-26T17:58:12Z")!
        #expect(t.iso8601 == "2026-11-26T17:58:12Z")
        #expect(Timestamp(iso8601: "1970-01-01T00:00:00Z")!.seconds == 0)
        #expect(Timestamp(iso8601: "2024-02-29T12:00:00Z") != nil)
        #expect(Timestamp(iso8601: "2023-02-29T12:00:00Z") == nil)
    }

    @Test func readsShopifyOffsets() {
        #expect(Timestamp(iso8601: "2026-04-05 21:06:21 +0400")?.iso8601 == "2026-04-05T17:06:21Z")
        #expect(Timestamp(iso8601: "2026-04-05T21:06:21-05:00")?.iso8601 == "2026-04-06T02:06:21Z")
        #expect(Timestamp(iso8601: "2026-04-05T21:06:21.123Z")?.iso8601 == "2026-04-05T21:06:21Z")
    }

    @Test func displaysLocalTime() {
        let t = Timestamp(iso8601: "2026-11-26T23:30:00Z")!
        #expect(t.display(offset: 3600) == "2026-11-27 00:30")
        #expect(t.day(offset: -3600) == "2026-11-26")
    }

    @Test func relativeDaysUseLocalMidnight() throws {
        let now = Timestamp(iso8601: "2026-11-26T10:00:00Z")!
        #expect(try DateSpec.parse("today").start(now: now, offset: 0).iso8601 == "2026-11-26T00:00:00Z")
        #expect(try DateSpec.parse("7d").start(now: now, offset: 0).iso8601 == "2026-11-19T00:00:00Z")
        #expect(try DateSpec.parse("2026-11-01").end(now: now, offset: 3600).iso8601 == "2026-11-01T22:59:59Z")
        #expect(throws: OrderDeskError.badDate("2026-13-01")) { try DateSpec.parse("2026-13-01") }
        #expect(throws: OrderDeskError.badDate("soon")) { try DateSpec.parse("soon") }
    }
}

@Suite struct MoneyOverflowTests {
    /// Only a hostile file can hold such amounts; arithmetic on them must never trap.
    @Test func arithmeticSaturatesInsteadOfTrapping() {
        let huge = Money(units: 9_000_000_000_000_000_000, scale: 0)
        #expect((huge + huge).units == Int64.max)
        #expect((Money.zero - huge - huge).units == Int64.min)
        #expect((huge * 3).units == Int64.max)
        #expect((huge * -3).units == Int64.min)
        // Rescaling a huge amount to more decimals saturates too, and comparisons stay sane.
        #expect(Money("0.01")! < huge)
        #expect(huge + Money("0.01")! == Money(units: Int64.max, scale: 2))
    }
}
