import CSV
import OrderDeskCore
import Testing

@testable import OrderDeskImport

/// CSV → store → CSV keeps every imported field.
@Suite struct RoundTripTests {
    /// The columns the import reads, and how to compare their values.
    enum Kind { case text, money, time, fulfilment }
    static let readColumns: [(String, Kind)] = [
        ("Name", .text), ("Email", .text), ("Id", .text), ("Created at", .time), ("Currency", .text), ("Tags", .text),
        ("Notes", .text), ("Billing Name", .text), ("Financial Status", .text), ("Paid at", .time),
        ("Fulfillment Status", .fulfilment), ("Cancelled at", .time), ("Subtotal", .money), ("Shipping", .money),
        ("Taxes", .money), ("Total", .money), ("Discount Amount", .money), ("Refunded Amount", .money),
        ("Outstanding Balance", .money), ("Lineitem quantity", .text), ("Lineitem name", .text), ("Lineitem price", .money),
        ("Lineitem sku", .text), ("Lineitem fulfillment status", .fulfilment), ("Shipping Name", .text),
        ("Shipping Address1", .text), ("Shipping City", .text), ("Shipping Zip", .text), ("Shipping Country", .text),
    ]

    /// Rows as column → value, read with CSV.swift.
    static func rows(_ text: String) throws -> [[String: String]] {
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        let header = reader.headerRow!
        var rows: [[String: String]] = []
        while let row = reader.next() {
            if row.allSatisfy(\.isEmpty) { continue }
            var values: [String: String] = [:]
            for (i, name) in header.enumerated() where i < row.count { values[name] = row[i] }
            rows.append(values)
        }
        return rows
    }

    static func same(_ a: String, _ b: String, _ kind: Kind) -> Bool {
        switch kind {
        case .text: return a == b
        case .money: return (Money(a.isEmpty ? "0" : a)) == (Money(b.isEmpty ? "0" : b))
        case .time: return a.isEmpty ? b.isEmpty : Timestamp(iso8601: a) == Timestamp(iso8601: b)
        case .fulfilment:
            func norm(_ s: String) -> String { ["", "unfulfilled", "pending"].contains(s) ? "pending" : s }
            return norm(a) == norm(b)
        }
    }

