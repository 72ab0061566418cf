import Foundation
import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore

@Suite struct ReportTests {
    /// A store of paid, unfulfilled orders, each 2 × 10.00 in its currency (2 × 1800 for JPY),
    /// placed at the given UTC times; order numbers from 1001.
    static func store(_ placed: [(at: String, currency: String)], feedback: [(rating: Int, at: String)] = []) -> StoreState {
        var orders: [Order] = []
        var nextID: Int64 = 50_000
        for (i, spec) in placed.enumerated() {
            let n = Int64(1001 + i)
            let price = spec.currency == "JPY" ? Money("1800")! : Money("10.00")!
            var order = Order(
                id: n * 10, orderNumber: Int(n), email: "c\(n)@example.com", createdAt: Timestamp(iso8601: spec.at)!,
                currency: spec.currency,
                customer: Customer(id: n * 10 + 1, email: "c\(n)@example.com", firstName: "C", lastName: "\(n)"),
                lineItems: [LineItem(id: n * 10 + 2, sku: "TEE", title: "Tee", quantity: 2, price: price)])
            order.openLedger(.paid, nextID: &nextID)
            orders.append(order)
        }
        let notes = feedback.enumerated().map { i, f in
            Feedback(
                id: 90_000 + Int64(i), order: "#1001", email: "c1001@example.com", rating: f.rating, text: "", agent: "bob",
                at: Timestamp(iso8601: f.at)!)
        }
        return StoreState(orders: orders, inventory: ["TEE": 100], feedback: notes)
    }

    /// `count` orders placed on 2026-11-10 at noon UTC, in EUR.
    static func store(count: Int) -> StoreState {
        store(Array(repeating: ("2026-11-10T12:00:00Z", "EUR"), count: count))
    }

    /// Runs a report line with a chosen clock, offset and colour.
    static func report(
        _ line: String, _ state: StoreState, now: Timestamp = TrainingStore.now, offset: Int = 0, color: Bool = false
    ) throws -> String {
        let context = Context(now: now, agent: "t", utcOffset: offset, style: Style(color: color))
        guard let command = try Command.parse(line), case .output(let text) = try Desk.run(command, state: state, context: context)
        else { fatalError("not a read: \(line)") }
        return text
    }

