import OrderDeskCore
import Testing

@testable import OrderDeskImport

/// Files with mistakes: every problem is found and placed, so that nothing half-imports.
@Suite struct ImportErrorTests {
    @Test func everyCSVProblemIsListedWithTheLineItStartsOn() {
        let result = Fixture.read("orders-errors.csv")
        let lines = result.problems.map { $0.text(file: "orders.csv") }
        #expect(
            lines == [
                "orders.csv:6: Total \"12,50\" is not an amount such as 12.50",
                "orders.csv:7: Created at \"yesterday\" is not a date and time such as 2026-04-05 21:06:21 +0400",
                "orders.csv:8: Financial Status \"settled\" is not a payment state (pending, authorized, partially_paid, paid, partially_refunded, refunded, voided)",
                "orders.csv:9: Currency \"EURO\" is not a currency code such as EUR or JPY",
                "orders.csv:10: Total \"1200.50\" has more decimals than JPY uses (0 decimals)",
                "orders.csv:11: Name is empty; every row needs its order's Name",
                // Line 14 although it is the 13th record: the multi-line notes above count as lines.
                "orders.csv:14: Lineitem quantity \"two\" is not a whole number",
                "orders.csv:16: order #3001 appears again; its first row is line 2, and an order's rows must come together",
                "orders.csv:17: Lineitem price \"-5.00\" is negative; Shopify writes this amount as a positive number",
                "orders.csv:18: Name \"SHOP 3010\" is not an order name: a name is 1 to 64 characters without spaces or control characters, such as #1001 or Her2065",
            ])
    }

    @Test func everyJSONProblemIsListedWithItsPath() {
        let result = Fixture.read("orders-errors.json")
        #expect(
            result.problems.map { $0.text(file: "orders.json") } == [
                "orders.json: orders[0].total_price: \"12.505\" has more decimals than EUR uses (2 decimals)",
                "orders.json: orders[0].line_items[0].quantity: \"two\" is not a whole number",
                "orders.json: orders[0].line_items[1].title: is missing or empty",
                "orders.json: orders[0].line_items[1].price: \"1,00\" is not an amount such as 12.50",
                "orders.json: orders[1].created_at: \"15/04/2026\" is not a date and time such as 2026-04-05T21:06:21+04:00",
                "orders.json: orders[1].cancel_reason: \"bored\" is not a cancel reason (customer, inventory, fraud, declined, shipping, staff, other)",
                "orders.json: orders[1].refunds[0].refund_line_items[0].line_item_id: 99 is not a line item of this order",
                "orders.json: orders[2].id: 6012345679001 is also the id of orders[0]",
                "orders.json: orders[2].refunds: financial_status is refunded but no successful refund transaction is given; include the order's refunds with their transactions",
                "orders.json: orders[3]: is text; expected an order object",
            ])
    }

    @Test func aCSVWithoutTheNeededColumnsIsRefusedAtTheHeader() {
        let result = ShopifyImport.read("Name,Email,Total\n#1,a@b.c,1.00\n", format: .csv)
        #expect(result.orders.isEmpty)
        #expect(
            result.problems.map { $0.text(file: "o.csv") } == [
                "o.csv:1: the header has no Financial Status, Currency, Created at, Lineitem quantity, Lineitem name, Lineitem price columns; is this Shopify's orders export (Orders → Export)?"
            ])
    }

    @Test func aBrokenQuoteIsReportedAndDoesNotAddNoise() {
        let csv = """
            Name,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price,Notes
            #1,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00,"an unclosed note
            #2,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00,
            """
        let result = ShopifyImport.read(csv)
        #expect(
            result.problems.map { $0.text(file: "o.csv") } == [
                "o.csv:2: a quoted field that starts on this row is never closed (a \" is missing), so the rest of the file was read into it"
            ])
    }

    @Test func aStrayInchMarkInAnUnquotedFieldIsNotABrokenQuote() {
        let csv = """
            Name,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price
            #1,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Tablet 10" sleeve,1.00
            """
        let result = ShopifyImport.read(csv)
        #expect(result.problems == [])
        #expect(result.orders.first?.order.lineItems.first?.title == "Tablet 10\" sleeve")
    }

    @Test func wrongFieldCountIsAProblemOnItsLine() {
        let csv = """
            Name,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price
            #1,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            #2,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00,extra
            #2,,,,,1,Ink
            """
        let problems = ShopifyImport.read(csv).problems.map { $0.text(file: "o.csv") }
        #expect(
            problems == [
                "o.csv:3: the row has 9 fields but the header has 8; a quote may be missing or extra",
                "o.csv:4: the row has 7 fields but the header has 8; a quote may be missing or extra",
            ])
    }

    @Test func requiredOrderFieldsMustBeOnTheFirstRow() {
        let csv = """
            Name,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price,Refunded Amount
            #1,,EUR,,paid,1,Pen,1.00,
            #2,2026-01-01 00:00:00 +0000,EUR,5.00,refunded,,,,0.00
            #3,2026-01-01 00:00:00 +0000,EUR,5.00,paid,1,Pen,5.00,6.00
            """
        let problems = ShopifyImport.read(csv).problems.map { $0.text(file: "o.csv") }
        #expect(
            problems == [
                "o.csv:2: Created at is empty; the first row of order #1 needs it",
                "o.csv:2: Total is empty; the first row of order #1 needs it",
                "o.csv:3: Financial Status is refunded but Refunded Amount is 0; give the amount refunded",
            ])
        // A refund above the total is what Shopify wrote (another exchange rate): a warning, not a problem.
        let warnings = ShopifyImport.read(csv).warnings.map { $0.text(file: "o.csv") }
        #expect(
            warnings == [
                "o.csv:4: Refunded Amount 6.00 is more than the Total 5.00 (a refund at another exchange rate?); imported as Shopify has it"
            ])
    }

    @Test func lineItemFulfilmentStatusMustBeKnown() {
        let csv = """
            Name,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price,Lineitem fulfillment status
            #1,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00,shipped
            """
        let problems = ShopifyImport.read(csv).problems.map { $0.text(file: "o.csv") }
        #expect(problems == ["o.csv:2: Lineitem fulfillment status \"shipped\" is not one of pending, fulfilled, partial, restocked"])
    }

    @Test func emptyAndUnrecognisableFiles() {
        #expect(ShopifyImport.read("").problems.map { $0.text(file: "f") } == ["f: is empty"])
        #expect(
            ShopifyImport.read("", format: .csv).problems.map { $0.text(file: "f") }
                == ["f: is empty; expected Shopify's orders export with a header row"])
        let neither = ShopifyImport.read("hello world\n").problems.map { $0.text(file: "f") }
        #expect(neither.count == 1)
        #expect(neither[0].hasPrefix("f: is neither Shopify's orders CSV export"))
        #expect(neither[0].hasSuffix("--format shopify-csv or --format shopify-json"))
        let json = ShopifyImport.read("{\"orders\": [", format: .json).problems
        #expect(json.count == 1)
        #expect(json[0].text(file: "f").hasPrefix("f: is not valid JSON"))
        #expect(
            ShopifyImport.read("{\"products\": []}").problems.map { $0.text(file: "f") } == [
                "f: has neither \"orders\" nor \"order\" at the top level, and is not an order itself; expected Shopify's Admin API response {\"orders\": [...]} or {\"order\": {...}}, an order object (a webhook body), or a list of orders"
            ])
    }

    @Test func csvForcedToBeReadAsJSONFails() {
        let result = Fixture.read("orders.csv", format: .json)
        #expect(result.orders.isEmpty)
        #expect(result.problems.count == 1)
        #expect(result.problems[0].location == .file)
    }

    @Test func stockFileProblems() {
        let stock = ShopifyStock.read("Handle,SKU,Available\nmug,MUG,many\nmug,TEA,3\n")
        #expect(stock.problems.map { $0.text(file: "s.csv") } == ["s.csv:2: Available \"many\" is not a whole number of units"])
        #expect(stock.levels == ["TEA": 3])
        let wrong = ShopifyStock.read("Handle,Title\nmug,Mug\n")
        #expect(
            wrong.problems.map { $0.text(file: "s.csv") } == [
                "s.csv:1: the header has no SKU and Available or On hand column; is this Shopify's inventory export (Products → Inventory → Export)?"
            ])
    }
}