    /// Every read column of every row of `original` has the same value in `exported`.
    static func expectSameFields(_ original: String, _ exported: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try rows(original)
        let after = try rows(exported)
        #expect(before.count == after.count, sourceLocation: sourceLocation)
        let beforeColumns = Set(before.first?.keys.map { $0 } ?? [])
        for (a, b) in zip(before, after) {
            for (column, kind) in readColumns where beforeColumns.contains(column) {
                let x = a[column] ?? ""
                let y = b[column] ?? ""
                #expect(same(x, y, kind), "\(a["Name"] ?? "?") \(column): \(x) became \(y)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func csvThroughTheStoreAndBackKeepsEveryImportedField() throws {
        for name in ["orders.csv", "orders-reordered.csv"] {
            let state = Fixture.state(importing: [name])
            let exported = ShopifyCSV.export(state.orders, utcOffset: 0)
            try Self.expectSameFields(Fixture.text(name), exported)
        }
    }

    @Test func theExportImportsBackToEqualOrders() {
        let first = Fixture.state(importing: ["orders.csv"])
        let exported = ShopifyCSV.export(first.orders)
        let read = ShopifyImport.read(exported)
        #expect(read.problems == [])
        let plan = ShopifyImport.plan(read.orders, into: StoreState(), source: "orders.csv", agent: "alice", now: Fixture.now)
        #expect(plan.orders == first.orders)  // every field, ids and timelines included
        #expect(plan.inventory == first.inventory)
        // And the second export is the same text as the first.
        #expect(ShopifyCSV.export(plan.orders) == exported)
    }

    @Test func exportWritesShopifysColumnsAndRows() throws {
        let state = Fixture.state(importing: ["orders.csv"])
        let text = ShopifyCSV.export(state.orders, utcOffset: 4 * 3600)
        let rows = try Self.rows(text)
        let header = text.prefix { $0 != "\n" }
        #expect(header.split(separator: ",").map(String.init) == ShopifyCSV.columns)
        #expect(rows.count == 11)  // one per line item
        let first = rows[0]
        #expect(first["Name"] == "#1001")
        #expect(first["Created at"] == "2026-04-05 21:06:21 +0400")  // as in the original file
        #expect(first["Paid at"] == "2026-04-05 21:06:25 +0400")
        #expect(first["Notes"] == "Please leave the parcel with the concierge,\nnot in the mailbox.\n\"Merci!\"")
        #expect(first["Lineitem fulfillment status"] == "pending")
        #expect(first["Fulfillment Status"] == "unfulfilled")
        // Continuation rows carry only the name and the line item.
        let second = rows[1]
        #expect(second["Name"] == "#1001")
        #expect(second["Lineitem sku"] == "TOWEL-LIN")
        #expect(second["Email"] == "")
        #expect(second["Total"] == "")
        #expect(second["Id"] == "")
        let yen = rows.first { $0["Name"] == "#1002" }!
        #expect(yen["Total"] == "5400")
        #expect(yen["Lineitem sku"] == "")
        let dinar = rows.first { $0["Name"] == "#1007" }!
        #expect(dinar["Total"] == "12.500")
        #expect(dinar["Outstanding Balance"] == "12.500")
        #expect(text.hasSuffix("\n"))
    }

    @Test func anOrderWithoutLineItemsSurvivesTheCSV() {
        let json = """
            {"order": {"id": 5, "name": "#77", "created_at": "2026-02-01T00:00:00Z", "currency": "EUR",
              "financial_status": "paid", "total_price": "9.00", "line_items": []}}
            """
        let state = ShopifyImport.plan(ShopifyImport.read(json).orders, into: StoreState(), source: "o", agent: "a", now: Fixture.now)
        let exported = ShopifyCSV.export(state.orders)
        let back = ShopifyImport.read(exported)
        #expect(back.problems == [])
        #expect(back.orders.map(\.order.name) == ["#77"])
        #expect(back.orders[0].order.lineItems.isEmpty)
        #expect(back.orders[0].order.totalPrice == Money("9.00")!)
    }

    @Test func negativeOffsetsAreWrittenWithTheirSign() {
        let t = Timestamp(iso8601: "2026-04-06T22:45:03Z")!
        #expect(ShopifyCSV.shopifyTime(t, utcOffset: -4 * 3600) == "2026-04-06 18:45:03 -0400")
        #expect(ShopifyCSV.shopifyTime(t, utcOffset: 5 * 3600 + 1800) == "2026-04-07 04:15:03 +0530")
        #expect(Timestamp(iso8601: ShopifyCSV.shopifyTime(t, utcOffset: -4 * 3600)) == t)
    }

    @Test func jsonOrdersExportAndComeBackWithTheirCSVFields() throws {
        let state = Fixture.state(importing: ["orders-list.json", "order-single.json"])
        let exported = ShopifyCSV.export(state.orders)
        let back = ShopifyImport.read(exported)
        #expect(back.problems == [])
        for (a, b) in zip(back.orders.map(\.order), state.orders) {
            #expect(a.name == b.name)
            #expect(a.id == b.id)
            #expect(a.email == b.email)
            #expect(a.createdAt == b.createdAt)
            #expect(a.totalPrice == b.totalPrice)
            #expect(a.subtotalPrice == b.subtotalPrice)
            #expect(a.totalShippingPrice == b.totalShippingPrice)
            #expect(a.totalDiscounts == b.totalDiscounts)
            #expect(a.financialStatus == b.financialStatus)
            #expect(a.fulfillmentStatus == b.fulfillmentStatus)
            #expect(a.cancelledAt == b.cancelledAt)
            #expect(a.amountRefunded == b.amountRefunded)
            #expect(a.note == b.note)
            #expect(a.tags == b.tags)
            #expect(a.customer.fullName == b.customer.fullName)
            #expect(a.lineItems.map(\.sku) == b.lineItems.map(\.sku))
            #expect(a.lineItems.map(\.quantity) == b.lineItems.map(\.quantity))
            #expect(a.lineItems.map(\.price) == b.lineItems.map(\.price))
            #expect(a.lineItems.map(\.title) == b.lineItems.map { l in l.variantTitle.map { "\(l.title) - \($0)" } ?? l.title })
        }
    }
}