    /// The JSON output parsed.
    static func json(_ line: String, _ state: StoreState, offset: Int = 0) throws -> [String: Any] {
        let text = try report(line + " --json", state, offset: offset)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The CSV output as header → value maps, one per data row (no quoted fields expected).
    static func csv(_ line: String, _ state: StoreState) throws -> [[String: String]] {
        let lines = try report(line + " --csv", state).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header = try #require(lines.first)
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// What follows a label in the text's figures block (`Cancelled  1  rate 14.3%` → `1  rate 14.3%`).
    static func value(_ text: String, _ label: String) -> String? {
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix(label + " ") else { continue }
            return String(trimmed.dropFirst(label.count).drop { $0 == " " })
        }
        return nil
    }

    /// The rows of a `--by` JSON report.
    static func rows(_ object: [String: Any]) -> [[String: Any]] { object["rows"] as? [[String: Any]] ?? [] }

    // MARK: The figures

    @Test func sampleStoreDefaultPeriod() throws {
        let j = try Self.json("report", TrainingStore.make())
        // The last 30 days back from 2026-11-20: #1001 (placed 2026-10-20) falls outside.
        #expect(j["since"] as? String == "2026-10-21" && j["until"] as? String == "2026-11-20")
        #expect(j["days"] as? Int == 31)
        #expect(j["orders_placed"] as? Int == 7)
        #expect(j["cancelled"] as? Int == 1)
        #expect(j["cancellation_rate"] as? Double == 14.3)
        #expect(j["refund_owed"] as? [String: String] == ["GBP": "30.00"])
        #expect(j["refunded_now"] as? [String: String] == [:])
        #expect(j["units_restocked"] as? Int == 2)
        #expect(j["recreated"] as? Int == 0)
        let feedback = try #require(j["feedback"] as? [String: Any])
        #expect(feedback["count"] as? Int == 1 && feedback["average_rating"] as? Double == 5 && feedback["csat_percent"] as? Double == 100)
        #expect(Self.rows(j).isEmpty && j["by"] == nil)
    }

    @Test func rateIsExactToOneDecimal() throws {
        var desk = Desktop(Self.store(count: 8))
        try desk.run("cancel #1001 --reason customer")
        #expect(Self.value(try desk.read("report"), "Cancelled") == "1  rate 12.5%")
        #expect(try Self.json("report", desk.state)["cancellation_rate"] as? Double == 12.5)
        try desk.run("cancel #1002 --reason staff")
        try desk.run("cancel #1003 --reason staff")
        #expect(Self.value(try desk.read("report"), "Cancelled") == "3  rate 37.5%")
        // Thirds round half up from whole numbers: 33.3 and 66.7, 1/7 gives 14.3.
        #expect(OneDecimal(100, over: 3).text == "33.3")
        #expect(OneDecimal(200, over: 3).text == "66.7")
        #expect(OneDecimal(100, over: 7).text == "14.3")
        #expect(OneDecimal(13, over: 4).text == "3.3")
        #expect(OneDecimal(5, over: 0).text == nil && OneDecimal(5, over: 0).number == nil)
    }

    @Test func cancellationsCountByCancelDateAndOrdersByCreationDate() throws {
        var desk = Desktop()
        // #1001 was placed 2026-10-20, before the default period; it is cancelled today, so the cancel
        // counts today while the order does not count as placed.
        try desk.run("cancel #1001 --reason inventory")
        let j = try Self.json("report", desk.state)
        #expect(j["orders_placed"] as? Int == 7)
        #expect(j["cancelled"] as? Int == 2 && j["merchant_initiated"] as? Int == 1 && j["customer_initiated"] as? Int == 1)
        #expect(j["cancellation_rate"] as? Double == 28.6)
        let wider = try Self.json("report --since 2026-10-20", desk.state)
        #expect(wider["orders_placed"] as? Int == 8 && wider["cancelled"] as? Int == 2 && wider["merchant_initiated"] as? Int == 1)
        #expect(wider["cancellation_rate"] as? Double == 25)
        // A period before today's cancel: #1001 is placed there, but its cancel is not.
        let october = try Self.json("report --since 2026-10-01 --until 2026-10-31", desk.state)
        #expect(october["orders_placed"] as? Int == 1 && october["cancelled"] as? Int == 0)
    }

    @Test func customerAndMerchantInitiatedSplit() throws {
        var desk = Desktop(Self.store(count: 6))
        for (n, reason) in [(1001, "customer"), (1002, "customer"), (1003, "inventory"), (1004, "fraud"), (1005, "shipping")] {
            try desk.run("cancel #\(n) --reason \(reason)")
        }
        let j = try Self.json("report", desk.state)
        #expect(j["customer_initiated"] as? Int == 2)
        #expect(j["merchant_initiated"] as? Int == 3)
        #expect(
            j["by_reason"] as? [String: Int]
                == ["customer": 2, "inventory": 1, "fraud": 1, "declined": 0, "shipping": 1, "staff": 0, "other": 0])
        let text = try desk.read("report")
        #expect(Self.value(text, "Customer-initiated") == "2")
        #expect(Self.value(text, "Merchant-initiated") == "3")
        #expect(Self.value(text, "Items unavailable") == "1" && Self.value(text, "Shipping problem") == "1")
        // Reasons that did not occur stay out of the summary.
        #expect(!text.contains("Payment declined"))
        let merchant = try #require(text.range(of: "Merchant-initiated"))
        #expect(text[..<merchant.lowerBound].contains("Customer changed/canceled order"))
        #expect(text[merchant.upperBound...].contains("Fraudulent order"))
    }

    @Test func moneyIsSummedPerCurrencyAndNeverMixed() throws {
        let at = "2026-11-10T12:00:00Z"
        var desk = Desktop(Self.store([(at, "EUR"), (at, "EUR"), (at, "USD"), (at, "JPY"), (at, "GBP"), (at, "EUR")]))
        try desk.run("cancel #1001 --reason customer --refund now")
        try desk.run("cancel #1002 --reason staff --refund now")
        try desk.run("cancel #1003 --reason customer --refund credit")
        try desk.run("cancel #1004 --reason inventory --refund later")
        try desk.run("cancel #1005 --reason inventory --refund later")
        try desk.run("refund #1005 5.50 --credit")
        // Refunds on an order not cancelled do not count.
        try desk.run("refund #1006 3.00")
        let j = try Self.json("report", desk.state)
        #expect(j["refunded_now"] as? [String: String] == ["EUR": "40.00"])
        #expect(j["refunded_credit"] as? [String: String] == ["USD": "20.00", "GBP": "5.50"])
        #expect(j["refund_owed"] as? [String: String] == ["JPY": "3600", "GBP": "14.50"])
        let text = try desk.read("report")
        #expect(Self.value(text, "Refunded now") == "40.00 EUR")
        #expect(Self.value(text, "Refunded to credit") == "5.50 GBP, 20.00 USD")
        #expect(Self.value(text, "Still owed") == "14.50 GBP, 3600 JPY")
        let row = try #require(try Self.csv("report", desk.state).first)
        #expect(row["refunded_now_EUR"] == "40.00" && row["refunded_now_JPY"] == "0")
        #expect(row["refunded_credit_GBP"] == "5.50" && row["refunded_credit_USD"] == "20.00")
        #expect(row["refund_owed_JPY"] == "3600" && row["refund_owed_GBP"] == "14.50" && row["refund_owed_EUR"] == "0.00")
    }

    @Test func restockedRecreatedAndFeedback() throws {
        let state = Self.store(
            [("2026-11-10T12:00:00Z", "EUR"), ("2026-11-10T12:00:00Z", "EUR")],
            feedback: [
                (5, "2026-11-11T09:00:00Z"), (4, "2026-11-12T09:00:00Z"), (3, "2026-11-13T09:00:00Z"), (1, "2026-11-14T09:00:00Z"),
                (5, "2026-10-01T09:00:00Z"),
            ])
        var desk = Desktop(state)
        try desk.run("cancel #1001 --reason staff --restock")
        try desk.run("cancel #1002 --reason customer --no-restock")
        try desk.run("recreate #1001")
        let j = try Self.json("report", desk.state)
        #expect(j["units_restocked"] as? Int == 2)
        #expect(j["recreated"] as? Int == 1)
        #expect(j["orders_placed"] as? Int == 3)
        // Four ratings in the period (the one of October is outside): 13 / 4 = 3.25, two of four are 4–5.
        let feedback = try #require(j["feedback"] as? [String: Any])
        #expect(feedback["count"] as? Int == 4)
        #expect(feedback["average_rating"] as? Double == 3.3)
        #expect(feedback["csat_percent"] as? Double == 50)
        #expect(Self.value(try desk.read("report"), "Feedback") == "4  average 3.3, CSAT 50.0%")
    }

    // MARK: Edges

    @Test func emptyPeriodHasNoRateAndNoAverage() throws {
        let state = TrainingStore.make()
        let text = try Self.report("report --since 2026-01-01 --until 2026-01-31", state)
        #expect(Self.value(text, "Orders placed") == "0")
        #expect(Self.value(text, "Cancelled") == "0  rate —")
        #expect(Self.value(text, "Feedback") == "0  average —, CSAT —")
        #expect(Self.value(text, "Still owed") == "none")
        #expect(!text.lowercased().contains("nan"))
        let j = try Self.json("report --since 2026-01-01 --until 2026-01-31", state)
        #expect(j["cancellation_rate"] is NSNull)
        let feedback = try #require(j["feedback"] as? [String: Any])
        #expect(feedback["average_rating"] is NSNull && feedback["csat_percent"] is NSNull)
        let row = try #require(try Self.csv("report --since 2026-01-01 --until 2026-01-31", state).first)
        #expect(row["cancellation_rate"] == "" && row["average_rating"] == "" && row["orders_placed"] == "0")
        // Days with no orders in a breakdown: no rate either.
        let days = Self.rows(try Self.json("report --since 2026-01-01 --until 2026-01-02 --by day", state))
        #expect(days.count == 2 && days.allSatisfy { $0["cancellation_rate"] is NSNull && $0["placed"] as? Int == 0 })
    }

    @Test func sinceAfterUntilIsRefused() throws {
        let state = TrainingStore.make()
        let expected = OrderDeskError.invalidValue(
            command: "report", flag: "--since", value: "2026-11-15", expected: "a day on or before --until (2026-11-10)")
        #expect(throws: expected) { try Self.report("report --since 2026-11-15 --until 2026-11-10", state) }
        #expect(expected.message.contains("on or before --until"))
        // A --since in the future, with --until defaulting to today.
        #expect(throws: OrderDeskError.self) { try Self.report("report --since 2026-12-01", state) }
        // The same day twice is one day.
        #expect(try Self.json("report --since 2026-11-14 --until 2026-11-14", state)["days"] as? Int == 1)
        // --until alone: the 30 days before it.
        let j = try Self.json("report --until 2026-11-01", state)
        #expect(j["since"] as? String == "2026-10-02" && j["orders_placed"] as? Int == 2)
    }

    // MARK: Breakdowns

    @Test func byReasonHasAllSevenRows() throws {
        var desk = Desktop(Self.store(count: 3))
        try desk.run("cancel #1001 --reason inventory")
        try desk.run("cancel #1002 --reason inventory")
        try desk.run("cancel #1003 --reason declined")
        let rows = Self.rows(try Self.json("report --by reason", desk.state))
        #expect(rows.map { $0["group"] as? String } == CancelReason.allCases.map(\.rawValue))
        #expect(rows.map { $0["label"] as? String } == CancelReason.allCases.map(\.label))
        #expect(rows.map { $0["cancelled"] as? Int } == [0, 2, 0, 1, 0, 0, 0])
        #expect(rows.allSatisfy { $0["placed"] == nil && $0["cancellation_rate"] == nil })
        let text = try desk.read("report --by reason")
        for reason in CancelReason.allCases { #expect(text.contains(reason.label)) }
        #expect(text.contains("By reason"))
        let csv = try Self.csv("report --by reason", desk.state)
        #expect(csv.count == 7 && csv[1]["group"] == "inventory" && csv[1]["cancelled"] == "2" && csv[1]["merchant_initiated"] == "2")
    }

    @Test func byDayHasARowForEveryDay() throws {
        let rows = Self.rows(try Self.json("report --since 2026-11-10 --until 2026-11-20 --by day", TrainingStore.make()))
        #expect(rows.count == 11)
        #expect(rows.first?["group"] as? String == "2026-11-10" && rows.last?["group"] as? String == "2026-11-20")
        #expect(rows.first?["label"] as? String == "Tue" && rows.last?["label"] as? String == "Fri")
        var placed: [String: Int] = [:]
        for row in rows { placed[row["group"] as! String] = row["placed"] as? Int }
        #expect(
            placed == [
                "2026-11-10": 1, "2026-11-11": 0, "2026-11-12": 1, "2026-11-13": 0, "2026-11-14": 1, "2026-11-15": 0,
                "2026-11-16": 0, "2026-11-17": 0, "2026-11-18": 1, "2026-11-19": 0, "2026-11-20": 0,
            ])
        // #1007 was placed on the 14th and cancelled on the 15th: each counts on its own day.
        let placedDay = try #require(rows.first { $0["group"] as? String == "2026-11-14" })
        #expect(placedDay["cancelled"] as? Int == 0 && placedDay["cancellation_rate"] as? Double == 0)
        let cancelledDay = try #require(rows.first { $0["group"] as? String == "2026-11-15" })
        #expect(cancelledDay["cancelled"] as? Int == 1 && cancelledDay["placed"] as? Int == 0)
        #expect(cancelledDay["cancellation_rate"] == nil || cancelledDay["cancellation_rate"] is NSNull)
        let text = try Self.report("report --since 2026-11-10 --until 2026-11-20 --by day", TrainingStore.make())
        #expect(text.contains("2026-11-14  Sat"))
    }

    @Test func daysAreLocal() throws {
        // 23:30 UTC on the 19th is 00:30 on the 20th an hour east of UTC.
        let state = Self.store([("2026-11-19T23:30:00Z", "EUR")])
        let utc = Self.rows(try Self.json("report --since 2026-11-19 --until 2026-11-20 --by day", state))
        #expect(utc.map { $0["placed"] as? Int } == [1, 0])
        let east = Self.rows(try Self.json("report --since 2026-11-19 --until 2026-11-20 --by day", state, offset: 3600))
        #expect(east.map { $0["placed"] as? Int } == [0, 1])
        // And a period ending on the 19th, local, leaves it out.
        #expect(try Self.json("report --since 2026-11-19 --until 2026-11-19", state, offset: 3600)["orders_placed"] as? Int == 0)
    }

    @Test func byWeekGroupsMondayToSunday() throws {
        // Sunday the 15th, Monday the 16th, Sunday the 22nd, Monday the 23rd.
        let state = Self.store([
            ("2026-11-15T23:59:59Z", "EUR"), ("2026-11-16T00:00:00Z", "EUR"), ("2026-11-22T12:00:00Z", "EUR"),
            ("2026-11-23T08:00:00Z", "EUR"),
        ])
        var desk = Desktop(state, now: Timestamp(iso8601: "2026-11-25T12:00:00Z")!)
        try desk.run("cancel #1003 --reason customer")
        let rows = Self.rows(try Self.json("report --since 2026-11-11 --until 2026-11-25 --by week", desk.state))
        #expect(rows.map { $0["group"] as? String } == ["2026-W46", "2026-W47", "2026-W48"])
        #expect(
            rows.map { $0["label"] as? String } == [
                "2026-11-11 – 2026-11-15", "2026-11-16 – 2026-11-22", "2026-11-23 – 2026-11-25",
            ])
        #expect(rows.map { $0["placed"] as? Int } == [1, 2, 1])
        // The cancel was made on the 25th, in week 48, whatever week the order was placed in.
        #expect(rows.map { $0["cancelled"] as? Int } == [0, 0, 1])
        #expect(rows[2]["cancellation_rate"] as? Double == 100)
        // ISO weeks belong to the year of their Thursday.
        func week(_ y: Int, _ m: Int, _ d: Int) -> String { ReportPeriod.isoWeek(Timestamp.daysFromCivil(year: y, month: m, day: d)) }
        #expect(week(2025, 12, 29) == "2026-W01")
        #expect(week(2026, 1, 4) == "2026-W01")
        #expect(week(2027, 1, 1) == "2026-W53")
        #expect(week(2021, 1, 3) == "2020-W53")
        #expect(week(2021, 1, 4) == "2021-W01")
    }

    @Test func byAgentCountsEachAgentsCancellations() throws {
        var desk = Desktop(Self.store(count: 5))
        desk.agent = "bob"
        try desk.run("cancel #1001 --reason customer")
        desk.agent = "alice"
        try desk.run("cancel #1002 --reason customer")
        try desk.run("cancel #1003 --reason fraud")
        desk.agent = "Smith, J"
        try desk.run("cancel #1004 --reason other")
        let rows = Self.rows(try Self.json("report --by agent", desk.state))
        #expect(rows.map { $0["group"] as? String } == ["alice", "Smith, J", "bob"])
        #expect(rows.map { $0["cancelled"] as? Int } == [2, 1, 1])
        #expect(rows[0]["customer_initiated"] as? Int == 1 && rows[0]["merchant_initiated"] as? Int == 1)
        #expect(rows.allSatisfy { $0["placed"] == nil && $0["label"] == nil })
        let text = try desk.read("report --by agent")
        #expect(text.contains("alice") && text.contains("bob"))
        // RFC 4180: the comma in the name is quoted.
        #expect(try desk.read("report --by agent --csv").contains("\n\"Smith, J\",,,1,,0,1\n"))
        // No cancellations: no rows, and the text says so.
        #expect(try Desktop(Self.store(count: 1)).read("report --by agent").contains("No cancellations in this period."))
    }

    // MARK: Formats

    @Test func jsonCsvAndTextGiveTheSameNumbers() throws {
        var desk = Desktop()
        try desk.run("cancel #1002 --reason inventory")
        try desk.run("cancel #1008 --reason fraud --refund now")
        try desk.run("cancel #1005 --reason customer --refund credit")
        try desk.run("recreate #1008 --allow-oversell --force")
        let line = "report --since 2026-10-01"
        let text = try desk.read(line)
        let j = try Self.json(line, desk.state)
        let c = try #require(try Self.csv(line, desk.state).first)
        let feedback = try #require(j["feedback"] as? [String: Any])

        #expect(Self.value(text, "Orders placed") == "9" && j["orders_placed"] as? Int == 9 && c["orders_placed"] == "9")
        // #1002, #1005, #1007, #1008 cancelled of nine (with #1009, the recreation): 44.4%.
        #expect(Self.value(text, "Cancelled") == "4  rate 44.4%")
        #expect(j["cancelled"] as? Int == 4 && j["cancellation_rate"] as? Double == 44.4)
        #expect(c["cancelled"] == "4" && c["cancellation_rate"] == "44.4")
        #expect(Self.value(text, "Customer-initiated") == "2" && j["customer_initiated"] as? Int == 2 && c["customer_initiated"] == "2")
        #expect(Self.value(text, "Merchant-initiated") == "2" && j["merchant_initiated"] as? Int == 2 && c["merchant_initiated"] == "2")
        // #1005's goodwill 10.00 before the cancel, and #1008's 9.00; #1005's remaining 42.00 as credit.
        #expect(Self.value(text, "Refunded now") == "19.00 EUR" && (j["refunded_now"] as? [String: String]) == ["EUR": "19.00"])
        #expect(c["refunded_now_EUR"] == "19.00")
        #expect(Self.value(text, "Refunded to credit") == "42.00 EUR" && c["refunded_credit_EUR"] == "42.00")
        #expect((j["refunded_credit"] as? [String: String]) == ["EUR": "42.00"])
        #expect(Self.value(text, "Still owed") == "30.00 GBP" && c["refund_owed_GBP"] == "30.00")
        #expect(Self.value(text, "Units restocked") == "8" && j["units_restocked"] as? Int == 8 && c["units_restocked"] == "8")
        #expect(Self.value(text, "Orders recreated") == "1" && j["recreated"] as? Int == 1 && c["recreated"] == "1")
        #expect(Self.value(text, "Feedback") == "1  average 5.0, CSAT 100.0%")
        #expect(
            feedback["count"] as? Int == 1 && c["feedback_count"] == "1" && c["average_rating"] == "5.0" && c["csat_percent"] == "100.0")
        #expect(c["group"] == "all" && c["since"] == "2026-10-01" && c["until"] == "2026-11-20")

        // The breakdowns too.
        let week = Self.rows(try Self.json(line + " --by week", desk.state))
        let weekCSV = try Self.csv(line + " --by week", desk.state)
        #expect(week.count == weekCSV.count && week.count == 8)
        for (a, b) in zip(week, weekCSV) {
            #expect(a["group"] as? String == b["group"] && (a["placed"] as? Int).map(String.init) == b["placed"])
            #expect((a["cancelled"] as? Int).map(String.init) == b["cancelled"])
        }
        #expect(week.compactMap { $0["placed"] as? Int }.reduce(0, +) == 9)
        #expect(week.compactMap { $0["cancelled"] as? Int }.reduce(0, +) == 4)
    }

    @Test func prettyJSONIsTheSameDocument() throws {
        let context = Context(now: TrainingStore.now, agent: "t", prettyJSON: true)
        guard case .output(let pretty) = try Desk.run(try Command.parse("report --json")!, state: TrainingStore.make(), context: context)
        else {
            Issue.record("not output")
            return
        }
        #expect(pretty.contains("\n  \"orders_placed\" : 7"))
        let compact = try Self.report("report --json", TrainingStore.make())
        #expect(!compact.contains("\n"))
    }

    @Test func barsOnlyWithColour() throws {
        var desk = Desktop(Self.store(count: 3))
        try desk.run("cancel #1001 --reason inventory")
        try desk.run("cancel #1002 --reason inventory")
        try desk.run("cancel #1003 --reason fraud")
        let plain = try Self.report("report --by reason", desk.state)
        #expect(!plain.contains("█") && !plain.contains("\u{1B}"))
        let colour = try Self.report("report --by reason", desk.state, color: true)
        // The widest count gets 30 blocks, half of it 15; zeros none.
        let full = String(repeating: "█", count: 30)
        let half = String(repeating: "█", count: 15)
        let inventory = try #require(colour.split(separator: "\n").last { $0.contains("Items unavailable") })
        let fraud = try #require(colour.split(separator: "\n").last { $0.contains("Fraudulent order") })
        let staff = try #require(colour.split(separator: "\n").last { $0.contains("Staff error") })
        #expect(inventory.contains(full))
        #expect(fraud.contains(half) && !fraud.contains(half + "█"))
        #expect(!staff.contains("█"))
        // JSON and CSV never draw bars.
        #expect(!(try Self.report("report --by reason --csv", desk.state, color: true)).contains("█"))
    }

    @Test func csvFieldsAreQuotedPerRFC4180() {
        #expect(ReportView.csvField("plain") == "plain")
        #expect(ReportView.csvField("a,b") == "\"a,b\"")
        #expect(ReportView.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ReportView.csvField("two\r\nlines") == "\"two\r\nlines\"")
    }
}
